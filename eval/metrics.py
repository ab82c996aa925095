"""Scoring primitives: normalisation, answer matching, retrieval, citation and latency metrics.

Usage: ``contains_answer("led by Lt. Gen. Mohammed Saeed", ["Mohammed Saeed"]) -> True``
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from rag.core.citations import parse_markers, verify_quote
from rag.core.types import Citation

_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "—": "-", "–": "-"})


def normalize(text: str) -> str:
    """Lower case, no punctuation, quotes or articles, single spaces (SQuAD-style)."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).lower()
    text = "".join(" " if ch in string.punctuation else ch for ch in text)
    text = re.sub(r"\b(a|an|the)\b", " ", text)
    return " ".join(text.split())


def contains_answer(answer: str, accepted: list[str]) -> bool:
    """True when any accepted answer occurs in ``answer`` after normalisation, on word bounds."""
    haystack = f" {normalize(answer)} "
    return any(norm and f" {norm} " in haystack for norm in (normalize(a) for a in accepted))


def token_f1(prediction: str, golds: list[str]) -> float:
    """SQuAD token F1 of ``prediction`` against its best gold; 0.0 without golds.

    Usage: ``token_f1("the cat sat", ["cat sat down"]) -> 0.8``
    """
    return max(
        (_f1(normalize(prediction).split(), normalize(g).split()) for g in golds), default=0.0
    )


def _f1(pred: list[str], gold: list[str]) -> float:
    if not pred or not gold:
        return float(pred == gold)
    same = sum((Counter(pred) & Counter(gold)).values())
    if same == 0:
        return 0.0
    precision, recall = same / len(pred), same / len(gold)
    return 2 * precision * recall / (precision + recall)


def exact_match(prediction: str, golds: list[str]) -> bool:
    """True when ``prediction`` equals any gold after normalisation.

    Usage: ``exact_match("The Cat.", ["cat"]) -> True``
    """
    norm = normalize(prediction)
    return any(norm == normalize(g) for g in golds)


_NOT_ENOUGH = "not enough information"


def choose(answer: str, choices: list[str], refused: bool) -> int | None:
    """Index of the multiple-choice option ``answer`` supports best, or None.

    A refusal picks the "not enough information" option; any other answer picks the longest
    option it contains, else the option with the highest token F1 above 0, never the refusal one.
    Usage: ``choose("It was in Paris.", ["London", "Paris", "Not enough information"], False) -> 1``
    """
    unsure = [_NOT_ENOUGH in normalize(c) for c in choices]
    if refused:
        return unsure.index(True) if True in unsure else None
    options = [i for i, u in enumerate(unsure) if not u]
    contained = [i for i in options if contains_answer(answer, [choices[i]])]
    if contained:
        return max(contained, key=lambda i: len(normalize(choices[i])))
    scored = [(token_f1(answer, [choices[i]]), i) for i in options]
    best = max(scored, key=lambda s: s[0], default=(0.0, None))
    return best[1] if best[0] > 0 else None


@dataclass(frozen=True, slots=True)
class RetrievalScores:
    """Per-k answer hits and gold recall of one ranked list, plus its reciprocal rank."""

    answer_in_top: dict[int, bool]
    recall: dict[int, float]
    mrr: float


def retrieval_scores(
    ranked_article_ids: list[str],
    ranked_texts: list[str],
    gold_ids: list[str],
    answers: list[str],
    ks: tuple[int, ...] = (1, 3, 5, 10),
) -> RetrievalScores:
    """Score one ranked retrieval (ids and texts of the same hits) against gold ids and answers.

    Usage: ``retrieval_scores(["a", "g"], ["x", "Paris"], ["g"], ["Paris"]).mrr -> 0.5``
    """
    gold = set(gold_ids)
    answer_in_top = {k: any(contains_answer(t, answers) for t in ranked_texts[:k]) for k in ks}
    recall = {k: len(gold & set(ranked_article_ids[:k])) / len(gold) if gold else 0.0 for k in ks}
    rank = next((i for i, a in enumerate(ranked_article_ids, 1) if a in gold), None)
    return RetrievalScores(answer_in_top, recall, 1 / rank if rank else 0.0)


@dataclass(frozen=True, slots=True)
class CitationScores:
    """How many citations an answer has, how many are right, and what is broken about them."""

    n: int
    correct: int
    has_correct: bool
    invalid_markers: int
    bad_offsets: int


def citation_scores(
    answer_text: str,
    citations: list[Citation],
    gold_ids: list[str],
    answers: list[str],
    article_texts: dict[str, str],
) -> CitationScores:
    """Score the citations of one answer; a citation is correct if gold or quoting an answer.

    ``invalid_markers`` counts each ``[n]`` in the text (also ``[1, 2]``) with no citation ``n``;
    ``bad_offsets`` counts citations whose quote is not ``article_text[start:end]``.
    Usage: ``citation_scores("Paris [2].", [], [], ["Paris"], {}).invalid_markers -> 1``
    """
    gold = set(gold_ids)
    correct = sum(c.article_id in gold or contains_answer(c.quote, answers) for c in citations)
    known = {c.marker for c in citations}
    used = [n for marker in parse_markers(answer_text) for n in marker.numbers]
    bad = sum(not verify_quote(c, article_texts.get(c.article_id, "")) for c in citations)
    return CitationScores(
        n=len(citations),
        correct=correct,
        has_correct=correct > 0,
        invalid_markers=sum(n not in known for n in used),
        bad_offsets=bad,
    )


def percentile(values: list[float], p: float) -> float:
    """The ``p``-th percentile (0-100) with linear interpolation, as numpy's default; 0.0 if empty.

    Usage: ``percentile([1.0, 2.0, 3.0, 4.0], 50) -> 2.5``
    """
    if not 0 <= p <= 100:
        raise ValueError(f"percentile p must be within 0..100, got {p}")
    if not values:
        return 0.0
    ordered = sorted(values)
    pos = (len(ordered) - 1) * p / 100
    lo = int(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def roc_auc(scores: Sequence[float], labels: Sequence[bool]) -> float | None:
    """Probability that a random positive outscores a random negative, ties half (the
    Mann-Whitney statistic); None without both kinds."""
    pos = [s for s, y in zip(scores, labels, strict=True) if y]
    neg = [s for s, y in zip(scores, labels, strict=True) if not y]
    if not pos or not neg:
        return None
    ranked = sorted(pos + neg)
    rank: dict[float, float] = {}
    i = 0
    while i < len(ranked):  # average rank of each run of ties, from 1
        j = i
        while j < len(ranked) and ranked[j] == ranked[i]:
            j += 1
        rank[ranked[i]] = (i + j + 1) / 2
        i = j
    total = sum(rank[s] for s in pos) - len(pos) * (len(pos) + 1) / 2
    return total / (len(pos) * len(neg))
