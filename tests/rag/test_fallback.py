"""FallbackAnswerer: the primary speaks unless its endpoint fails; then the fallback, with the
reason, and a Restart when the primary had already shown text."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from rag.core.errors import LLMError
from rag.core.types import Answer, Restart, Retrieval
from rag.query.llm.fallback import FallbackAnswerer

RETRIEVAL = Retrieval("Who?", [], [])


class Scripted:
    """Streams ``pieces``, then raises ``error`` (if any), else yields its Answer."""

    def __init__(self, mode: str, pieces: list[str], error: Exception | None = None) -> None:
        self.mode, self.pieces, self.error, self.calls = mode, pieces, error, 0

    def answer(self, retrieval: Retrieval) -> Answer:
        *_, final = self.stream(retrieval)
        assert isinstance(final, Answer)
        return final

    def stream(self, retrieval: Retrieval) -> Iterator[str | Answer]:
        self.calls += 1
        yield from self.pieces
        if self.error:
            raise self.error
        yield Answer(
            question=retrieval.question, text="".join(self.pieces), refused=False, mode=self.mode
        )


def test_the_primary_answers_when_it_can() -> None:
    offline = Scripted("extractive", ["quote"])
    events = list(FallbackAnswerer(Scripted("llm", ["Saeed ", "[1]"]), offline).stream(RETRIEVAL))
    assert events[:2] == ["Saeed ", "[1]"] and events[-1].text == "Saeed [1]"
    assert events[-1].fallback == "" and offline.calls == 0


def test_a_failure_before_any_text_goes_to_the_fallback_with_the_reason() -> None:
    primary = Scripted("llm", [], LLMError("cannot reach the endpoint"))
    events = list(
        FallbackAnswerer(primary, Scripted("extractive", ["quote [1]"])).stream(RETRIEVAL)
    )
    assert events[0] == "quote [1]" and not any(isinstance(e, Restart) for e in events)
    assert events[-1].mode == "extractive" and events[-1].fallback == "cannot reach the endpoint"


def test_a_failure_mid_answer_restarts_the_text() -> None:
    primary = Scripted("llm", ["Lt. Gen.", " Saeed"], LLMError("the endpoint broke off"))
    events = list(
        FallbackAnswerer(primary, Scripted("extractive", ["quote [1]"])).stream(RETRIEVAL)
    )
    assert events[:2] == ["Lt. Gen.", " Saeed"] and isinstance(events[2], Restart)
    assert events[3] == "quote [1]" and events[-1].fallback == "the endpoint broke off"


def test_without_a_fallback_the_error_goes_up() -> None:
    primary = Scripted("llm", [], LLMError("the endpoint rejected the API key"))
    with pytest.raises(LLMError, match="rejected the API key"):
        FallbackAnswerer(primary, None).answer(RETRIEVAL)


def test_an_earlier_failure_in_the_turn_skips_the_primary() -> None:
    primary, offline = Scripted("llm", ["x"]), Scripted("extractive", ["quote"])
    answer = FallbackAnswerer(primary, offline).answer(RETRIEVAL, failed="condense failed")
    assert primary.calls == 0 and answer.fallback == "condense failed" and answer.text == "quote"


def test_other_errors_are_not_swallowed() -> None:
    primary = Scripted("llm", [], ValueError("a bug"))
    with pytest.raises(ValueError, match="a bug"):
        FallbackAnswerer(primary, Scripted("extractive", ["q"])).answer(RETRIEVAL)
