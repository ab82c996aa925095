"""Retrieval: dense search in Chroma and BM25 over the same chunks, fused by reciprocal rank,
boosted towards the question's day (``Filters.as_of``), capped per article for diversity.

Usage: ``retrieval = Retriever(store, embedder, lexical, settings).retrieve("Who ...?", 5)``
"""

from __future__ import annotations

from rag.core.embeddings import Embedder
from rag.core.lexical import LexicalCache
from rag.core.settings import Settings
from rag.core.store import Store
from rag.core.types import Filters, Hit, Retrieval
from rag.query.fusion import per_article_cap, recency_prior, reciprocal_rank_fusion


class Retriever:
    """Hybrid retriever over one store; ``settings.retrieval`` picks hybrid, dense or lexical."""

    def __init__(
        self, store: Store, embedder: Embedder, lexical: LexicalCache, settings: Settings
    ) -> None:
        self.store = store
        self.embedder = embedder
        self.lexical = lexical
        self.settings = settings

    def retrieve(self, question: str, k: int, filters: Filters | None = None) -> Retrieval:
        """The ``k`` best chunks for ``question`` under ``filters``, best first."""
        filters = filters or Filters()
        s = self.settings
        vector = list(self.embedder.embed_query(question))
        n = max(k, s.candidates)
        rankings: list[tuple[list[Hit], float]] = []
        if s.retrieval in ("hybrid", "dense"):
            rankings.append((self.store.search(vector, n, filters), 1.0))
        if s.retrieval in ("hybrid", "lexical"):
            lexical = self.lexical.current().search(question, n, filters)
            rankings.append((lexical, s.lexical_weight if s.retrieval == "hybrid" else 1.0))
        hits = reciprocal_rank_fusion(rankings, s.rrf_k)
        if filters.as_of is not None and s.recency_weight > 0:
            hits = recency_prior(hits, filters.as_of, s.recency_weight, s.recency_days)
        return Retrieval(question, vector, per_article_cap(hits, s.per_article, k))
