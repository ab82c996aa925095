"""Retrieval: dense top-k over the chunk collection with source and date filters.

Usage: ``hits = Retriever(store, embedder).retrieve("Who leads ...?", k=5, filters=Filters())``
Hybrid (dense + BM25) retrieval slots in behind the same ``retrieve`` signature.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from rag.dates import day_number
from rag.embeddings import Embedder
from rag.store import Store
from rag.types import Hit


@dataclass(frozen=True, slots=True)
class Filters:
    """Restrict retrieval to one outlet and/or a publication-date range (inclusive)."""

    source: str | None = None
    since: date | None = None
    until: date | None = None

    def where(self) -> dict[str, Any] | None:
        """The Chroma ``where`` clause; articles without a known date fail a date filter."""
        clauses: list[dict[str, Any]] = []
        if self.source:
            clauses.append({"source": self.source})
        if self.since:
            clauses.append({"published_day": {"$gte": day_number(self.since)}})
        if self.until:
            clauses.append({"published_day": {"$lte": day_number(self.until)}})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}


@dataclass(slots=True)
class Retrieval:
    """The hits for a question and the question's vector (answerers reuse it)."""

    question: str
    vector: list[float]
    hits: list[Hit] = field(default_factory=list)


class Retriever:
    """Dense retriever: embeds the question and asks Chroma for the nearest chunks."""

    def __init__(self, store: Store, embedder: Embedder) -> None:
        self.store = store
        self.embedder = embedder

    def retrieve(self, question: str, k: int, filters: Filters | None = None) -> Retrieval:
        vector = self.embedder.embed_query(question)
        where = (filters or Filters()).where()
        found = self.store.query(vector, k, where)
        records = self.store.article_records([chunk.article_id for chunk, _ in found])
        hits = []
        for chunk, score in found:
            meta = records.get(chunk.article_id, {})
            hits.append(
                Hit(
                    chunk=chunk,
                    score=score,
                    title=meta.get("title", ""),
                    url=meta.get("url", ""),
                    published=meta.get("published", ""),
                    source=meta.get("source", ""),
                )
            )
        return Retrieval(question=question, vector=list(vector), hits=hits)
