"""Aggregate per-question scores into the report's metrics (per dataset, overall, per type).

Usage: ``summary = summarize(rows)``; ``summary["seed"]["newsrag"]["correct"]``
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any, Protocol

from eval.metrics import percentile, roc_auc

KS = (1, 3, 5, 10)


class ScoredRow(Protocol):
    dataset: str
    pipeline: str
    question_type: str
    unanswerable: bool
    answer_in_text: bool
    refused: bool
    scores: dict[str, Any]
    latency_ms: float
    usage: dict[str, int]
    cost_usd: float | None
    unsupported: int
    support: float
    differ: bool | None


def summarize(rows: Iterable[ScoredRow]) -> dict[str, dict[str, dict[str, Any]]]:
    """dataset (and ``overall``, and ``dataset:question_type``) -> pipeline -> metrics."""
    groups: dict[tuple[str, str], list[ScoredRow]] = defaultdict(list)
    for row in rows:
        groups[(row.dataset, row.pipeline)].append(row)
        groups[("overall", row.pipeline)].append(row)
        if row.question_type:
            groups[(f"{row.dataset}:{row.question_type}", row.pipeline)].append(row)
    summary: dict[str, dict[str, dict[str, Any]]] = {}
    for (group, pipeline), members in groups.items():
        summary.setdefault(group, {})[pipeline] = metrics(members)
    return summary


def metrics(rows: list[ScoredRow]) -> dict[str, Any]:
    """The aggregate metrics of one group of rows (rates in 0..1, counts as integers)."""
    answerable = [r for r in rows if not r.unanswerable]
    in_text = [r for r in answerable if r.answer_in_text]
    unanswerable = [r for r in rows if r.unanswerable]
    answered = [r for r in answerable if not r.refused]
    with_choices = [r for r in rows if "mc_correct" in r.scores]
    n_cites = sum(r.scores["citations"] for r in rows)
    out: dict[str, Any] = {
        "questions": len(rows),
        "answerable": len(answerable),
        "unanswerable": len(unanswerable),
        "correct": _rate(rows, lambda r: r.scores["correct"]),
        "contains": _rate(answerable, lambda r: r.scores["contains"]),
        "contains_in_text": _rate(in_text, lambda r: r.scores["contains"]),
        "correct_in_text": _rate(in_text, lambda r: r.scores["correct"]),
        # a gold answer in the reply and in a quote, from any article (correct_in_text needs
        # a gold article; a corpus may report the same fact in several)
        "quoted_in_text": _rate(in_text, lambda r: r.scores["contains"] and r.scores.get("quoted")),
        "f1": _mean(answerable, lambda r: r.scores["f1"]),
        "em": _rate(answerable, lambda r: r.scores["em"]),
        "mc_accuracy": _rate(with_choices, lambda r: r.scores["mc_correct"]),
        "citation_precision": round(sum(r.scores["citations_correct"] for r in rows) / n_cites, 4)
        if n_cites
        else 0.0,
        "citation_recall": _rate(answered, lambda r: r.scores["has_correct_citation"]),
        "invalid_markers": sum(r.scores["invalid_markers"] for r in rows),
        "bad_offsets": sum(r.scores["bad_offsets"] for r in rows),
        "short_shown": _rate(in_text, lambda r: r.scores.get("short_shown")),
        "short_precision": _rate(
            [r for r in rows if r.scores.get("short_shown")], lambda r: r.scores["short_right"]
        ),
        "first_quote_in_text": _rate(in_text, lambda r: r.scores.get("first_quote")),
        "unanswerable_refused": _rate(unanswerable, lambda r: r.refused),
        "false_refusals": _rate(answerable, lambda r: r.refused),
        "latency_p50_ms": round(percentile([r.latency_ms for r in rows], 50), 1),
        "latency_p95_ms": round(percentile([r.latency_ms for r in rows], 95), 1),
        "prompt_tokens": sum(r.usage.get("prompt_tokens", 0) for r in rows),
        "completion_tokens": sum(r.usage.get("completion_tokens", 0) for r in rows),
        "cost_usd": _cost(rows),
        "unsupported_claims": sum(r.unsupported for r in rows),
        # how well the answerer's confidence tells answerable from unanswerable questions
        "abstention_auc": _auc(rows),
    }
    for k in KS:
        out[f"answer_in_top{k}"] = _rate(answerable, lambda r, k=k: r.scores[f"answer_in_top{k}"])
        out[f"recall@{k}"] = _mean(answerable, lambda r, k=k: r.scores[f"recall@{k}"])
    out["answer_in_top5_in_text"] = _rate(in_text, lambda r: r.scores["answer_in_top5"])
    out["mrr"] = _mean(answerable, lambda r: r.scores["mrr"])
    out |= conflict_metrics([r for r in rows if r.differ is not None])
    return out


def conflict_metrics(rows: list[ScoredRow]) -> dict[str, Any]:
    """Conflict sets: "reports differ" (or "updated") said against gold (precision, recall),
    said where the reports agree, update named as such, the newest value leading."""
    if not rows:
        return {}
    said = [r for r in rows if r.scores["differ_said"]]
    differ = [r for r in rows if r.differ]
    updates = [r for r in rows if r.question_type == "update"]
    return {
        "conflict_precision": _rate(said, lambda r: r.differ),
        "conflict_recall": _rate(differ, lambda r: r.scores["differ_said"]),
        "consistent_flagged": _rate(
            [r for r in rows if not r.differ], lambda r: r.scores["differ_said"]
        ),
        "update_named": _rate(updates, lambda r: r.scores["update_said"]),
        # of the questions where reports were said to differ: "update" for an update, plain
        # "differ" for a conflict (a consistent question said to differ is wrong either way)
        "kind_right": _rate(
            said,
            lambda r: r.scores["update_said"] == (r.question_type == "update") and r.differ,
        ),
        "latest_right": _rate(rows, lambda r: r.scores["latest_right"]),
    }


def _auc(rows: list[ScoredRow]) -> float | None:
    auc = roc_auc([r.support for r in rows], [not r.unanswerable for r in rows])
    return None if auc is None else round(auc, 4)


def _cost(rows: list[ScoredRow]) -> float | None:
    """Estimated USD of the whole group; None when no answer had a priced model."""
    costs = [r.cost_usd for r in rows if r.cost_usd is not None]
    return round(sum(costs), 6) if costs else None


def _rate(rows: list[ScoredRow], pred: Any) -> float | None:
    """Share of ``rows`` where ``pred`` holds; None when no row applies (not 0)."""
    return round(sum(bool(pred(r)) for r in rows) / len(rows), 4) if rows else None


def _mean(rows: list[ScoredRow], value: Any) -> float | None:
    return round(sum(float(value(r)) for r in rows) / len(rows), 4) if rows else None
