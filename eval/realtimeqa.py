"""Quality benchmark on realtimeqa-dev with distractors, newsrag vs the LangChain baseline.

Usage: ``python -m eval.realtimeqa [--data ../shared/data/realtimeqa-dev] [--out report.json]``
Reported, not gated. The data set is third-party text that never enters the repository: it is
read from the shared folder, and the command skips cleanly (exit 0) when it is absent.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from eval.bench import DEFAULT_DATA
from eval.harness import print_progress, run
from eval.report import to_markdown
from rag.core.settings import Settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.realtimeqa", description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, help="write the JSON report here")
    parser.add_argument("--pipeline", action="append", choices=("newsrag", "baseline"))
    parser.add_argument("--stores", type=Path, help="keep the stores here for the next run")
    args = parser.parse_args(argv)
    if not (args.data / "qa.jsonl").exists():
        print(f"skipped: {args.data} not found; the realtimeqa benchmark needs the shared data")
        return 0
    report = run(
        [args.data],
        Settings(),
        pipelines=args.pipeline or ["newsrag", "baseline"],
        distractors=True,
        stores=args.stores,
        progress=print_progress,
    )
    data = report.to_dict()
    if args.out:
        args.out.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    print(to_markdown(data))
    return 0


if __name__ == "__main__":
    sys.exit(main())
