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

from langchain_core.language_models import BaseChatModel

from ingest.chunk import Chunker
from ingest.index import Indexer
from ingest.sources import read_sources, resolve_sources
from prompts import load_prompt
from rag import usage
from rag.answer import Answerer, ExtractiveAnswerer
from rag.condense import Condensed, Condenser, KeywordCondenser, LLMCondenser
from rag.embeddings import Embedder, make_embeddings
from rag.errors import InputError, LLMError
from rag.grounding import Grounder
from rag.llm import explain_error, llm_mode, make_chat_model
from rag.llm_answer import LLMAnswerer
from rag.pricing import Price, estimate_cost, load_prices
from rag.retrieve import Filters, Retriever
from rag.settings import Settings
from rag.store import Store, open_store
from rag.tokens import load_encoding
from rag.types import Answer, Article, ArticleInfo, IngestReport, Restart, Turn

MAX_QUESTION_CHARS = 2000


class Assistant:
    """Question answering over the articles in one store. Models and store are built lazily.

    ``chat_model`` (any LangChain chat model) forces LLM answers; otherwise NEWSRAG_LLM and
    OPENAI_API_KEY / OPENAI_BASE_URL decide (``rag.llm.llm_mode``).
    """

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        embeddings: Embedder | None = None,
        store: Store | None = None,
        answerer: Answerer | None = None,
        chat_model: BaseChatModel | None = None,
    ) -> None:
        self.settings = settings or Settings()
        self._embeddings = embeddings
        self._store = store
        self._answerer = answerer
        self._answerer_injected = answerer is not None
        self._chat_model = chat_model
        self._extractive: ExtractiveAnswerer | None = None
        self._condenser: Condenser | None = None
        self._prices: dict[str, Price] | None = None

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
    def mode(self) -> str:
        """'llm' when a chat model answers, else 'extractive'."""
        if self._answerer_injected and self._answerer is not None:
            return self._answerer.mode
        return "llm" if self.chat_model is not None else "extractive"

    @property
    def chat_model(self) -> BaseChatModel | None:
        if self._chat_model is None and llm_mode(self.settings) == "openai":
            self._chat_model = make_chat_model(self.settings)
        return self._chat_model

    @property
    def extractive(self) -> ExtractiveAnswerer:
        """The offline answerer: the default, and the fallback when the endpoint fails."""
        if self._extractive is None:
            self._extractive = ExtractiveAnswerer(
                self.embeddings,
                refusal=load_prompt("refusal"),
                min_support=self.settings.min_support,
                max_quotes=self.settings.max_quotes,
            )
        return self._extractive

    @property
    def answerer(self) -> Answerer:
        if self._answerer is None:
            chat = self.chat_model
            self._answerer = self.extractive if chat is None else self._llm_answerer(chat)
        return self._answerer

    @property
    def condenser(self) -> Condenser:
        if self._condenser is None:
            chat = None if self._answerer_injected else self.chat_model
            self._condenser = (
                KeywordCondenser()
                if chat is None
                else LLMCondenser(chat, load_encoding(self.settings.encoding), self._explain)
            )
        return self._condenser

    @property
    def prices(self) -> dict[str, Price]:
        if self._prices is None:
            self._prices = load_prices(self.settings.prices)
        return self._prices

    def _llm_answerer(self, chat: BaseChatModel) -> LLMAnswerer:
        return LLMAnswerer(
            chat,
            Grounder(self.embeddings, self.settings.claim_support),
            refusal=load_prompt("refusal"),
            model_name=self.settings.model,
            encoding=load_encoding(self.settings.encoding),
            explain=self._explain,
        )

    def _explain(self, exc: BaseException) -> LLMError | None:
        return explain_error(exc, self.settings)

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
        history: Sequence[Turn | Answer] | None = None,
        k: int | None = None,
        source: str | None = None,
        since: date | None = None,
        until: date | None = None,
    ) -> Answer:
        """Answer ``question`` from the stored articles, with citations, or refuse.

        ``history`` holds the earlier turns of a conversation (Turn or Answer objects); a
        follow-up is condensed into a standalone question (``Answer.condensed_question``).
        """
        *_, final = self.stream(
            question, history=history, k=k, source=source, since=since, until=until
        )
        assert isinstance(final, Answer)
        return final

    def stream(
        self,
        question: str,
        *,
        history: Sequence[Turn | Answer] | None = None,
        k: int | None = None,
        source: str | None = None,
        since: date | None = None,
        until: date | None = None,
    ) -> Iterator[str | Answer]:
        """Yield the answer text in pieces as it is written, then the final Answer.

        The pieces join to ``Answer.text``. When the endpoint fails and NEWSRAG_FALLBACK is
        'extractive', the offline answer follows instead, with ``Answer.fallback`` saying why.
        """
        question = _check_question(question)
        if k is not None and k < 1:
            raise InputError(f"k must be at least 1, not {k}")
        started = time.perf_counter()
        fallback = ""
        turns = [_as_turn(t) for t in history or []]
        try:
            condensed = self.condenser.condense(question, turns)
        except LLMError as exc:
            if self.settings.fallback == "none":
                raise
            fallback = str(exc)
            condensed = KeywordCondenser().condense(question, turns)
        condensed_at = time.perf_counter()
        retrieval = Retriever(self.store, self.embeddings).retrieve(
            condensed.question,
            self.settings.k if k is None else k,
            Filters(source=source, since=since, until=until),
        )
        retrieved = time.perf_counter()
        answerer = self.extractive if fallback else self.answerer
        final: Answer | None = None
        streamed = False
        try:
            for event in answerer.stream(retrieval):
                if isinstance(event, Answer):
                    final = event
                else:
                    streamed = streamed or bool(event)
                    yield event
        except LLMError as exc:
            if self.settings.fallback == "none" or answerer is self.extractive:
                raise
            fallback = str(exc)
            if streamed:
                yield Restart()  # what was shown is replaced by the offline answer
            *pieces, final = self.extractive.stream(retrieval)
            yield from pieces  # type: ignore[misc]
        assert isinstance(final, Answer)
        done = time.perf_counter()
        yield self._finish(
            final, question, condensed, fallback, started, condensed_at, retrieved, done
        )

    def _finish(
        self,
        answer: Answer,
        question: str,
        condensed: Condensed,
        fallback: str,
        *times: float,
    ) -> Answer:
        started, condensed_at, retrieved, done = times
        answer.question = question
        answer.condensed_question = condensed.question
        answer.fallback = fallback
        answer.usage = usage.add(answer.usage, condensed.usage) if condensed.usage else answer.usage
        if answer.mode == "llm" or condensed.usage:
            answer.cost_usd = estimate_cost(self.settings.model, answer.usage, self.prices)
        answer.timings_ms = {
            **answer.timings_ms,
            "condense": (condensed_at - started) * 1000,
            "retrieve": (retrieved - condensed_at) * 1000,
            "answer": (done - retrieved) * 1000,
            "total": (done - started) * 1000,
        }
        return answer

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
            "mode": self.mode,
            "model": self.settings.model if self.mode == "llm" else self.embeddings.name,
            "home": str(self.settings.home),
            "articles": counts["articles"],
            "chunks": counts["chunks"],
            "embedding_model": self.store.model,
            "embedding_dim": self.store.dimension,
            "chunk_tokens": self.settings.chunk_tokens,
            "chunk_overlap_tokens": self.settings.chunk_overlap_tokens,
        }


def _as_turn(turn: Turn | Answer) -> Turn:
    if isinstance(turn, Answer):  # the standalone form carries the topic into the next turn
        return Turn(turn.condensed_question or turn.question, turn.text)
    return turn


def _check_question(question: str) -> str:
    question = (question or "").strip()
    if not question:
        raise InputError('the question is empty; ask something, e.g. newsrag ask "Who ...?"')
    if len(question) > MAX_QUESTION_CHARS:
        raise InputError(
            f"the question is {len(question)} characters long; keep it under {MAX_QUESTION_CHARS}"
        )
    return question
