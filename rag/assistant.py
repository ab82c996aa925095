"""The public API: ``Assistant.ingest / ask / stream / retrieve / answer / timeline / delete /
stats / check / repair / reindex``.

Usage::

    from rag import Assistant, Filters
    a = Assistant()                      # settings from NEWSRAG_* env, offline defaults
    a.ingest(["eval/datasets/seed/"])
    ans = a.ask("Who leads the Pakistani delegation?", filters=Filters(source="VOA"))
    print(ans.text, ans.citations[0].quote)
    retrieval = a.retrieve("Who leads ...?", k=10)   # the two public stages, as eval uses them
    answer = a.answer(retrieval.top(5))
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ingest.index import Indexer
from ingest.repair import repair
from ingest.sources import count_articles, read_sources, split_sources
from ingest.urls import web_addresses
from rag.core.embeddings import DEFAULT_EMBEDDING_MODEL, Embedder, make_embeddings
from rag.core.errors import InputError
from rag.core.integrity import Health, examine
from rag.core.news import Timeline
from rag.core.settings import Settings
from rag.core.store import Store
from rag.core.types import (
    Answer,
    Article,
    ArticleInfo,
    Filters,
    IngestReport,
    ReindexReport,
    Retrieval,
    Skipped,
    Turn,
)
from rag.pipeline import Pipeline, build_pipeline, open_stored
from rag.query.llm.fallback import Answerer
from rag.query.llm.nlp import Nlp, needs_spacy
from rag.query.reading.timeline import build_timeline

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel
    from langchain_core.retrievers import BaseRetriever
    from langchain_core.runnables import Runnable

MAX_QUESTION_CHARS = 2000
_CONTROL = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|[\x00-\x1f\x7f-\x9f]")  # CSI codes too


class Assistant:
    """Question answering over the articles in one store; the pipeline is built on first use.

    ``chat_model`` (any LangChain chat model) forces LLM answers; otherwise NEWSRAG_LLM and
    OPENAI_API_KEY / OPENAI_BASE_URL decide.
    """

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        embeddings: Embedder | None = None,
        store: Store | None = None,
        answerer: Answerer | None = None,
        chat_model: BaseChatModel | None = None,
        notice: Callable[[str], None] | None = None,
        nlp: Nlp | None = None,
    ) -> None:
        self.settings = settings or Settings()
        self.notice = notice  # told when a write waits for another process's write
        self._parts: dict[str, Any] = {"embeddings": embeddings, "store": store}
        self._parts |= {"answerer": answerer, "chat_model": chat_model}
        self._pipeline: Pipeline | None = None
        # built here so a question can start loading spaCy first; ``newsrag ask`` passes an
        # NlpProcess (spaCy in a helper process beside this one's store and encoder)
        self._nlp = nlp or Nlp()

    def _warm(self) -> None:
        """A question needs spaCy and the encoder: start loading both (spaCy in a thread or a
        helper process, the encoder in a thread) before the store opens."""
        if self._parts["answerer"] is None and needs_spacy(self.settings):
            self._nlp.preload()
        if self._pipeline is None:
            self._pipeline = build_pipeline(
                self.settings, nlp=self._nlp, preload=True, **self._parts
            )

    @property
    def pipeline(self) -> Pipeline:
        if self._pipeline is None:
            self._pipeline = build_pipeline(self.settings, nlp=self._nlp, **self._parts)
        return self._pipeline

    @property
    def mode(self) -> str:
        """'llm' when a chat model answers, else 'extractive'."""
        return self.pipeline.mode

    @property
    def endpoint(self) -> str | None:
        """The chat endpoint's URL in LLM mode, else None."""
        return self.pipeline.endpoint

    def ingest(
        self,
        sources: Sequence[str | Path],
        progress: Callable[[IngestReport], None] | None = None,
        *,
        allow_private: bool = True,
        id_space: str = "",
    ) -> IngestReport:
        """Ingest files, folders, JSONL corpora, web pages and feeds; a wire story is stored once.
        ``allow_private=False`` (the chat): no local paths, no local or private addresses.
        ``id_space`` prefixes the files' article ids (one per chat session: no id collides)."""
        if not allow_private:
            web_addresses(" ".join(str(s) for s in sources))  # no server file for a chat user
        paths, urls = split_sources(sources)  # every source is checked before anything is read
        expected = count_articles(paths) if progress else 0
        limit = int(self.settings.max_article_mb * 1_000_000)
        items: Iterable[Article | Skipped] = read_sources(paths, limit, id_space)
        if not urls:
            return self._indexer(progress).index(items, expected=expected)
        from ingest.fetch import Fetcher, fetch_policy  # httpx, trafilatura: web ingests only
        from ingest.web_sources import FeedState, read_urls

        state = FeedState(self.settings.home / "feeds.json")
        fetcher = Fetcher(fetch_policy(self.settings, allow_private))
        items = chain(items, read_urls(urls, fetcher, state))
        report = self._indexer(progress).index(items, expected=expected + len(urls), stories=True)
        state.save()
        return report

    def _indexer(self, progress: Callable[[IngestReport], None] | None = None) -> Indexer:
        p = self.pipeline
        return Indexer(p.store, p.embedder, p.chunker, progress, self.notice)

    def check(self) -> Health:
        """What is wrong with the store (``newsrag check``); nothing is changed."""
        return examine(self.pipeline.store.census())

    def repair(self) -> tuple[Health, IngestReport]:
        """Fix what ``check`` finds: drop bad chunks, index damaged articles again."""
        return repair(self.pipeline.store, self._indexer())

    def reindex(
        self,
        model: str | Embedder | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> ReindexReport:
        """Embed every stored chunk again with ``model`` (else NEWSRAG_EMBEDDING_MODEL, else
        the default for new stores) and make the store use it; resumable after a kill, and
        questions are answered from the old vectors until the new ones are complete."""
        from ingest.reindex import reindex  # only this command needs it

        target = model if isinstance(model, Embedder) else None
        name = None if isinstance(model, Embedder) else model
        target = target or make_embeddings(
            self.settings, name or self.settings.embedding_model or DEFAULT_EMBEDDING_MODEL
        )
        injected = self._pipeline or self._parts["store"] or self._parts["embeddings"]
        store = self.pipeline.store if injected else open_stored(self.settings)
        report = reindex(store, target, progress, self.notice)
        self._pipeline = None  # the next question embeds with the store's model
        if self._parts["store"] is not None or self._parts["embeddings"] is not None:
            self._parts["embeddings"] = target
        return report

    def retrieve(
        self, question: str, k: int | None = None, filters: Filters | None = None
    ) -> Retrieval:
        """The ``k`` chunks that best match ``question`` under ``filters``, best first."""
        return self.pipeline.retriever.retrieve(
            _check_question(question), _check_k(k, self), filters
        )

    def answer(self, retrieval: Retrieval) -> Answer:
        """Answer from ``retrieval`` (with the offline fallback in LLM mode), cost included."""
        answer = self.pipeline.answerer.answer(retrieval)
        answer = replace(answer, question=answer.question or retrieval.question)
        return self.pipeline.price(answer)

    def ask(
        self,
        question: str,
        *,
        history: Sequence[Turn | Answer] | None = None,
        k: int | None = None,
        filters: Filters | None = None,
    ) -> Answer:
        """Answer ``question`` from the stored articles, with citations, or refuse.

        ``history`` holds the earlier turns of a conversation (Turn or Answer objects); a
        follow-up is condensed into a standalone question (``Answer.condensed_question``).
        """
        *_, final = self.stream(question, history=history, k=k, filters=filters)
        assert isinstance(final, Answer)
        return final

    def stream(
        self,
        question: str,
        *,
        history: Sequence[Turn | Answer] | None = None,
        k: int | None = None,
        filters: Filters | None = None,
    ) -> Iterator[str | Answer]:
        """Yield the answer text in pieces as it is written, then the final Answer.

        The pieces join to ``Answer.text`` (after a ``Restart`` event, the pieces after it).
        When the endpoint fails and NEWSRAG_FALLBACK is 'extractive', the offline answer
        follows instead, with ``Answer.fallback`` saying why.
        """
        self._warm()
        question, k = _check_question(question), _check_k(k, self)
        p = self.pipeline
        laps = [time.perf_counter()]
        condensed = p.condenser.condense(question, [_as_turn(t) for t in history or []])
        laps.append(time.perf_counter())
        retrieval = p.retriever.retrieve(condensed.question, k, filters)
        if not retrieval.hits and filters and (filters.source or filters.since or filters.until):
            raise InputError(f"no stored article matches {_describe(filters)}; loosen the filters")
        laps.append(time.perf_counter())
        final: Answer | None = None
        for event in p.answerer.stream(retrieval, failed=condensed.failure):
            if isinstance(event, Answer):
                final = event
            else:
                yield event
        laps.append(time.perf_counter())
        assert final is not None
        final = replace(
            final,
            question=question,
            condensed_question=condensed.question,
            timings_ms={**final.timings_ms, **_timings(laps)},
        )
        yield p.price(final, condensed.usage)

    def timeline(self, query: str, filters: Filters | None = None) -> Timeline:
        """The story ``query`` names as dated events, oldest first, each an exact quote with
        its [n] (wire copies and repeats merged); ``filters.since``/``until`` bound the days."""
        p = self.pipeline
        return build_timeline(
            p.retriever.lexical.current(), _check_question(query), filters or Filters()
        )

    def as_retriever(self, k: int | None = None, filters: Filters | None = None) -> BaseRetriever:
        """This assistant's retrieval stage as a LangChain retriever (Documents with ids,
        title, url, published, chunk id and offsets in their metadata)."""
        from rag.adapters import AssistantRetriever

        return AssistantRetriever(assistant=self, k=k, filters=filters)

    def as_chain(self) -> Runnable:
        """A LangChain Runnable from a question (or {"question", "history"}) to the Answer;
        ``.stream`` yields the text pieces and then the Answer, as ``stream`` does."""
        from rag.adapters import AnswerChain

        return AnswerChain(self)

    def get_article(self, article_id: str) -> Article:
        return self.pipeline.store.get_article(article_id)

    def list_articles(self) -> list[ArticleInfo]:
        return self.pipeline.store.list_articles()

    def delete(self, article_id: str) -> int:
        """Delete one article and its chunks; returns how many chunks went."""
        store = self.pipeline.store
        with store.writing(self.notice):
            return store.delete_article(article_id)

    def stats(self) -> dict[str, Any]:
        p = self.pipeline
        counts = p.store.counts()
        return {
            "mode": p.mode,
            "model": self.settings.model if p.mode == "llm" else p.embedder.name,
            "home": self.settings.store_location(),
            "articles": counts["articles"],
            "chunks": counts["chunks"],
            "embedding_model": p.store.model,
            "embedding_dim": p.store.dimension,
            "chunk_tokens": self.settings.chunk_tokens,
            "chunk_overlap_tokens": self.settings.chunk_overlap_tokens,
        }


def _timings(laps: list[float]) -> dict[str, float]:
    started, condensed, retrieved, done = laps
    return {
        "condense": (condensed - started) * 1000,
        "retrieve": (retrieved - condensed) * 1000,
        "answer": (done - retrieved) * 1000,
        "total": (done - started) * 1000,
    }


def _as_turn(turn: Turn | Answer) -> Turn:
    if isinstance(turn, Answer):  # the standalone form carries the topic into the next turn
        return Turn(turn.condensed_question or turn.question, turn.text)
    return turn


def _check_k(k: int | None, assistant: Assistant) -> int:
    if k is None:
        return assistant.settings.k
    if k < 1:
        raise InputError(f"k must be at least 1, not {k}")
    return k


def _describe(filters: Filters) -> str:
    parts = [f"source {filters.source!r}" if filters.source else ""]
    parts += [f"published since {filters.since}" if filters.since else ""]
    parts += [f"until {filters.until}" if filters.until else ""]
    return "the filters (" + ", ".join(p for p in parts if p) + ")"


def _check_question(question: str) -> str:
    question = " ".join(_CONTROL.sub(" ", question or "").split())  # pasted controls are spaces
    if not question:
        raise InputError('the question is empty; ask something, e.g. newsrag ask "Who ...?"')
    if len(question) > MAX_QUESTION_CHARS:
        raise InputError(
            f"the question is {len(question)} characters long; keep it under {MAX_QUESTION_CHARS}"
        )
    return question
