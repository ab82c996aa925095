"""The short answer: the entity of the type the question asks for that the best sentences name
and the question does not, nearest to the question's words (their stems or spaCy lemmas).

Usage: ``text, evidence, support = short_answer(question, labels, ranked, q_lemmas)``
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

from rag.core.lexical import tokenize
from rag.query.answer_types import is_duration, wants_duration

if TYPE_CHECKING:
    from rag.query.reader import Evidence


def short_answer(
    question: str,
    labels: tuple[str, ...],
    ranked: list[Evidence],
    q_lemmas: set[str] | None = None,
    depth: int = 5,
) -> tuple[str, Evidence | None, int]:
    """The expected-type entity the best sentences name and the question does not, nearest to
    the question's words; with the sentence it came from and how many sentences name it."""
    if not labels or not ranked:
        return "", None, 0
    q_lower = question.lower()
    q_stems = set(tokenize([question])[0])
    duration = wants_duration(question)
    scores: dict[str, float] = {}
    first: dict[str, tuple[str, Evidence]] = {}
    support: dict[str, int] = {}
    floor = ranked[0].score - MARGIN  # a name from a far weaker sentence answers nothing
    for e in ranked[:depth]:
        if e.score < floor:
            break
        p = sigmoid(e.score)
        anchors = _stem_positions(e.candidate.text, q_stems) + [
            at for lemma, at in e.lemma_at if lemma in (q_lemmas or ())
        ]  # "led" answers "leads" through its lemma
        for x in e.entities:
            key = _key(x.text)
            if x.label not in labels or not key or named_in(x.text, q_lower):
                continue
            if duration and x.label in ("DATE", "TIME") and not is_duration(x.text):
                continue  # "Tuesday" is no answer to "how long"
            preference = 1.0 - 0.15 * labels.index(x.label)
            distance = min((abs(a - x.start) for a in anchors), default=200)
            scores[key] = scores.get(key, 0.0) + p * preference / (1.0 + distance / 40.0)
            support[key] = support.get(key, 0) + 1
            first.setdefault(key, (x.text, e))
    if not scores:
        return "", None, 0
    best = max(scores, key=lambda k: scores[k])
    text, source = first[best]
    return text, source, support[best]


MARGIN = 2.0  # logits: how much weaker than the best a sentence may be and still answer
_WORD = re.compile(r"[A-Za-z0-9]+")
AGE = re.compile(r"\b\d+-year-old\b")  # spaCy tags ages as DATE; they answer no "when"


def _stem_positions(text: str, stems: set[str]) -> list[int]:
    words = [(m.start(), m.group(0)) for m in _WORD.finditer(text)]
    tokens = tokenize([w for _, w in words]) if words else []
    return [pos for (pos, _), toks in zip(words, tokens, strict=True) if set(toks) & stems]


def _key(text: str) -> str:
    text = re.sub(r"^(?:the|a|an)\s+", "", text.strip().lower())
    return re.sub(r"[^\w ]+", "", text).strip()


def named_in(entity: str, question_lower: str) -> bool:
    key = _key(entity)
    return not key or key in re.sub(r"[^\w ]+", "", question_lower)


def sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, x))))
