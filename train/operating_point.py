"""The reader's refusal line, chosen on development sets: ``python -m train.operating_point``.
It also sets LLM mode's override line: the lowest answer probability at which nine in ten
(``--override-precision``) of the pooled questions are answerable; a model's refusal is
overruled by the quoted evidence only at or above it.

Reads a ``newsrag eval --out`` report made with ``NEWSRAG_MIN_SUPPORT=0`` (nothing refused, so
every row carries its answer and the reader's confidence), pools the named development sets and
replays every threshold: unanswerable questions refused, false refusals, and contains_in_text
as the replies would score with that line. The line is the highest threshold whose pooled false
refusals stay within ``--max-false-refusals``; ``--write`` puts it into the reader's card.
Sets scored blind (fresh7, fresh8) are never passed here.

Usage: ``python -m train.operating_point REPORT.json --sets fresh3 fresh4 fresh5 fresh6
[--max-false-refusals 0.10] [--write rag/models/reader_net.json]``; ``--at 0.06`` prints every
set of the report replayed at that line (and the named sets pooled).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

DEV_SETS = ("fresh3", "fresh4", "fresh5", "fresh6")


def replay(rows: list[dict], threshold: float) -> dict[str, float]:
    """The pooled scores of ``rows`` had the reader refused under ``threshold``."""
    answerable = [r for r in rows if not r["unanswerable"]]
    in_text = [r for r in answerable if r["answer_in_text"]]
    unanswerable = [r for r in rows if r["unanswerable"]]
    return {
        "threshold": round(threshold, 3),
        "refused_unanswerable": _share(unanswerable, lambda r: r["support"] < threshold),
        "false_refusals": _share(answerable, lambda r: r["support"] < threshold),
        "contains_in_text": _share(
            in_text, lambda r: r["support"] >= threshold and bool(r["scores"].get("contains"))
        ),
    }


def _share(rows: list[dict], test: object) -> float:
    return round(float(np.mean([test(r) for r in rows])), 3) if rows else 0.0  # type: ignore[operator]


def choose(rows: list[dict], max_false_refusals: float) -> tuple[float, list[dict[str, float]]]:
    """(the line, the curve it was read from)."""
    curve = [replay(rows, float(t)) for t in np.round(np.linspace(0.0, 0.6, 121), 3)]
    line = max(
        (p["threshold"] for p in curve if p["false_refusals"] <= max_false_refusals), default=0.0
    )
    return line, curve


def override_line(rows: list[dict], precision: float) -> tuple[float, dict[str, float]]:
    """The lowest line at which at least ``precision`` of the questions the reader is that sure
    of are answerable (LLM mode overrules a model's refusal only there), and what it holds."""
    for t in np.round(np.linspace(0.0, 0.95, 96), 3):
        sure = [r for r in rows if r["support"] >= t]
        share = float(np.mean([not r["unanswerable"] for r in sure])) if sure else 0.0
        if sure and share >= precision:
            unanswerable = [r for r in rows if r["unanswerable"]]
            return float(t), {
                "threshold": float(t),
                "answerable_share_at_or_above": round(share, 3),
                "questions_at_or_above": len(sure),
                "unanswerable_at_or_above": int(sum(r["support"] >= t for r in unanswerable)),
            }
    return 1.0, {"threshold": 1.0}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m train.operating_point", description=__doc__)
    parser.add_argument("report", type=Path)
    parser.add_argument("--sets", nargs="+", default=list(DEV_SETS))
    parser.add_argument("--pipeline", default="newsrag")
    parser.add_argument("--max-false-refusals", type=float, default=0.10)
    parser.add_argument("--override-precision", type=float, default=0.90)
    parser.add_argument("--write", type=Path, help="the reader card to write the line into")
    parser.add_argument(
        "--at", type=float, help="no choosing: print every set of the report at this line"
    )
    args = parser.parse_args()
    report = json.loads(args.report.read_text(encoding="utf-8"))
    mine = [r for r in report["rows"] if r["pipeline"] == args.pipeline]
    if args.at is not None:
        for name in sorted({r["dataset"] for r in mine}):
            print(name, json.dumps(replay([r for r in mine if r["dataset"] == name], args.at)))
        print("pooled", json.dumps(replay([r for r in mine if r["dataset"] in args.sets], args.at)))
        return
    rows = [r for r in mine if r["dataset"] in args.sets]
    if not rows:
        raise SystemExit(f"{args.report}: no rows of {', '.join(args.sets)}")
    line, curve = choose(rows, args.max_false_refusals)
    for point in curve[::5]:
        print(json.dumps(point))
    print(json.dumps({"chosen": replay(rows, line), "sets": args.sets, "rows": len(rows)}))
    sure, held = override_line(rows, args.override_precision)
    print(json.dumps({"override_refusal": held}))
    if args.write:
        card = json.loads(args.write.read_text(encoding="utf-8"))
        card["answer_threshold"] = line
        card["dev_operating_point"] = {
            "sets": args.sets,
            "max_false_refusals": args.max_false_refusals,
            **replay(rows, line),
        }
        card["override_threshold"] = sure
        card["dev_override"] = {"sets": args.sets, "precision": args.override_precision, **held}
        args.write.write_text(json.dumps(card, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
