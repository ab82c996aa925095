"""Where a cold ``newsrag ask`` spends its time: one new process, phase by phase, serially.

Usage: ``python -m eval.bench.cold --home H --question "Who ...?"`` prints one JSON object:
wall seconds (``*_s``) and CPU seconds (``*_cpu_s``: on a loaded machine the CPU time is the
steadier figure) of each phase, in the order a question needs them: the interpreter and the
imports of the facade (``rag.assistant``; eval may not import the faces, which add argparse
and a few small modules), opening the store (Chroma), loading the encoder (ONNX) with one
query embedding, the lexical index, spaCy, and then the question itself (retrieve + read).
In the real command (rag/faces/launch.py) spaCy loads in a helper process on the other core and
the encoder in a thread while the store opens, and the process skips finalization, so its
wall time is well below the sum; ``python -m eval.bench`` reports both
(eval/bench/processes.py ``cold_starts``).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

_STARTED = time.perf_counter(), time.process_time()

PHASES = ("imports", "store", "encoder", "lexical", "spacy", "question")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.bench.cold")
    parser.add_argument("--home", type=Path, required=True)
    parser.add_argument("--question", required=True)
    args = parser.parse_args(argv)
    laps = _Laps()
    from rag.assistant import Assistant  # the command adds argparse and its own small modules
    from rag.core.settings import Settings

    laps.lap("imports")
    assistant = Assistant(Settings(home=args.home))
    pipeline = assistant.pipeline
    laps.lap("store")
    for name, load in pipeline.loaders().items():
        load()
        laps.lap(name)
    assistant.ask(args.question)
    laps.lap("question")
    print(json.dumps(laps.figures()))
    return 0


class _Laps:
    """Wall and CPU seconds between calls, from the start of this module."""

    def __init__(self) -> None:
        self.wall, self.cpu = _STARTED
        self.found: dict[str, Any] = {}

    def lap(self, name: str) -> None:
        wall, cpu = time.perf_counter(), time.process_time()
        self.found[f"{name}_s"] = wall - self.wall
        self.found[f"{name}_cpu_s"] = cpu - self.cpu
        self.wall, self.cpu = wall, cpu

    def figures(self) -> dict[str, float]:
        walls = [self.found[f"{p}_s"] for p in PHASES]
        cpus = [self.found[f"{p}_cpu_s"] for p in PHASES]
        return {k: round(v, 3) for k, v in self.found.items()} | {
            "total_s": round(sum(walls), 3),
            "total_cpu_s": round(sum(cpus), 3),
        }


if __name__ == "__main__":
    sys.exit(main())
