"""Validation of the reader on held-out articles: ROC AUC, Platt scaling and the operating points
the product uses (answer threshold, short-answer threshold). Pure numpy.

Usage: ``cal = calibrate(examples, results); report(examples, results, cal)``
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

import numpy as np

from eval.metrics import roc_auc
from train.data import Example

Result = tuple[float, int, int, float]  # answer logit, span start, span end, span score
MAX_FALSE_REFUSALS = 0.08  # on validation, leaving room for the shift to unseen sets
SPAN_PRECISION = 0.90


def platt(x: Sequence[float], y: Sequence[bool], iters: int = 100) -> tuple[float, float]:
    """(a, b) of ``sigmoid(a * x + b)`` fitted to labels ``y`` by Newton's method with step
    halving (lightly regularised), from the base rate."""
    xs = np.asarray(x, dtype=float)
    ys = np.asarray(y, dtype=float)
    rate = min(max(ys.mean(), 1e-3), 1 - 1e-3)
    w = np.array([0.0, np.log(rate / (1 - rate))])
    design = np.stack([xs, np.ones_like(xs)], axis=1)

    def loss(v: np.ndarray) -> float:
        z = design @ v
        return float(np.sum(np.logaddexp(0, z) - ys * z) + 5e-4 * v @ v)

    for _ in range(iters):
        p = 1 / (1 + np.exp(-np.clip(design @ w, -40, 40)))
        grad = design.T @ (p - ys) + 1e-3 * w
        hess = design.T @ (design * (p * (1 - p))[:, None]) + 1e-3 * np.eye(2)
        step = np.linalg.solve(hess, grad)
        before = loss(w)
        for _ in range(30):  # halve until the loss does not grow
            if loss(w - step) <= before:
                break
            step /= 2
        w = w - step
        if np.abs(step).max() < 1e-8:
            break
    return float(w[0]), float(w[1])


def _sigmoid(x: np.ndarray | float) -> np.ndarray:
    return 1 / (1 + np.exp(-np.clip(x, -40, 40)))


def normalise(text: str) -> str:
    text = re.sub(r"[^\w\s]", " ", text.lower())
    return " ".join(w for w in text.split() if w not in {"a", "an", "the"})


def span_right(ex: Example, result: Result) -> bool:
    """The predicted span is the gold answer (normalised equal, or holding it with at most two
    more words)."""
    gold = normalise(ex.passage.text[ex.start : ex.end])
    got = normalise(ex.passage.text[result[1] : result[2]]) if result[1] >= 0 else ""
    return bool(got) and (
        got == gold or (gold in got and len(got.split()) <= len(gold.split()) + 2)
    )


def by_question(examples: list[Example], probs: np.ndarray) -> tuple[list[float], list[bool]]:
    """Per question: the best passage's probability, and whether the question is answerable."""
    best: dict[str, float] = defaultdict(float)
    answerable: dict[str, bool] = {}
    for ex, p in zip(examples, probs, strict=True):
        best[ex.question_id] = max(best[ex.question_id], float(p))
        answerable[ex.question_id] = ex.kind == "answerable"
    keys = sorted(best)
    return [best[k] for k in keys], [answerable[k] for k in keys]


def calibrate(examples: list[Example], results: list[Result]) -> dict:
    logits = np.array([r[0] for r in results])
    has = np.array([ex.start >= 0 for ex in examples])
    a, b = platt(logits, has)
    probs = _sigmoid(a * logits + b)
    q_probs, q_ans = by_question(examples, probs)
    qp, qa = np.array(q_probs), np.array(q_ans)
    threshold = 0.5
    for t in np.linspace(0.02, 0.98, 97):  # the highest line that keeps false refusals low
        if (qp[qa] < t).mean() <= MAX_FALSE_REFUSALS:
            threshold = float(t)
    positives = [(ex, r) for ex, r in zip(examples, results, strict=True) if ex.start >= 0]
    scores = np.array([r[3] for _, r in positives])
    right = np.array([span_right(ex, r) for ex, r in positives])
    sa, sb = platt(scores, right)
    span_probs = _sigmoid(sa * scores + sb)
    span_threshold = 0.95
    for t in np.linspace(0.95, 0.05, 91):  # the lowest line whose shown spans are precise
        shown = span_probs >= t
        if shown.any() and right[shown].mean() >= SPAN_PRECISION:
            span_threshold = float(t)
    return {
        "answer_scale": [a, b],
        "answer_threshold": round(threshold, 3),
        "span_scale": [sa, sb],
        "span_threshold": round(span_threshold, 3),
    }


def report(examples: list[Example], results: list[Result], cal: dict) -> dict:
    logits = np.array([r[0] for r in results])
    a, b = cal["answer_scale"]
    probs = _sigmoid(a * logits + b)
    has = [ex.start >= 0 for ex in examples]
    q_probs, q_ans = by_question(examples, probs)
    qp, qa = np.array(q_probs), np.array(q_ans)
    t = cal["answer_threshold"]
    positives = [(ex, r) for ex, r in zip(examples, results, strict=True) if ex.start >= 0]
    right = [span_right(ex, r) for ex, r in positives]
    sa, sb = cal["span_scale"]
    sp = _sigmoid(sa * np.array([r[3] for _, r in positives]) + sb)
    shown = sp >= cal["span_threshold"]
    kinds: dict[str, list[float]] = defaultdict(list)
    for ex, p in zip(examples, probs, strict=True):
        kinds[ex.kind].append(float(p))
    return {
        "examples": len(examples),
        "questions": len(qp),
        "passage_auc": round(roc_auc(probs, has) or 0.0, 3),
        "question_auc": round(roc_auc(qp, qa) or 0.0, 3),
        "unanswerable_refused": round(float((qp[~qa] < t).mean()), 3),
        "false_refusals": round(float((qp[qa] < t).mean()), 3),
        "span_exact": round(float(np.mean(right)), 3),
        "span_shown": round(float(shown.mean()), 3),
        "span_precision_shown": round(float(np.array(right)[shown].mean()), 3)
        if shown.any()
        else 0.0,
        "mean_probability_by_kind": {
            k: round(float(np.mean(v)), 3) for k, v in sorted(kinds.items())
        },
    }
