"""``newsrag eval``: run the harness, write the reports, compare with an earlier run, gate on
thresholds. The CLI parses the arguments and hands them here.

Usage: ``run_command(args, settings)`` with the ``eval`` subcommand's parsed arguments.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from eval.harness import print_progress, run
from eval.report import check, compare, load_thresholds, to_markdown
from eval.timelines import is_timeline_set, run_timelines
from rag.core.errors import InputError
from rag.core.settings import Settings


def run_command(args: argparse.Namespace, settings: Settings) -> int:
    """Evaluate, print (Markdown or one JSON object) and return the exit code."""
    if args.out and args.out.suffix == ".md":
        raise InputError(f"{args.out}: --out names the JSON report (the .md goes beside it)")
    timeline_sets = [Path(d) for d in args.datasets if is_timeline_set(Path(d))]
    report = run(
        [d for d in args.datasets if Path(d) not in timeline_sets],
        settings,
        pipelines=args.pipeline or ["newsrag"],
        distractors=args.distractors,
        stores=args.stores or _home_stores(args),
        progress=None if args.json else print_progress,
        question_dates=not args.no_question_dates,
    )
    data = report.to_dict()
    if timeline_sets:
        stories, rows = run_timelines(timeline_sets, settings, args.stores or _home_stores(args))
        data["summary"] |= stories
        data["timelines"] = rows
    if args.compare:
        data["compare"] = compare(data, _read_json(args.compare))
    problems = check(data["summary"], load_thresholds(args.check)) if args.check else []
    data["check"] = {"thresholds": str(args.check) if args.check else None, "problems": problems}
    markdown = to_markdown(data)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        args.out.with_suffix(".md").write_text(markdown + "\n", encoding="utf-8")
    if args.json:
        print(json.dumps(data, ensure_ascii=False))
    else:
        print(markdown)
        for d in data.get("compare", []):
            if d["regression"]:
                print(
                    f"regression: {d['group']}/{d['pipeline']} {d['metric']} "
                    f"{d['before']} -> {d['after']}"
                )
    for problem in problems:
        print(f"newsrag: threshold: {problem}", file=sys.stderr)
    return 1 if problems else 0


def _home_stores(args: argparse.Namespace) -> Path | None:
    """``eval --home DIR`` keeps its stores in DIR/eval-stores (never in DIR's own store)."""
    home = getattr(args, "home", None)
    return Path(home) / "eval-stores" if home else None


def _read_json(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(f"{path}: not a readable JSON report ({exc})") from exc
