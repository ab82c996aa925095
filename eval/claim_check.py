"""Score the LLM answers' claim check on a set of true and swapped claims:
``python -m eval.claim_check eval/datasets/claims1``.

Each claim of ``claims.jsonl`` is checked as a model's one-sentence answer citing its article
(``"<claim> [1]"``, the article as the one source) by the grounder LLM mode uses
(rag.query.llm.grounding), with each checker side by side: ``model``, the trained claim checker
(rag.core.claim_net; NEWSRAG_CLAIM_CHECK=model), and ``rules`` (the default: cosine + word
overlap, spaCy's names, dates and numbers, the negation and antonym rule). A swapped claim
should come out unsupported, a true restatement supported. Prints swaps caught and true claims
rejected, overall and by kind, as JSON.

Usage: ``python -m eval.claim_check eval/datasets/claims1 [--check model] [--out report.json]``
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from rag.core.settings import Settings
from rag.core.types import Chunk, Hit
from rag.pipeline import build_grounder


def load(folder: Path) -> tuple[dict[str, dict], list[dict]]:
    def rows(name: str) -> list[dict]:
        lines = (folder / name).read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines if line.strip()]

    return {a["id"]: a for a in rows("articles.jsonl")}, rows("claims.jsonl")


def source(article: dict) -> Hit:
    text = article["text"]
    chunk = Chunk(f"{article['id']}:0", article["id"], 0, text, 0, len(text), 0)
    return Hit(chunk, 1.0, title=article.get("title", ""), published=article.get("published", ""))


def verdicts(grounder: Any, articles: dict[str, dict], claims: list[dict]) -> list[dict]:
    """Per claim: whether the grounder let it through, and its reason when not."""
    out = []
    for c in claims:
        started = time.perf_counter()
        grounding = grounder.ground(f"{c['claim']} [1]", [source(articles[c["article_id"]])])
        ms = round((time.perf_counter() - started) * 1000, 1)
        passed = bool(grounding.supported) and not grounding.unsupported
        reason = grounding.unsupported[0].reason if grounding.unsupported else ""
        out.append({**c, "passed": passed, "reason": reason, "ms": ms})
    return out


def summary(rows: list[dict]) -> dict:
    swaps = [r for r in rows if not r["supported"]]
    true = [r for r in rows if r["supported"]]
    by_kind: dict[str, list[bool]] = defaultdict(list)
    for r in swaps:
        by_kind[r["kind"]].append(not r["passed"])
    return {
        "claims": len(rows),
        "swaps_caught": _rate([not r["passed"] for r in swaps]),
        "true_rejected": _rate([not r["passed"] for r in true]),
        "caught_by_kind": {k: _rate(v) for k, v in sorted(by_kind.items())},
        "p50_ms_per_claim": statistics.median(r["ms"] for r in rows) if rows else 0.0,
        "swaps": len(swaps),
        "true": len(true),
    }


def _rate(values: list[bool]) -> float:
    return round(sum(values) / len(values), 3) if values else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m eval.claim_check", description=__doc__)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--out", type=Path)
    parser.add_argument(
        "--check",
        choices=("model", "rules"),
        action="append",
        help="the checker(s) to score (default: both, side by side)",
    )
    args = parser.parse_args()
    articles, claims = load(args.folder)
    results, rows = {}, {}
    for check in args.check or ["model", "rules"]:
        grounder = build_grounder(Settings(claim_check=check))
        rows[check] = verdicts(grounder, articles, claims)
        results[check] = summary(rows[check])
    print(json.dumps(results, indent=1))
    if args.out:
        args.out.write_text(json.dumps({"summary": results, "rows": rows}, indent=1) + "\n")


if __name__ == "__main__":
    main()
