"""One settings object for newsrag, read from NEWSRAG_* environment variables.

Usage: ``Settings()`` in an entry point, then pass it down; ``Settings(home=tmp)`` in tests.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_home() -> Path:
    """Where the store lives when neither NEWSRAG_HOME nor --home is given."""
    return Path.home() / ".newsrag"


class Settings(BaseSettings):
    """Every knob of newsrag; each field maps to ``NEWSRAG_<FIELD>`` in the environment."""

    model_config = SettingsConfigDict(env_prefix="NEWSRAG_", extra="forbid")

    home: Path = Field(
        default_factory=default_home,
        description="Directory holding the Chroma store (NEWSRAG_HOME or --home).",
    )
    collection: str = Field(
        default="newsrag", description="Name of the Chroma collection for chunks."
    )
    embedding_model: str = Field(
        default="local:all-MiniLM-L6-v2",
        description="'local:all-MiniLM-L6-v2' (offline, bundled) or 'openai:<model>'.",
    )
    embed_batch_size: int = Field(
        default=32, ge=1, description="Texts per embedding call during ingest."
    )
    encoding: str = Field(
        default="cl100k_base",
        description="tiktoken encoding for token counts; the offline copy is used when present.",
    )
    chunk_tokens: int = Field(
        default=160, ge=16, description="Target chunk size in tokens (sentences are kept whole)."
    )
    chunk_overlap_tokens: int = Field(
        default=40, ge=0, description="Tokens of trailing sentences repeated in the next chunk."
    )
    k: int = Field(default=5, ge=1, le=100, description="Chunks retrieved per question.")
    min_support: float = Field(
        default=0.30,
        description="Extractive answerer: refuse when the best sentence scores below this "
        "(calibrated on the seed and quail-news dev sets with eval.calibrate).",
    )
    max_quotes: int = Field(
        default=2, ge=1, le=5, description="Extractive answerer: most sentences quoted."
    )

    @model_validator(mode="after")
    def _overlap_below_chunk(self) -> Settings:
        if self.chunk_overlap_tokens >= self.chunk_tokens:
            raise ValueError(
                f"chunk_overlap_tokens ({self.chunk_overlap_tokens}) must be smaller than "
                f"chunk_tokens ({self.chunk_tokens})"
            )
        return self
