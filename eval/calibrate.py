"""Calibrate the extractive answerer on dev sets: feature weights and the refusal threshold.

Usage: ``python -m eval.calibrate eval/datasets/seed eval/datasets/quail-news [--home-root DIR]``
Each dataset is ingested into its own store (``--home-root/<name>``, reused when given), every
question is ranked once, and the weight grid and thresholds are searched over the cached
features. Prints the best settings and what they score per dataset.
"""

from __future__ import annotations

import argparse
import itertools
import json
import pickle
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from eval.datasets import GoldQuestion, dataset_sources, load_dataset
from eval.metrics import contains_answer
from rag.answer import ExtractiveAnswerer, Weights
from rag.assistant import Assistant
from rag.retrieve import Retriever
from rag.settings import Settings

GRID = {
    "cosine": (0.3, 0.45, 0.6),
    "overlap": (0.15, 0.3, 0.45),
    "type_match": (0.0, 0.1, 0.2, 0.3),
    "novelty": (0.0, 0.05, 0.1),
    "retrieval": (0.0, 0.1, 0.2),
}


@dataclass(frozen=True, slots=True)
class Cand:
    feats: tuple[float, float, float, float, float]
    good: bool  # contains an accepted answer and comes from a gold article
    text: str = ""  # the quote


def collect(
    dataset_dir: Path, home: Path, k: int, distractors: bool
) -> list[tuple[GoldQuestion, list[Cand]]]:
    assistant = Assistant(Settings(home=home))
    dataset = load_dataset(dataset_dir)
    assistant.ingest(dataset_sources(dataset, home / "data", distractors))
    answerer = ExtractiveAnswerer(assistant.embeddings, refusal="", min_support=0.0)
    retriever = Retriever(assistant.store, assistant.embeddings)
    out = []
    for gold in dataset.questions:
        ranked = answerer.rank(retriever.retrieve(gold.question, k))
        cands = []
        for c in ranked:
            f = c.features
            lo, hi = c.quote_span()
            quote = c.hit.chunk.text[lo - c.hit.chunk.start : hi - c.hit.chunk.start]
            good = (
                not gold.unanswerable
                and c.hit.chunk.article_id in gold.article_ids
                and contains_answer(quote, gold.answers)
            )
            cands.append(
                Cand((f.cosine, f.overlap, f.type_match, f.novelty, c.hit.score), good, quote)
            )
        out.append((gold, cands))
    return out


def evaluate(
    data: list[tuple[GoldQuestion, list[Cand]]], w: Weights, margin: float, max_quotes: int
) -> list[tuple[float, bool, bool]]:
    """(support, answered correctly if answering, unanswerable) per question."""
    rows = []
    for gold, cands in data:
        scored = sorted(
            (
                (
                    w.cosine * c.feats[0]
                    + w.overlap * c.feats[1]
                    + w.type_match * c.feats[2]
                    + w.novelty * c.feats[3]
                    + w.retrieval * max(0.0, c.feats[4]),
                    c.good,
                )
                for c in cands
            ),
            key=lambda x: -x[0],
        )
        if not scored:
            rows.append((0.0, False, gold.unanswerable))
            continue
        best = scored[0][0]
        chosen = [g for s, g in scored[:max_quotes] if s >= best - margin]
        rows.append((best, any(chosen), gold.unanswerable))
    return rows


def best_threshold(per_set: list[list[tuple[float, bool, bool]]]) -> tuple[float, float]:
    """The threshold with the best mean accuracy over datasets (each set weighs the same)."""
    best = (0.0, -1.0)
    for t in sorted({r[0] for rows in per_set for r in rows} | {0.0}):
        score = sum(
            sum((r[0] >= t and r[1]) if not r[2] else (r[0] < t) for r in rows) / len(rows)
            for rows in per_set
            if rows
        ) / len(per_set)
        if score > best[1]:
            best = (t, score)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.calibrate", description=__doc__)
    parser.add_argument("datasets", nargs="+", type=Path)
    parser.add_argument("--home-root", type=Path)
    parser.add_argument("--distractors", action="store_true")
    parser.add_argument("--k", type=int, default=Settings().k)
    parser.add_argument("--cache", type=Path, help="pickle of collected features (made if absent)")
    parser.add_argument(
        "--answerable",
        choices=("all", "in_text"),
        default="in_text",
        help="which answerable questions count (in_text: answer_in_text only)",
    )
    args = parser.parse_args(argv)
    if args.cache and args.cache.exists():
        data = pickle.loads(args.cache.read_bytes())
    else:
        with tempfile.TemporaryDirectory(prefix="newsrag-cal-") as tmp:
            root = args.home_root or Path(tmp)
            data = {
                d.name: collect(d, root / d.name, args.k, args.distractors) for d in args.datasets
            }
        if args.cache:
            args.cache.write_bytes(pickle.dumps(data))
    if args.answerable == "in_text":
        data = {
            name: [(g, c) for g, c in rows if g.unanswerable or g.answer_in_text]
            for name, rows in data.items()
        }
    results = []
    for values in itertools.product(*GRID.values()):
        w = Weights(**dict(zip(GRID, values, strict=True)))
        for margin, max_quotes in ((0.0, 1), (0.03, 2), (0.06, 2)):
            per_set = [evaluate(data[name], w, margin, max_quotes) for name in data]
            t, score = best_threshold(per_set)
            results.append((score, t, w, margin, max_quotes))
    results.sort(key=lambda r: -r[0])
    for score, t, w, margin, max_quotes in results[:5]:
        per = {}
        for name, d in data.items():
            rows = evaluate(d, w, margin, max_quotes)
            per[name] = {
                "answered_correct": sum(r[0] >= t and r[1] for r in rows if not r[2]),
                "answerable": sum(not r[2] for r in rows),
                "refused_unanswerable": sum(r[0] < t for r in rows if r[2]),
                "unanswerable": sum(r[2] for r in rows),
                "oracle_no_refusal": sum(r[1] for r in rows if not r[2]),
            }
        print(
            json.dumps(
                {
                    "mean_accuracy": round(score, 4),
                    "threshold": round(t, 4),
                    "weights": w.__dict__
                    if hasattr(w, "__dict__")
                    else {f: getattr(w, f) for f in GRID},
                    "margin": margin,
                    "max_quotes": max_quotes,
                    "per_dataset": per,
                }
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
