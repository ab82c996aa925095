"""Deterministic test doubles: a bag-of-words hashing embedder that counts its calls."""

from __future__ import annotations

import hashlib
import math
import re

from langchain_core.embeddings import Embeddings


class HashingEmbedder(Embeddings):
    """Each lower-cased word adds 1 to a dimension chosen by its hash; vectors are L2-normalised.

    Texts sharing words are similar, so retrieval tests have predictable winners.
    """

    def __init__(self, name: str = "test:hashing", dimension: int = 256) -> None:
        self.name = name
        self.dimension = dimension
        self.calls = 0
        self.texts_embedded = 0

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.calls += 1
        self.texts_embedded += len(texts)
        return [self._vector(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]

    def _vector(self, text: str) -> list[float]:
        vector = [0.0] * self.dimension
        for word in re.findall(r"[a-z0-9]+", text.lower()):
            vector[int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dimension] += 1.0
        norm = math.sqrt(sum(v * v for v in vector)) or 1.0
        return [v / norm for v in vector]


class CountingEmbedder(Embeddings):
    """Wraps a real embedder and counts the texts it is asked to embed."""

    def __init__(self, inner: Embeddings) -> None:
        self.inner = inner
        self.name = inner.name
        self.dimension = inner.dimension
        self.documents_embedded = 0

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.documents_embedded += len(texts)
        return self.inner.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_query(text)
