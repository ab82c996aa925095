"""One benchmark client process: time questions against a store, report JSON on stdout.

Usage: ``python -m eval.bench.worker --home H --pipeline newsrag --questions q.json``
(CHROMA_HOST / CHROMA_PORT in the environment reach a Chroma server instead). Prints
``{"retrieve_ms": [...], "answer_ms": [...], "peak_rss_mb": ...}``; the first question warms up
and is not timed.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

from rag.assistant import Assistant
from rag.core.dates import parse_date
from rag.core.settings import Settings
from rag.core.types import Filters


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.bench.worker")
    parser.add_argument("--home", type=Path, required=True)
    parser.add_argument("--pipeline", choices=("newsrag", "recipe"), required=True)
    parser.add_argument("--questions", type=Path, required=True)
    args = parser.parse_args(argv)
    questions = json.loads(args.questions.read_text())
    settings = Settings(home=args.home)
    assistant = Assistant(settings)
    if args.pipeline == "recipe":
        from eval.baseline import BaselinePipeline

        recipe = BaselinePipeline(assistant.pipeline.embedder, args.home, assistant.answer)
    retrieve_ms: list[float] = []
    answer_ms: list[float] = []
    for i, q in enumerate(questions):
        started = time.perf_counter()
        if args.pipeline == "newsrag":
            as_of = parse_date(q.get("as_of") or "")
            retrieval = assistant.retrieve(q["question"], filters=Filters(as_of=as_of))
        else:
            retrieval = recipe.retrieve(q["question"], 4)
        retrieved = time.perf_counter()
        assistant.answer(retrieval)
        done = time.perf_counter()
        if i:
            retrieve_ms.append((retrieved - started) * 1000)
            answer_ms.append((done - started) * 1000)
    peak = _peak_rss_mb()
    print(json.dumps({"retrieve_ms": retrieve_ms, "answer_ms": answer_ms, "peak_rss_mb": peak}))
    return 0


def _peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM; getrusage's maxrss survives exec on Linux
    and would report the parent's)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    sys.exit(main())
