"""A fallback answerer, in the manner of Haystack's FallbackChatGenerator: the primary answerer
(the LLM) speaks; when its endpoint fails, the fallback (the offline extractive answerer) answers
instead and ``Answer.fallback`` says why. A reply that breaks off mid-stream is withdrawn with a
``Restart`` event before the fallback's text follows.

Usage::

    answerer = FallbackAnswerer(llm_answerer, extractive, enabled=settings.fallback != "none")
    for event in answerer.stream(retrieval): ...   # str pieces (maybe a Restart), then the Answer
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Protocol

from rag.core.errors import LLMError
from rag.core.types import Answer, Restart, Retrieval


class Answerer(Protocol):
    """Anything that answers a question from retrieved chunks."""

    mode: str

    def answer(self, retrieval: Retrieval) -> Answer: ...

    def stream(self, retrieval: Retrieval) -> Iterator[str | Answer]:
        """Text pieces that join to ``Answer.text``, then the Answer."""
        ...


class FallbackAnswerer:
    """``primary`` unless its endpoint fails; then ``fallback`` (None: the error goes up)."""

    def __init__(self, primary: Answerer, fallback: Answerer | None) -> None:
        self.primary = primary
        self.fallback = fallback

    @property
    def mode(self) -> str:
        return self.primary.mode

    def answer(self, retrieval: Retrieval, failed: str = "") -> Answer:
        *_, final = self.stream(retrieval, failed)
        assert isinstance(final, Answer)
        return final

    def stream(self, retrieval: Retrieval, failed: str = "") -> Iterator[str | Answer]:
        """Stream the primary's answer; ``failed`` (an earlier endpoint failure in this turn)
        goes straight to the fallback."""
        if failed and self.fallback is not None:
            yield from self._fallback(retrieval, failed)
            return
        streamed = False
        try:
            for event in self.primary.stream(retrieval):
                streamed = streamed or (isinstance(event, str) and bool(event))
                yield event
        except LLMError as exc:
            if self.fallback is None:
                raise
            if streamed:
                yield Restart()  # what was shown is replaced by the offline answer
            discarded = getattr(exc, "answer", None)  # a finished reply the checks rejected
            yield from self._fallback(retrieval, str(exc), discarded)

    def _fallback(
        self, retrieval: Retrieval, reason: str, discarded: Answer | None = None
    ) -> Iterator[str | Answer]:
        assert self.fallback is not None
        for event in self.fallback.stream(retrieval):
            if isinstance(event, Answer):
                event = replace(event, fallback=reason)
                if discarded is not None:  # its tokens were spent all the same
                    spent = discarded.usage, discarded.usage_source
                    event = replace(event, usage=spent[0], usage_source=spent[1])
            yield event
