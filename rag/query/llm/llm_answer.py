"""LLM answers: numbered sources into the chat prompt (templates from prompts/), the reply
streamed through a marker filter, then every citation checked against the sources.

Usage::

    answerer = LLMAnswerer(chat_client, grounder, refusal)
    for event in answerer.stream(retrieval): ...   # str pieces, then the Answer
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import replace

from prompts import load_prompt
from rag.core.citations import MarkerFilter, strip_markers
from rag.core.errors import LLMError
from rag.core.types import Answer, Hit, Restart, Retrieval
from rag.query.llm.chat import ChatClient, Completion, Message
from rag.query.llm.grounding import Grounder, Grounding
from rag.query.llm.prune import drop_unsupported


class UnsupportedAnswer(LLMError):
    """The model's answer has sentences no source supports; the fallback answers instead."""

    def __init__(self, answer: Answer) -> None:
        first = answer.unsupported[0]
        n = len(answer.unsupported)
        super().__init__(
            f"the model's answer had {n} sentence{'s' if n > 1 else ''} no source supports "
            f"(“{_short(first.claim)}”: {first.reason}); the quoted evidence answers instead"
        )
        self.answer = answer


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def answer_messages(refusal: str, sources: str, question: str) -> list[Message]:
    """The answer prompt: prompts/answer_system.txt and prompts/answer_user.txt, filled in."""
    return [
        ("system", load_prompt("answer_system").format(refusal=refusal)),
        ("human", load_prompt("answer_user").format(sources=sources, question=question)),
    ]


def format_sources(hits: list[Hit]) -> str:
    """Numbered sources with title, date and outlet; text fenced so it reads as data."""
    blocks = []
    for n, hit in enumerate(hits, 1):
        head = " | ".join(
            _defang(x)
            for x in (
                f"[{n}] {_flat(hit.title) or 'Untitled'}",
                f"published {hit.published}" if hit.published else "",
                _flat(hit.source),
            )
            if x
        )
        body = _defang(hit.chunk.text)
        blocks.append(f"<source n={n}>\n{head}\n{body}\n</source>")
    return "\n\n".join(blocks)


def is_refusal(text: str, refusal: str) -> bool:
    """The reply is the refusal phrase and nothing else (markers and punctuation aside): a
    reply that opens with it and goes on is an answer, and its other sentences are checked."""
    return _norm(strip_markers(text)) == _norm(refusal)


class LLMAnswerer:
    """Answers with a chat model; citations are verified by ``grounder``, never trusted."""

    mode = "llm"

    def __init__(
        self,
        chat: ChatClient,
        grounder: Grounder,
        refusal: str,
        enforce: bool = False,
        drop: bool = False,
    ) -> None:
        self.chat = chat
        self.grounder = grounder
        self.refusal = refusal
        self.enforce = enforce  # an unsupported sentence fails the answer (LLMError) ...
        self.drop = drop  # ... unless it can be dropped and supported, cited ones remain

    def answer(self, retrieval: Retrieval) -> Answer:
        *_, final = self.stream(retrieval)
        assert isinstance(final, Answer)
        return final

    def stream(self, retrieval: Retrieval) -> Iterator[str | Answer]:
        """Yield the reply as it arrives (invalid markers already dropped), then the Answer."""
        if not retrieval.hits:  # nothing to answer from: no call, no cost
            yield self.refusal
            yield self._answer(retrieval, self.refusal, [], Completion(""))[0]
            return
        messages = answer_messages(self.refusal, format_sources(retrieval.hits), retrieval.question)
        marker_filter = MarkerFilter(len(retrieval.hits))
        started = time.perf_counter()
        first_piece_ms = 0.0
        completion = Completion("")
        for event in self.chat.stream(messages):
            if isinstance(event, Completion):
                completion = event
                continue
            out = marker_filter.feed(event)
            if out:
                first_piece_ms = first_piece_ms or (time.perf_counter() - started) * 1000
                yield out
        tail = marker_filter.flush()
        if tail:
            yield tail
        text = marker_filter.text
        if not text:  # an empty reply says nothing: refuse rather than show nothing
            text = self.refusal
            yield text
        answer, grounding = self._answer(retrieval, text, marker_filter.dropped, completion)
        answer.timings_ms["first_piece"] = first_piece_ms
        if self.enforce and (answer.unsupported or self.drop) and grounding is not None:
            kept = drop_unsupported(answer, grounding) if self.drop else None
            if kept is None and answer.unsupported:
                raise UnsupportedAnswer(answer)
            if kept is not None and kept is not answer:
                yield Restart()  # what was shown is replaced by its supported, cited sentences
                yield kept.text
                answer = kept
        yield answer

    def _answer(
        self, retrieval: Retrieval, text: str, dropped: list[int], completion: Completion
    ) -> tuple[Answer, Grounding | None]:
        """The Answer, and what the grounder found (None for a refusal: nothing to check)."""
        answer = Answer(
            question=retrieval.question,
            text=text,
            refused=is_refusal(text, self.refusal),
            mode=self.mode,
            model=self.chat.name,
            usage=dict(completion.usage),
            usage_source=completion.usage_source,
            dropped_markers=list(dropped),
        )
        if answer.refused:
            return answer, None
        grounding = self.grounder.ground(text, retrieval.hits, skip=self.refusal)
        support = 1 - len(grounding.unsupported) / grounding.claims if grounding.claims else 0.0
        answer = replace(
            answer,
            citations=grounding.citations,
            unsupported=grounding.unsupported,
            support=support,
        )
        return answer, grounding


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def _defang(text: str) -> str:
    """An article cannot open or close a source block of its own: "<source n=1>" and
    "</source>" (any case or spacing) lose their angle bracket."""
    return _SOURCE_TAG.sub(lambda m: "\u2039" + m.group(0)[1:], text)


_SOURCE_TAG = re.compile(r"<\s*/?\s*source\b", re.IGNORECASE)


def _flat(text: str) -> str:
    return " ".join(text.split())
