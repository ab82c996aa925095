"""Retrieval: embed the question, ask the store for the nearest chunks under the filters.

Usage: ``retrieval = Retriever(store, embedder).retrieve("Who leads ...?", 5, Filters())``
Hybrid (dense + BM25) retrieval slots in behind the same ``retrieve`` signature.
"""

from __future__ import annotations

from rag.core.embeddings import Embedder
from rag.core.store import Store
from rag.core.types import Filters, Retrieval


class Retriever:
    """Dense retriever: embeds the question and asks Chroma for the nearest chunks."""

    def __init__(self, store: Store, embedder: Embedder) -> None:
        self.store = store
        self.embedder = embedder

    def retrieve(self, question: str, k: int, filters: Filters | None = None) -> Retrieval:
        vector = list(self.embedder.embed_query(question))
        return Retrieval(question, vector, self.store.search(vector, k, filters))
