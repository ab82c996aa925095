"""Score one answer against its gold question: answer match, retrieval, citations, refusal.

Usage: ``scores = score(gold, answer, retrieval, article_texts)``; aggregated by
``eval.summary.summarize``. Markers and quotes are checked with the product's own rules
(``rag.core.citations``), so eval and product never disagree about what a marker is.
"""

from __future__ import annotations

from typing import Any

from eval.datasets import GoldQuestion
from eval.metrics import (
    choose,
    citation_scores,
    contains_answer,
    exact_match,
    normalize,
    retrieval_scores,
    token_f1,
)
from rag.core.citations import strip_markers
from rag.core.types import Answer, Retrieval

KS = (1, 3, 5, 10)


def score(
    gold: GoldQuestion, answer: Answer, retrieval: Retrieval, article_texts: dict[str, str]
) -> dict[str, Any]:
    """Every per-question score; aggregated by ``eval.summary.summarize``."""
    text = "" if answer.refused else strip_markers(answer.text)
    cites = citation_scores(
        answer.text, answer.citations, gold.article_ids, gold.answers, article_texts
    )
    scores: dict[str, Any] = {
        "contains": contains_answer(text, gold.answers) if gold.answers else False,
        "f1": token_f1(text, gold.answers),
        "em": exact_match(text, gold.answers),
        "citations": cites.n,
        "citations_correct": cites.correct,
        "has_correct_citation": cites.has_correct,
        "invalid_markers": cites.invalid_markers,
        "bad_offsets": cites.bad_offsets,
    }
    short = "" if answer.refused else answer.short_answer
    scores["short_shown"] = bool(short)
    scores["short_right"] = bool(short) and contains_answer(short, gold.answers)
    first = answer.citations[0].quote if answer.citations and not answer.refused else ""
    scores["first_quote"] = bool(first) and contains_answer(first, gold.answers)
    quotes = [] if answer.refused else [c.quote for c in answer.citations]
    scores["quoted"] = any(contains_answer(q, gold.answers) for q in quotes if gold.answers)
    scores["correct"] = (
        answer.refused
        if gold.unanswerable
        else (
            not answer.refused
            and scores["contains"]
            and any(c.article_id in gold.article_ids for c in answer.citations)
        )
    )
    if gold.differ is not None:
        scores.update(conflict_scores(gold, answer))
    if gold.choices:
        picked = choose(text, gold.choices, answer.refused)
        scores["mc_correct"] = picked is not None and _gold_choice(gold) == picked
    if not gold.unanswerable:
        r = retrieval_scores(
            [h.chunk.article_id for h in retrieval.hits],
            [h.chunk.text for h in retrieval.hits],
            gold.article_ids,
            gold.answers,
            KS,
        )
        for k in KS:
            scores[f"answer_in_top{k}"] = r.answer_in_top[k]
            scores[f"recall@{k}"] = r.recall[k]
        scores["mrr"] = r.mrr
    return scores


def conflict_scores(gold: GoldQuestion, answer: Answer) -> dict[str, Any]:
    """A conflict set's question: did the reply say the reports differ (or that one updates
    another), and does the value it leads with match the newest report's (any wording of the
    one value, where the reports agree)?"""
    said = answer.conflict is not None and not answer.refused
    if answer.refused:
        lead = ""
    elif answer.conflict is not None:
        lead = answer.conflict.latest.value
    else:
        lead = answer.short_answer or (answer.citations[0].quote if answer.citations else "")
    accepted = [gold.latest] if gold.differ else gold.answers
    return {
        "differ_said": said,
        "update_said": said and answer.conflict is not None and answer.conflict.kind == "update",
        "latest_right": bool(lead) and _states(lead, accepted, bare=answer.conflict is not None),
    }


def _states(lead: str, accepted: list[str], bare: bool) -> bool:
    """Whether ``lead`` gives an accepted value: contains it, or (a conflict's bare value,
    "1,150" for "1,150 drivers") is the same number or day in other words."""
    if contains_answer(lead, accepted):
        return True
    if not bare:
        return False
    from rag.core.values import agree, comparable, parse_value  # how the product compares

    value = parse_value(lead)
    golds = [parse_value(a) for a in accepted]
    return any(value.kind != "words" and comparable(value, g) and agree(value, g) for g in golds)


def _gold_choice(gold: GoldQuestion) -> int | None:
    """Index of the choice the gold answer names (the 'not enough information' one if none)."""
    targets = {normalize(a) for a in gold.answers}
    for i, choice in enumerate(gold.choices):
        if normalize(choice) in targets or (
            not targets and "not enough information" in normalize(choice)
        ):
            return i
    return None
