"""Refusal decided with the evidence, not left to the model alone: before the LLM is asked, the
offline reader rates the retrieved passages; when they do not answer the question the offline
refusal (with the closest passages) is the answer and no tokens are spent. When they do and the
model refuses anyway, the refusal stands unless the reader is sure (its answer probability at
or above ``sure``: NEWSRAG_OVERRIDE_REFUSAL, by default the line in the reader's card where
nine in ten questions the reader is that sure of are answerable on the dev sets); then it is an
endpoint failure the fallback answers instead, with the reason.

Usage: ``FallbackAnswerer(EvidenceGate(llm_answerer, extractive), extractive)``
"""

from __future__ import annotations

from collections.abc import Iterator

from rag.core.errors import LLMError
from rag.core.types import Answer, Retrieval
from rag.query.llm.fallback import Answerer
from rag.query.reading.extractive import ExtractiveAnswerer, stream_answer


class ModelRefused(LLMError):
    """The model refused although the reader rates the evidence as answering the question."""

    answer: Answer | None = None


class EvidenceGate:
    """``primary`` (the LLM) behind the offline reader's confidence."""

    def __init__(
        self,
        primary: Answerer,
        extractive: ExtractiveAnswerer,
        enforce: bool,
        sure: float = 0.0,
    ) -> None:
        self.primary = primary
        self.extractive = extractive
        self.enforce = enforce  # a refusal against the evidence fails (the fallback answers) ...
        self.sure = sure  # ... when the reader is at least this sure; below, the refusal stands

    @property
    def mode(self) -> str:
        return self.primary.mode

    def answer(self, retrieval: Retrieval) -> Answer:
        *_, final = self.stream(retrieval)
        assert isinstance(final, Answer)
        return final

    def stream(self, retrieval: Retrieval) -> Iterator[str | Answer]:
        reading = self.extractive.read(retrieval)
        confidence = reading.confidence
        if not self.extractive.answers(reading):  # the refusal, decided offline, read once
            yield from stream_answer(self.extractive.answer_from(retrieval, reading))
            return
        for event in self.primary.stream(retrieval):
            overrule = self.enforce and confidence >= self.sure
            if isinstance(event, Answer) and event.refused and overrule:
                refused = ModelRefused(
                    f"the model refused although the sources answer the question "
                    f"(reader confidence {confidence:.2f}); the quoted evidence answers instead"
                )
                refused.answer = event  # its tokens were spent: the fallback reports them
                raise refused
            yield event
