"""The command line's progress bars (tqdm, on stderr): ingest (articles, articles/s, ETA) and
reindex (chunks).

Usage: ``bar = ProgressBar(); assistant.ingest(paths, progress=bar.update); bar.close()``;
``bar = CountBar("chunks"); assistant.reindex(progress=bar.update); bar.close()``
"""

from __future__ import annotations

import sys
from typing import Any

from rag.core.types import IngestReport


class ProgressBar:
    """A tqdm bar on stderr, created at the first report (so a failed start prints nothing)."""

    def __init__(self) -> None:
        self._bar: Any = None

    def update(self, report: IngestReport) -> None:
        if self._bar is None:
            from tqdm import tqdm

            self._bar = tqdm(
                total=report.expected or None,
                unit=" articles",
                file=sys.stderr,
                dynamic_ncols=True,
                mininterval=0.5,
                smoothing=0.1,
            )
        if self._bar.total is not None and report.done > self._bar.total:
            self._bar.total = report.done
        self._bar.update(report.done - self._bar.n)
        self._bar.set_postfix_str(f"{report.chunks_embedded} chunks embedded", refresh=False)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


class CountBar:
    """A tqdm bar of ``done`` out of ``total`` things, created at the first report."""

    def __init__(self, unit: str) -> None:
        self.unit = unit
        self._bar: Any = None

    def update(self, done: int, total: int) -> None:
        if self._bar is None:
            from tqdm import tqdm

            self._bar = tqdm(
                total=total,
                initial=done,
                unit=f" {self.unit}",
                file=sys.stderr,
                dynamic_ncols=True,
                mininterval=0.5,
            )
        self._bar.total = max(total, done)
        self._bar.update(done - self._bar.n)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
