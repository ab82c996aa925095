"""Multi-turn: turn a follow-up ("How long will they stay?") into a standalone question before
retrieval. With an LLM the prompt prompts/condense.txt rewrites it; offline, the topic words of
the previous question are added when the follow-up leans on a pronoun.

Usage: ``condensed = LLMCondenser(chat_client).condense(question, history)``;
``FallbackCondenser(LLMCondenser(chat), KeywordCondenser())`` when the endpoint may fail.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from prompts import load_prompt
from rag.core.errors import LLMError
from rag.core.types import Turn
from rag.query.llm.chat import ChatClient
from rag.query.llm.nlp import stop_words

MAX_TURNS = 6  # older turns rarely matter and cost tokens
MAX_ANSWER_CHARS = 600
_REFERS_BACK = re.compile(
    r"\b(?:he|she|they|them|it|its|his|her|hers|their|theirs|him|there|that|those|these|this|"
    r"the same|then)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[\w'’.-]+")


@dataclass(frozen=True, slots=True)
class Condensed:
    """The standalone question; ``failure`` says why the offline rewrite stood in, if it did."""

    question: str
    usage: dict[str, int] = field(default_factory=dict)
    failure: str = ""


class Condenser(Protocol):
    def condense(self, question: str, history: Sequence[Turn]) -> Condensed: ...


class KeywordCondenser:
    """Offline: "How long will they stay?" after "Who leads the Pakistani delegation?" becomes
    "How long will they stay? (leads Pakistani delegation)" for retrieval."""

    def condense(self, question: str, history: Sequence[Turn]) -> Condensed:
        if not history or not _REFERS_BACK.search(question):
            return Condensed(question)
        topic = topic_words(history[-1].question)
        already = question.lower()
        topic = [w for w in topic if w.lower() not in already]
        return Condensed(f"{question} ({' '.join(topic)})" if topic else question)


class LLMCondenser:
    """Rewrites the follow-up with the chat model (one short, non-streamed call)."""

    def __init__(self, chat: ChatClient) -> None:
        self.chat = chat

    def condense(self, question: str, history: Sequence[Turn]) -> Condensed:
        if not history:
            return Condensed(question)
        prompt = load_prompt("condense").format(history=format_history(history), question=question)
        reply = self.chat.complete([("human", prompt)])
        standalone = clean_question(reply.text)
        if not standalone or (question.endswith("?") and not standalone.endswith("?")):
            # the model answered instead of rewriting: keep the offline rewrite
            standalone = KeywordCondenser().condense(question, history).question
        return Condensed(standalone, reply.usage)


class FallbackCondenser:
    """``primary``, or ``fallback`` with the reason in ``Condensed.failure`` when the endpoint
    fails (``enabled=False`` lets the LLMError through)."""

    def __init__(self, primary: Condenser, fallback: Condenser, enabled: bool = True) -> None:
        self.primary = primary
        self.fallback = fallback
        self.enabled = enabled

    def condense(self, question: str, history: Sequence[Turn]) -> Condensed:
        try:
            return self.primary.condense(question, history)
        except LLMError as exc:
            if not self.enabled:
                raise
            offline = self.fallback.condense(question, history)
            return Condensed(offline.question, offline.usage, failure=str(exc))


def format_history(history: Sequence[Turn]) -> str:
    lines = []
    for turn in history[-MAX_TURNS:]:
        answer = " ".join(turn.answer.split())
        if len(answer) > MAX_ANSWER_CHARS:
            answer = answer[: MAX_ANSWER_CHARS - 1] + "…"
        lines += [f"User: {' '.join(turn.question.split())}", f"Assistant: {answer}"]
    return "\n".join(lines)


def clean_question(reply: str) -> str:
    """The first non-empty line of the reply, without a label or quotes around it."""
    for line in reply.splitlines():
        line = re.sub(r"^(?:standalone question|question)\s*:\s*", "", line.strip(), flags=re.I)
        line = line.strip().strip("\"'“”‘’").strip()
        if line:
            return line
    return ""


def topic_words(question: str) -> list[str]:
    """The question's words minus function words and question words, in order."""
    out: list[str] = []
    for word in _WORD.findall(question):
        bare = word.strip(".'’-")
        if bare and bare.lower() not in stop_words() and bare not in out:
            out.append(bare)
    return out
