"""LLM answers: numbered sources into a LangChain chat prompt (templates from prompts/), the
reply streamed through a marker filter, then every citation checked against the sources.

Usage::

    answerer = LLMAnswerer(chat_model, grounder, refusal, model_name="gpt-4.1-mini",
                           encoding=enc, explain=lambda e: explain_error(e, settings))
    for event in answerer.stream(retrieval): ...   # str pieces, then the Answer
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator

import tiktoken
from langchain_core.language_models import BaseChatModel
from langchain_core.prompts import ChatPromptTemplate

from prompts import load_prompt
from rag.citations import MarkerFilter, strip_markers
from rag.errors import LLMError, NewsragError
from rag.grounding import Grounder
from rag.retrieve import Retrieval
from rag.types import Answer, Hit
from rag.usage import counted, reported

Explain = Callable[[BaseException], NewsragError | None]


def answer_prompt() -> ChatPromptTemplate:
    """The answer prompt: prompts/answer_system.txt and prompts/answer_user.txt."""
    return ChatPromptTemplate.from_messages(
        [("system", load_prompt("answer_system")), ("human", load_prompt("answer_user"))]
    )


def format_sources(hits: list[Hit]) -> str:
    """Numbered sources with title, date and outlet; text fenced so it reads as data."""
    blocks = []
    for n, hit in enumerate(hits, 1):
        head = " | ".join(
            x
            for x in (
                f"[{n}] {_flat(hit.title) or 'Untitled'}",
                f"published {hit.published}" if hit.published else "",
                hit.source,
            )
            if x
        )
        body = hit.chunk.text.replace("</source>", "</ source>")
        blocks.append(f"<source n={n}>\n{head}\n{body}\n</source>")
    return "\n\n".join(blocks)


def is_refusal(text: str, refusal: str) -> bool:
    """The reply is the refusal phrase (markers aside), or opens with it."""
    return _norm(strip_markers(text)).startswith(_norm(refusal))


class LLMAnswerer:
    """Answers with a chat model; citations are verified by ``grounder``, never trusted."""

    mode = "llm"

    def __init__(
        self,
        chat_model: BaseChatModel,
        grounder: Grounder,
        refusal: str,
        model_name: str,
        encoding: tiktoken.Encoding,
        explain: Explain,
    ) -> None:
        self.chat_model = chat_model
        self.grounder = grounder
        self.refusal = refusal
        self.model_name = model_name
        self.encoding = encoding
        self.explain = explain
        self.prompt = answer_prompt()

    def answer(self, retrieval: Retrieval) -> Answer:
        *_, final = self.stream(retrieval)
        assert isinstance(final, Answer)
        return final

    def stream(self, retrieval: Retrieval) -> Iterator[str | Answer]:
        """Yield the reply as it arrives (invalid markers already dropped), then the Answer."""
        if not retrieval.hits:  # nothing to answer from: no call, no cost
            yield self.refusal
            yield self._answer(retrieval, self.refusal, [], {}, "")
            return
        messages = self.prompt.format_messages(
            refusal=self.refusal,
            sources=format_sources(retrieval.hits),
            question=retrieval.question,
        )
        marker_filter = MarkerFilter(len(retrieval.hits))
        raw: list[str] = []
        usage: dict[str, int] = {}
        started = time.perf_counter()
        first_piece_ms = 0.0
        try:
            for chunk in self.chat_model.stream(messages):
                usage = reported(chunk.usage_metadata) or usage
                piece = chunk.text
                raw.append(piece)
                out = marker_filter.feed(piece)
                if out:
                    first_piece_ms = first_piece_ms or (time.perf_counter() - started) * 1000
                    yield out
        except Exception as exc:
            error = self.explain(exc)
            if error is None:
                raise
            if marker_filter.text:  # retries only happen before the first byte
                error = LLMError(f"the endpoint broke off in mid-answer ({type(exc).__name__})")
            raise error from exc
        tail = marker_filter.flush()
        if tail:
            yield tail
        text = marker_filter.text
        if not text:  # an empty reply says nothing: refuse rather than show nothing
            text = self.refusal
            yield text
        source = "api" if usage else "tiktoken"
        usage = usage or counted(self.encoding, messages, "".join(raw))
        answer = self._answer(retrieval, text, marker_filter.dropped, usage, source)
        answer.timings_ms["first_piece"] = first_piece_ms
        yield answer

    def _answer(
        self,
        retrieval: Retrieval,
        text: str,
        dropped: list[int],
        usage: dict[str, int],
        usage_source: str,
    ) -> Answer:
        answer = Answer(
            question=retrieval.question,
            text=text,
            refused=is_refusal(text, self.refusal),
            mode=self.mode,
            model=self.model_name,
            usage=usage,
            usage_source=usage_source,
            dropped_markers=list(dropped),
        )
        if answer.refused:
            return answer
        grounding = self.grounder.ground(text, retrieval.hits, skip=self.refusal)
        answer.citations = grounding.citations
        answer.unsupported = grounding.unsupported
        if grounding.claims:
            answer.support = 1 - len(grounding.unsupported) / grounding.claims
        return answer


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def _flat(text: str) -> str:
    return " ".join(text.split())
