"""Candidate short answers: the entities of the type the question asks for that the best
sentences name and the question does not, with the evidence for each (how good the sentences
naming it are, how near the question's words it stands); the reader's span model picks one,
or none when no candidate is likely enough.

Usage: ``for span in spans(question, labels, ranked, q_lemmas): span.text, span.features``
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rag.core.lexical import tokenize
from rag.query.answer_types import TIME_UNITS, is_duration, wants_duration

if TYPE_CHECKING:
    from rag.query.reader import Evidence


@dataclass(frozen=True, slots=True)
class Span:
    """A candidate short answer: an entity of an expected type that the best sentences name and
    the question does not, with the first sentence naming it and the evidence for it
    (``SPAN_FEATURES``), which the reader's span model weighs."""

    text: str
    source: Evidence
    support: int  # how many of the best sentences name it
    features: dict[str, float]


SPAN_FEATURES = ("heuristic", "share", "in_best", "gap", "near", "preference", "counted", "support")


def spans(
    question: str,
    labels: tuple[str, ...],
    ranked: list[Evidence],
    q_lemmas: set[str] | None = None,
    depth: int = 5,
    focus: str = "",
) -> list[Span]:
    """The expected-type entities the best sentences name and the question does not, each once,
    with their features: ``heuristic`` sums, over the sentences naming it, the sentence's
    probability times the label's preference over its distance to the question's words (stems
    or spaCy lemmas); ``share`` is that over the best candidate's; ``in_best`` whether the best
    sentence names it; ``gap`` the logit of its best sentence under the best's (<= 0); ``near``
    its nearness to the question's words; ``counted`` whether it is a number of the noun a "how
    many" question counts (``focus``: "3,400 nurses", "five-day"); a time unit ("how many
    days") asks for a span of time."""
    if focus in TIME_UNITS:
        labels = ("DATE", "TIME", *(x for x in labels if x not in ("DATE", "TIME")))
    if not labels or not ranked:
        return []
    q_stems = set(tokenize([question])[0])
    duration = wants_duration(question) or focus in TIME_UNITS
    found: dict[str, dict[str, float]] = {}
    first: dict[str, tuple[str, Evidence]] = {}
    top = ranked[0].score
    for rank, e in enumerate(ranked[:depth]):
        if e.score < top - MARGIN:  # a name from a far weaker sentence answers nothing
            break
        p = sigmoid(e.score)
        anchors = _stem_positions(e.candidate.text, q_stems) + [
            at for lemma, at in e.lemma_at if lemma in (q_lemmas or ())
        ]  # "led" answers "leads" through its lemma
        for x in e.entities:
            key = _key(x.text)
            if x.label not in labels or not key or named_in(x.text, question, x.label):
                continue
            if duration and x.label in ("DATE", "TIME") and not is_duration(x.text):
                continue  # "Tuesday" is no answer to "how long"
            preference = 1.0 - 0.15 * labels.index(x.label)
            counted = 1.0 if focus and _counts(e, x.start, x.end, focus) else 0.0
            distance = min((abs(a - x.start) for a in anchors), default=200)
            near = 1.0 / (1.0 + distance / 40.0)
            f = found.setdefault(key, dict.fromkeys(SPAN_FEATURES, 0.0) | {"gap": -MARGIN})
            f["heuristic"] += p * preference * (COUNTED if counted else 1.0) * near
            f["in_best"] = max(f["in_best"], 1.0 if rank == 0 else 0.0)
            f["gap"] = max(f["gap"], e.score - top)
            f["near"] = max(f["near"], near)
            f["preference"] = max(f["preference"], preference)
            f["counted"] = max(f["counted"], counted)
            f["support"] += 1.0
            first.setdefault(key, (x.text, e))
    most = max((f["heuristic"] for f in found.values()), default=0.0) or 1.0
    out = []
    for key, f in found.items():
        f["share"] = f["heuristic"] / most
        support = int(f["support"])
        f["support"] = min(3.0, f["support"])
        out.append(Span(first[key][0], first[key][1], support, f))
    return out


MARGIN = 2.0  # logits: how much weaker than the best a sentence may be and still answer
COUNTED = 3.0  # preference for a number of what the question counts over any other number


def _counts(e: Evidence, start: int, end: int, focus: str) -> bool:
    """The entity at ``start:end`` of the sentence holds the counted noun ("five-day") or is
    followed by it ("3,400 nurses")."""
    inside = {lemma for lemma, at in e.lemma_at if start <= at < end}
    after = next((lemma for lemma, at in e.lemma_at if at >= end), "")
    return focus in inside or after == focus


_WORD = re.compile(r"[A-Za-z0-9]+")
AGE = re.compile(r"\b\d+-year-old\b")  # spaCy tags ages as DATE; they answer no "when"


def _stem_positions(text: str, stems: set[str]) -> list[int]:
    words = [(m.start(), m.group(0)) for m in _WORD.finditer(text)]
    tokens = tokenize([w for _, w in words]) if words else []
    return [pos for (pos, _), toks in zip(words, tokens, strict=True) if set(toks) & stems]


def _key(text: str) -> str:
    text = re.sub(r"^(?:the|a|an)\s+", "", text.strip().lower())
    return re.sub(r"[^\w ]+", "", text).strip()


def named_in(entity: str, question: str, label: str = "") -> bool:
    """The question names the entity already, so it is not the answer: the whole of it, or for
    a name, a run of its capitalised words ("Who is the CEO of Larkspur?" names "Larkspur
    Foods", "... Aguirre join Redhill from?" "Redhill Rovers"; "Who is Ridley Hall named
    after?" does not name "Arthur Ridley")."""
    key = _key(entity)
    if not key or key in re.sub(r"[^\w ]+", "", question.lower()):
        return True
    if label not in NAME_LABELS:
        return False  # "When in March ...?" does not name "March 17"
    words = f" {' '.join(_PROPER.findall(entity))} "
    return any(f" {phrase} " in words for phrase in _phrases(question))


NAME_LABELS = frozenset("PERSON NORP FAC ORG GPE LOC PRODUCT EVENT WORK_OF_ART LAW".split())
_PROPER = re.compile(r"\b[A-Z][\w-]{2,}")  # a capitalised word, without "'s"
_NOT_NAMES = frozenset("The And For With From Who Whom Whose What Which When Where How Why".split())


def _phrases(question: str) -> list[str]:
    """The question's runs of capitalised words ("Ridley Hall", "Larkspur"), without "Who"."""
    runs = re.findall(r"\b[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*", question)
    out = []
    for run in runs:
        words = [w for w in _PROPER.findall(run) if w not in _NOT_NAMES]
        if words:
            out.append(" ".join(words))
    return out


def sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, x))))
