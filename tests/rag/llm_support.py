"""What the LLM-mode tests share: the question, the refusal phrase, the sentence that answers
it, an Assistant over the seeded store whose chat model replies from a script (``llm``, a
fixture: tests/rag/conftest.py), and checks of streams and quotes."""

from __future__ import annotations

import pytest

from rag.assistant import Assistant
from rag.core.embeddings import LocalMiniLM
from rag.core.types import Answer
from tests.fakes import ScriptedChatModel

QUESTION = "Who leads the Pakistani delegation?"
REFUSAL = "I cannot answer that from the ingested articles."
LEAD_SENTENCE = (
    "The Pakistani team, led by Lt. Gen. Mohammed Saeed, Chief of General Staff, arrived in "
    "the U.S. capital on Sunday afternoon."
)
# the offline answer to QUESTION quotes the sentence holding the reader's answer span
OFFLINE_QUOTES = [LEAD_SENTENCE]


@pytest.fixture
def llm(seeded: Assistant, minilm: LocalMiniLM):
    """An Assistant over the seeded store whose chat model replies from a script."""

    def make(*replies: str, **settings: object) -> tuple[Assistant, ScriptedChatModel]:
        model = ScriptedChatModel.replying(*replies)
        # these tests read what the grounding found, so unsupported sentences are only flagged
        s = seeded.settings.model_copy(update={"unsupported": "flag", **settings})
        return Assistant(s, embeddings=minilm, store=seeded.pipeline.store, chat_model=model), model

    return make


def run(assistant: Assistant, question: str = QUESTION, **kw: object) -> tuple[list[str], Answer]:
    *pieces, final = assistant.stream(question, **kw)
    assert all(isinstance(p, str) for p in pieces) and isinstance(final, Answer)
    return pieces, final  # type: ignore[return-value]


def lead_markers(assistant: Assistant, question: str = QUESTION) -> set[int]:
    """The source numbers the prompt gives the chunks holding LEAD_SENTENCE (chunks overlap;
    their order is the reader's)."""
    hits = assistant.retrieve(question).hits
    return {n for n, h in enumerate(hits, 1) if LEAD_SENTENCE in h.chunk.text}


def assert_exact_quotes(assistant: Assistant, answer: Answer) -> None:
    for c in answer.citations:
        assert assistant.get_article(c.article_id).text[c.start : c.end] == c.quote
