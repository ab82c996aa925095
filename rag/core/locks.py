"""One writer at a time for an embedded store, across processes (an OS file lock).

Usage::

    lock = WriteLock(home / "write.lock", timeout=600, where=str(home))
    with lock.held(notice=print):
        ...  # read records, embed, write

A second process waits (``notice`` is told once who holds the lock) and gets StoreBusyError
after ``timeout`` seconds. The OS releases the lock when its holder dies, so a SIGKILLed
ingest never leaves the store locked. A Chroma server store needs no lock here: its writes are
made consistent by the version every chunk carries (see rag.core.store).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from rag.core.errors import StoreBusyError


class WriteLock:
    """A reentrant inter-process lock on one store's writes."""

    def __init__(self, path: Path, timeout: float, where: str) -> None:
        self.path = path
        self.timeout = timeout
        self.where = where
        self._lock = FileLock(str(path), thread_local=False)

    @contextmanager
    def held(self, notice: Callable[[str], None] | None = None) -> Iterator[None]:
        """Hold the lock for the block; wait for another holder up to ``timeout`` seconds."""
        owner = self.path.with_suffix(".owner")
        try:
            self._lock.acquire(timeout=0)
        except Timeout:
            holder = _read(owner)
            if notice is not None:
                notice(f"the store at {self.where} is being written by process {holder}; waiting")
            try:
                self._lock.acquire(timeout=self.timeout)
            except Timeout:
                raise StoreBusyError(
                    f"the store at {self.where} is busy: process {holder} has been writing to it "
                    f"for more than {self.timeout:g} s; wait for it to finish, or raise "
                    "NEWSRAG_LOCK_TIMEOUT"
                ) from None
        try:
            if self._lock.lock_counter == 1:
                owner.write_text(str(os.getpid()))
            yield
        finally:
            self._lock.release()


@contextmanager
def opening(home: Path, timeout: float) -> Iterator[None]:
    """One process at a time creates or migrates the embedded store's database: two first
    opens at once otherwise race on its tables ("table collections already exists"). Held for
    the open only, never during writes, so readers do not wait for an ingest."""
    with FileLock(str(home / "open.lock"), timeout=timeout):
        yield


def _read(path: Path) -> str:
    try:
        return path.read_text().strip() or "?"
    except OSError:
        return "?"
