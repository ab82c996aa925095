"""Retrieval: dense search in Chroma and BM25 over the same chunks, fused by reciprocal rank,
boosted towards the question's day (``Filters.as_of``), reranked by the reader model (when
given), capped per article for diversity.

Usage: ``retrieval = Retriever(store, embedder, lexical, settings).retrieve("Who ...?", 5)``
"""

from __future__ import annotations

from rag.core.embeddings import Embedder
from rag.core.lexical import LexicalCache
from rag.core.settings import Settings
from rag.core.store import Store
from rag.core.types import Filters, Hit, Retrieval
from rag.query.retrieval.fusion import per_article_cap, recency_prior, reciprocal_rank_fusion
from rag.query.retrieval.rerank import Reranker

LEXICAL_WEIGHT = 0.5  # BM25's weight in the fusion unless the embedder names its own


class Retriever:
    """Hybrid retriever over one store; ``settings.retrieval`` picks hybrid, dense or lexical."""

    def __init__(
        self,
        store: Store,
        embedder: Embedder,
        lexical: LexicalCache,
        settings: Settings,
        reranker: Reranker | None = None,
    ) -> None:
        self.store = store
        self.embedder = embedder
        self.lexical = lexical
        self.settings = settings
        self.reranker = reranker  # the reader reorders the fused candidates before the cut

    def retrieve(self, question: str, k: int, filters: Filters | None = None) -> Retrieval:
        """The ``k`` best chunks for ``question`` under ``filters``, best first."""
        filters = filters or Filters()
        s = self.settings
        vector = list(self.embedder.embed_query(question))
        n = max(k, s.candidates)
        if s.retrieval == "hybrid":
            rankings = self._hybrid(question, vector, n, filters)
        elif s.retrieval == "dense":
            rankings = [(self.store.search(vector, n, filters), 1.0)]
        else:
            rankings = [(self.lexical.current().search(question, n, filters), 1.0)]
        hits = reciprocal_rank_fusion(rankings, s.rrf_k)
        if filters.as_of is not None and s.recency_weight > 0:
            hits = recency_prior(hits, filters.as_of, s.recency_weight, s.recency_days)
        if self.reranker is not None and hits:
            hits = self.reranker.rerank(question, hits)
        return Retrieval(question, vector, per_article_cap(hits, s.per_article, k))

    def _hybrid(
        self, question: str, vector: list[float], n: int, filters: Filters
    ) -> list[tuple[list[Hit], float]]:
        """The dense and the BM25 ranking. The dense hits are made from the lexical index's
        rows (the same chunks and article metadata, of the generation the neighbour search has
        just read, so the index reads no generation of its own): Chroma reads records at about
        0.06 ms a row, 25 ms for the 400 neighbours a filtered search looks among at 100k
        chunks. The store's own search answers where the index cannot (a chunk it lacks, too
        few neighbours passing the filters)."""
        ranked = self.store.nearest_ids(vector, n, filters)
        index = self.lexical.current(self.store.seen)
        dense = index.dense_hits(ranked, n, filters)
        if dense is None:
            dense = self.store.search(vector, n, filters)
        weight = self.settings.lexical_weight
        if weight is None:  # a weaker dense ranking leans more on BM25
            weight = getattr(self.embedder, "lexical_weight", LEXICAL_WEIGHT)
        return [(dense, 1.0), (index.search(question, n, filters), weight)]
