"""One settings object for newsrag, read from NEWSRAG_* environment variables.

Usage: ``Settings()`` in an entry point, then pass it down; ``Settings(home=tmp)`` in tests.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_MODEL = "gpt-4.1-mini"


def default_home() -> Path:
    """Where the store lives when neither NEWSRAG_HOME nor --home is given."""
    return Path.home() / ".newsrag"


class Settings(BaseSettings):
    """Every knob of newsrag; each field maps to ``NEWSRAG_<FIELD>`` in the environment."""

    model_config = SettingsConfigDict(env_prefix="NEWSRAG_", extra="forbid", populate_by_name=True)

    home: Path = Field(
        default_factory=default_home,
        description="Directory holding the Chroma store (NEWSRAG_HOME or --home).",
    )
    collection: str = Field(
        default="newsrag", description="Name of the Chroma collection for chunks."
    )
    embedding_model: str | None = Field(
        default=None,
        description="'local:all-MiniLM-L6-v2', 'local:paraphrase-MiniLM-L3-v2' or "
        "'local:wordllama-256' (all offline); unset: the model the store was built with, or "
        "the default for a new store. `newsrag reindex --model` moves a store to another.",
    )
    embed_batch_size: int = Field(
        default=32, ge=1, description="Texts per embedding call during ingest."
    )
    embed_threads: int | None = Field(
        default=None,
        ge=1,
        le=64,
        description="Threads of the local embedding model (unset: one per core, at most 4; "
        "the chat's answering processes share the cores between them).",
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
    chroma_host: str | None = Field(
        default=None,
        validation_alias=AliasChoices("chroma_host", "CHROMA_HOST"),
        description="CHROMA_HOST: use the Chroma server (or distributed deployment) at this host "
        "through chromadb.HttpClient instead of the embedded store under home.",
    )
    chroma_port: int = Field(
        default=8000,
        ge=1,
        le=65535,
        validation_alias=AliasChoices("chroma_port", "CHROMA_PORT"),
        description="CHROMA_PORT: the Chroma server's port.",
    )
    chroma_ssl: bool = Field(
        default=False,
        validation_alias=AliasChoices("chroma_ssl", "CHROMA_SSL"),
        description="CHROMA_SSL: talk HTTPS to the Chroma server.",
    )
    chroma_token: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("chroma_token", "CHROMA_TOKEN", "CHROMA_AUTH_TOKEN"),
        description="CHROMA_TOKEN: sent as 'Authorization: Bearer <token>' (Chroma's token "
        "auth client provider).",
    )
    chroma_tenant: str = Field(
        default="default_tenant",
        validation_alias=AliasChoices("chroma_tenant", "CHROMA_TENANT"),
        description="CHROMA_TENANT: tenant on the Chroma server.",
    )
    chroma_database: str = Field(
        default="default_database",
        validation_alias=AliasChoices("chroma_database", "CHROMA_DATABASE"),
        description="CHROMA_DATABASE: database on the Chroma server.",
    )
    lock_timeout: float = Field(
        default=600.0,
        ge=0.0,
        description="Embedded store: seconds a writer waits for another process's ingest or "
        "delete to finish before giving up (0: fail at once).",
    )
    k: int = Field(default=5, ge=1, le=100, description="Chunks retrieved per question.")
    retrieval: Literal["hybrid", "dense", "lexical"] = Field(
        default="hybrid",
        description="'hybrid': dense (Chroma) and BM25 rankings fused; or one of them alone.",
    )
    candidates: int = Field(
        default=100, ge=1, le=1000, description="Chunks each retriever offers to the fusion."
    )
    rrf_k: int = Field(default=20, ge=1, description="Reciprocal rank fusion constant.")
    lexical_weight: float | None = Field(
        default=None,
        ge=0.0,
        description="Weight of the BM25 ranking in the fusion (dense: 1); unset: the embedding "
        "model's own (0.5 for MiniLM, 1.0 for the static wordllama vectors).",
    )
    per_article: int = Field(
        default=2,
        ge=0,
        description="Most chunks of one article among the k (0: no cap); applied after the "
        "reader has read the candidates, so an article keeps the chunks it rates best.",
    )
    recency_weight: float = Field(
        default=3.0,
        ge=0.0,
        description="With as_of: boost of an article published that day (decays with age).",
    )
    recency_days: float = Field(
        default=7.0, gt=0, description="With as_of: days over which the recency boost decays."
    )
    override_refusal: float | None = Field(
        default=None,
        ge=0.0,
        le=1.0,
        description="LLM mode: a model's refusal is overruled by the quoted evidence only when "
        "the reader's answer probability is at least this (unset: the reader card's line, "
        "chosen on the dev sets for 0.9 precision); below it the refusal stands.",
    )
    min_support: float | None = Field(
        default=None,
        ge=0.0,
        le=1.0,
        description="Offline answers: refuse when the reader's confidence (0..1) is below this; "
        "unset: the operating point fitted with the reader (its card in rag/models).",
    )
    reader_candidates: int | None = Field(
        default=16,
        ge=1,
        le=200,
        description="Passages the reader model reads per question at most (unset: its card's, "
        "24); 16 with reader_first 8 reads 8, and 8 more only when none of the 8 answers.",
    )
    reader_batch: int = Field(
        default=1,
        ge=1,
        le=64,
        description="Passages per run of the reader model; 1 (the default) reads each alone, "
        "so its verdict does not depend on the other passages retrieved (the int8 model scales "
        "activations per run), one thread each, side by side; 16 was the default until "
        "2026-12-06 (README, 'The reader model').",
    )
    reader_first: int = Field(
        default=8,
        ge=0,
        le=200,
        description="Read this many passages first and the rest of the reader's candidates "
        "only when none of them answers with probability reader_enough (0: read all at once).",
    )
    reader_enough: float = Field(
        default=0.4,
        ge=0.0,
        le=1.0,
        description="With reader_first: the answer probability of a passage among the first "
        "that makes reading the rest unnecessary.",
    )
    reader_prior: float = Field(
        default=2.0,
        ge=0.0,
        le=10.0,
        description="Weight of the first stage in the reader's order: passages are ranked by "
        "the reader's answer logit plus this times the log of their fused retrieval score.",
    )
    kind_penalty: float = Field(
        default=3.0,
        ge=0.0,
        le=50.0,
        description="Taken from a passage's answer logit when none of the reader's spans in it "
        "is of the kind the question asks for (money, a duration, an age, a count of the thing "
        "named: rag.core.kinds); 0 turns the check off.",
    )
    reader_model: Path | None = Field(
        default=None,
        description="The reader model's card (a reader_net.json written by `python -m train`, "
        "its ONNX file beside it); unset: the bundled one.",
    )
    max_quotes: int = Field(
        default=2, ge=1, le=5, description="Extractive answerer: most sentences quoted."
    )
    conflict_line: float = Field(
        default=0.3,
        ge=0.0,
        le=1.0,
        description="A passage counts as a report of the asked value when the reader's answer "
        "probability for it is at least this; reports that disagree are said to differ.",
    )

    llm: Literal["auto", "openai", "local", "extractive"] = Field(
        default="auto",
        description="Who writes answers: 'openai' (any OpenAI-compatible endpoint), 'local' (a "
        "GGUF model in this process, NEWSRAG_LOCAL_MODEL), 'extractive' (offline quotes) or "
        "'auto' (openai when OPENAI_API_KEY or OPENAI_BASE_URL is set).",
    )
    llm_style: Literal["prose", "extract"] = Field(
        default="prose",
        description="How the model answers: 'prose' (it writes the answer with [n] markers, "
        "every claim then checked) or 'extract' (it picks the numbered sentences that answer, "
        "as JSON held to a schema, and the reply quotes them: exact by construction).",
    )
    model: str = Field(default=DEFAULT_MODEL, description="Chat model name at the endpoint.")
    local_model: Path | None = Field(
        default=None, description="NEWSRAG_LLM=local: the .gguf file llama.cpp runs in process."
    )
    local_context: int = Field(
        default=4096, ge=512, le=131072, description="NEWSRAG_LLM=local: context window (tokens)."
    )
    local_threads: int | None = Field(
        default=None, ge=1, le=256, description="NEWSRAG_LLM=local: threads (unset: every core)."
    )
    openai_api_key: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("openai_api_key", "OPENAI_API_KEY"),
        description="OPENAI_API_KEY: the endpoint's key (a local server may need none).",
    )
    openai_base_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("openai_base_url", "OPENAI_BASE_URL"),
        description="OPENAI_BASE_URL: an OpenAI-compatible endpoint, e.g. "
        "http://127.0.0.1:11434/v1 for Ollama; unset means api.openai.com.",
    )
    fallback: Literal["extractive", "none"] = Field(
        default="extractive",
        description="When the endpoint fails: answer offline (extractive, marked as a fallback) "
        "or 'none' to report the error and stop.",
    )
    temperature: float = Field(default=0.0, ge=0.0, le=2.0, description="Sampling temperature.")
    max_answer_tokens: int = Field(
        default=512, ge=16, description="Most tokens the model may write per answer."
    )
    llm_timeout: float = Field(
        default=60.0, gt=0, description="Seconds to wait for the endpoint per request."
    )
    llm_max_retries: int = Field(
        default=2,
        ge=0,
        le=10,
        description="Retries (with exponential backoff) after a timeout, 429 or 5xx.",
    )
    claim_check: Literal["rules", "model"] = Field(
        default="rules",
        description="LLM answers: 'rules': cosine and word overlap with NEWSRAG_CLAIM_SUPPORT, "
        "the names, dates, figures and titles the quote must state (spaCy), negations and "
        "antonyms; 'model': the rules, then the trained claim checker (rag/models/claim_net.json) "
        "reads each claim the rules pass against its cited sentences and rejects it below "
        "NEWSRAG_CLAIM_LINE.",
    )
    claim_line: float = Field(
        default=0.05,
        ge=0.0,
        le=1.0,
        description="LLM answers with NEWSRAG_CLAIM_CHECK=model: a claim the rules pass is "
        "unsupported when the claim checker rates every sentence of its cited sources below this "
        "(chosen on eval/datasets/claims1 + claims2, rag/models/CLAIMS.md).",
    )
    claim_model: Path | None = Field(
        default=None,
        description="The claim checker's card (a claim_net.json written by `python -m "
        "train.claims`, its ONNX file beside it); unset: the bundled one.",
    )
    claim_support: float = Field(
        default=0.35,
        description="LLM answers: a cited claim whose best source sentence scores below this "
        "(cosine and word overlap) is listed in Answer.unsupported.",
    )
    unsupported: Literal["fallback", "drop", "flag"] = Field(
        default="fallback",
        description="LLM answers with a sentence no source supports (no marker, weak support, "
        "or a name/date/number the quote lacks): 'fallback' replaces the answer with the quoted "
        "offline evidence (when NEWSRAG_FALLBACK allows) and lets the evidence decide refusals "
        "(no call when the reader finds no answer; a model refusal against the evidence gives "
        "way to the quoted answer); 'drop' does the same but first keeps the answer's supported, "
        "cited sentences when there are any (the others go to Answer.dropped_claims); 'flag' "
        "keeps the model's answer and lists them.",
    )
    prices: Path | None = Field(
        default=None,
        description="A TOML file of USD prices per million tokens that extends or overrides "
        "the built-in table (see rag/pricing.py).",
    )

    auth: SecretStr | None = Field(
        default=None,
        description="'user:password' turns on login for `newsrag serve`.",
    )
    allow_private_urls: bool = Field(
        default=False,
        description="Let the chat's URL box fetch loopback, private, link-local and metadata "
        "addresses (the CLI always may: its user owns the machine).",
    )
    fetch_timeout: float = Field(
        default=15.0, gt=0, description="Seconds to fetch one web page or feed."
    )
    feed_deadline: float = Field(
        default=120.0,
        gt=0,
        description="Seconds for all the items of one feed; an item not fetched by then is "
        "reported and fetched at the next poll.",
    )
    feed_host_budget: float = Field(
        default=60.0,
        gt=0,
        description="Seconds of requests one host may take within one feed (a slow site "
        "cannot use the whole deadline); the rest of its items wait for the next poll.",
    )
    max_fetch_mb: float = Field(
        default=5.0, gt=0, description="Largest web page or feed fetched, in MB."
    )
    max_article_mb: float = Field(
        default=2.0,
        gt=0,
        description="Largest single article (a file, or one JSONL record) ingest accepts, in MB.",
    )
    max_upload_mb: int = Field(
        default=10, ge=1, le=1024, description="Largest file the chat's upload accepts."
    )
    workers: int | None = Field(
        default=None,
        ge=0,
        le=64,
        description="`newsrag serve`: processes that answer chat questions side by side "
        "(unset: one per CPU core offline, 0 in LLM mode; 0: answer in threads of the server).",
    )

    @field_validator(
        "openai_api_key", "openai_base_url", "chroma_host", "chroma_token", mode="before"
    )
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        """OPENAI_API_KEY= (empty, common in CI and Docker) means no key, not an empty key."""
        return None if isinstance(value, str) and not value.strip() else value

    @model_validator(mode="after")
    def _overlap_below_chunk(self) -> Settings:
        if self.chunk_overlap_tokens >= self.chunk_tokens:
            raise ValueError(
                f"chunk_overlap_tokens ({self.chunk_overlap_tokens}) must be smaller than "
                f"chunk_tokens ({self.chunk_tokens})"
            )
        if self.auth is not None:  # set but blank is a mistake, not "no login"
            user, _, password = self.auth.get_secret_value().strip().partition(":")
            if not user or not password:
                raise ValueError(
                    "auth must look like user:password (both non-empty); unset it for no login"
                )
        return self

    def store_location(self) -> str:
        """Where the store lives, for messages: the Chroma server's URL or the home folder."""
        if self.chroma_host:
            scheme = "https" if self.chroma_ssl else "http"
            return f"{scheme}://{self.chroma_host}:{self.chroma_port}"
        return str(self.home)

    def auth_pair(self) -> tuple[str, str] | None:
        """NEWSRAG_AUTH as (user, password) for Gradio, or None."""
        if self.auth is None:
            return None
        user, _, password = self.auth.get_secret_value().partition(":")
        return user, password
