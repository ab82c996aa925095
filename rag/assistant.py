"""The public API: ``Assistant.ingest / ask / stream / delete / list_articles / stats``.

Usage::

    from rag import Assistant
    a = Assistant()                      # settings from NEWSRAG_* env, offline defaults
    a.ingest(["eval/datasets/seed/"])
    ans = a.ask("Who leads the Pakistani delegation?")
    print(ans.text, ans.citations[0].quote)
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from ingest.chunk import Chunker
from ingest.index import Indexer
from ingest.sources import read_sources, resolve_sources
from prompts import load_prompt
from rag.answer import Answerer, ExtractiveAnswerer
from rag.embeddings import Embedder, make_embeddings
from rag.errors import InputError
from rag.retrieve import Filters, Retriever
from rag.settings import Settings
from rag.store import Store, open_store
from rag.tokens import load_encoding
from rag.types import Answer, Article, ArticleInfo, IngestReport

MAX_QUESTION_CHARS = 2000


class Assistant:
    """Question answering over the articles in one store. Models and store are built lazily."""

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        embeddings: Embedder | None = None,
        store: Store | None = None,
        answerer: Answerer | None = None,
    ) -> None:
        self.settings = settings or Settings()
        self._embeddings = embeddings
        self._store = store
        self._answerer = answerer

    @property
    def embeddings(self) -> Embedder:
        if self._embeddings is None:
            self._embeddings = make_embeddings(self.settings)
        return self._embeddings

    @property
    def store(self) -> Store:
        if self._store is None:
            emb = self.embeddings
            self._store = open_store(self.settings, emb.name, emb.dimension)
        return self._store

    @property
    def answerer(self) -> Answerer:
        if self._answerer is None:
            self._answerer = ExtractiveAnswerer(
                self.embeddings,
                refusal=load_prompt("refusal"),
                min_support=self.settings.min_support,
                max_quotes=self.settings.max_quotes,
            )
        return self._answerer

    def chunker(self) -> Chunker:
        return Chunker(
            load_encoding(self.settings.encoding),
            self.settings.chunk_tokens,
            self.settings.chunk_overlap_tokens,
        )

    def ingest(
        self, sources: Sequence[str | Path], progress: Callable[[IngestReport], None] | None = None
    ) -> IngestReport:
        """Ingest files, folders and JSONL corpora; unchanged articles are not embedded again."""
        paths = resolve_sources(sources)  # every path is checked before anything is stored
        indexer = Indexer(self.store, self.embeddings, self.chunker(), progress)
        return indexer.index(read_sources(paths))

    def ask(
        self,
        question: str,
        *,
        k: int | None = None,
        source: str | None = None,
        since: date | None = None,
        until: date | None = None,
    ) -> Answer:
        """Answer ``question`` from the stored articles, with citations, or refuse."""
        question = _check_question(question)
        if k is not None and k < 1:
            raise InputError(f"k must be at least 1, not {k}")
        started = time.perf_counter()
        retrieval = Retriever(self.store, self.embeddings).retrieve(
            question,
            self.settings.k if k is None else k,
            Filters(source=source, since=since, until=until),
        )
        retrieved = time.perf_counter()
        answer = self.answerer.answer(retrieval)
        done = time.perf_counter()
        answer.timings_ms = {
            "retrieve": (retrieved - started) * 1000,
            "answer": (done - retrieved) * 1000,
            "total": (done - started) * 1000,
        }
        return answer

    def stream(self, question: str, **filters: Any) -> Iterator[str | Answer]:
        """Yield the answer text in pieces (one quoted sentence at a time), then the Answer."""
        answer = self.ask(question, **filters)
        if answer.refused or not answer.citations:
            yield answer.text
        for i, c in enumerate(answer.citations):
            yield f"{c.quote} [{c.marker}]" + (" " if i < len(answer.citations) - 1 else "")
        yield answer

    def get_article(self, article_id: str) -> Article:
        return self.store.get_article(article_id)

    def list_articles(self) -> list[ArticleInfo]:
        return self.store.list_articles()

    def delete(self, article_id: str) -> int:
        """Delete one article and its chunks; returns how many chunks went."""
        return self.store.delete_article(article_id)

    def stats(self) -> dict[str, Any]:
        counts = self.store.counts()
        return {
            "home": str(self.settings.home),
            "articles": counts["articles"],
            "chunks": counts["chunks"],
            "embedding_model": self.store.model,
            "embedding_dim": self.store.dimension,
            "chunk_tokens": self.settings.chunk_tokens,
            "chunk_overlap_tokens": self.settings.chunk_overlap_tokens,
        }


def _check_question(question: str) -> str:
    question = (question or "").strip()
    if not question:
        raise InputError('the question is empty; ask something, e.g. newsrag ask "Who ...?"')
    if len(question) > MAX_QUESTION_CHARS:
        raise InputError(
            f"the question is {len(question)} characters long; keep it under {MAX_QUESTION_CHARS}"
        )
    return question
