"""spaCy in a helper process, for a one-shot question (``newsrag ask "..."``).

Importing spaCy and loading ``en_core_web_sm`` takes ~0.65 s of pure Python, which holds the
GIL, so a thread cannot hide it behind opening the store and loading the encoder (~0.8 s, also
GIL-bound). A second process can: it loads spaCy on the other core while this one opens the
store, then parses what the reader sends it. The answers are the same (same model, same
``Parsed``); only a process that answers one question gains. Long-lived processes (the chat,
the API, pool workers) keep ``Nlp`` in process: no pipe per question.

If the helper cannot start or dies, parsing falls back to spaCy in this process, which raises
the usual ``ConfigError`` when the model is missing.

Usage: ``nlp = NlpProcess(); nlp.preload(); nlp.parse(["Lt. Gen. Mohammed Saeed leads it."])``
The helper itself: ``python -m rag.query.llm.nlp_process`` (pickled requests on stdin).
"""

from __future__ import annotations

import os
import pickle
import selectors
import subprocess
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from rag.query.llm.nlp import MODEL, Nlp, Parsed, stop_words

REPLY_SECONDS = 60.0  # the first reply waits for spaCy to load (~1 s; far more on a busy disk)


class NlpProcess(Nlp):
    """``Nlp`` whose spaCy runs in a child process started by ``preload`` (or the first parse)."""

    def __init__(self, model: str = MODEL) -> None:
        super().__init__(model)
        self._child: subprocess.Popen[bytes] | None = None
        self._stop: frozenset[str] | None = None
        self._failed = False
        self._pipe_lock = threading.Lock()
        self._start_lock = threading.Lock()

    def preload(self) -> None:
        """Start the helper; it imports spaCy and loads the model while this process works.
        It runs this very ``rag`` package (``-P``: not one in the current directory)."""
        with self._start_lock:
            if self._child is not None or self._failed:
                return
            root = str(Path(__file__).resolve().parents[2])
            path = os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH", "")) if p)
            try:
                self._child = subprocess.Popen(
                    [sys.executable, "-P", "-m", "rag.query.llm.nlp_process", self.model],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.DEVNULL,
                    env={**os.environ, "PYTHONPATH": path},
                )
            except OSError:
                self._failed = True

    def parse(self, texts: Sequence[str]) -> list[Parsed]:
        found = self._ask(("parse", list(texts)))
        return found if found is not None else super().parse(texts)

    def stop_words(self) -> frozenset[str]:
        if self._stop is None:
            found = self._ask(("stop_words", None))
            self._stop = frozenset(found) if found is not None else super().stop_words()
        return self._stop

    def close(self) -> None:
        """Stop the helper (it also stops by itself when this process exits: its stdin closes)."""
        child, self._child = self._child, None
        if child is not None:
            _close(child)

    def _ask(self, request: tuple[str, Any]) -> Any:
        """The helper's reply, or None when it is not there (then this process parses)."""
        self.preload()
        with self._pipe_lock:
            child = self._child
            if child is None or child.stdin is None or child.stdout is None:
                return None
            try:
                _send(child.stdin, request)
                kind, value = _receive(child.stdout, REPLY_SECONDS)
            except (OSError, EOFError, ValueError, pickle.UnpicklingError, TimeoutError):
                kind, value = "failed", None
            if kind != "ok":  # no model, or the helper died: spaCy in this process says why
                self._failed, self._child = True, None
                _close(child)
                return None
            return value


def _receive(stream: IO[bytes], seconds: float) -> Any:
    """The next reply, or TimeoutError when none starts within ``seconds`` (a hung helper)."""
    with selectors.DefaultSelector() as waiting:  # epoll: any fd number (select() stops at 1024)
        waiting.register(stream, selectors.EVENT_READ)
        if not waiting.select(seconds):
            raise TimeoutError(f"spaCy's helper did not answer within {seconds:.0f} s")
    return pickle.load(stream)


def _send(stream: IO[bytes], message: Any) -> None:
    pickle.dump(message, stream, protocol=pickle.HIGHEST_PROTOCOL)
    stream.flush()


def _close(child: subprocess.Popen[bytes]) -> None:
    try:
        if child.stdin is not None:
            child.stdin.close()
    except OSError:
        pass
    try:
        child.wait(timeout=2)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()


def serve(model: str, requests: IO[bytes], replies: IO[bytes]) -> None:
    """The helper's loop: load spaCy, then answer ("parse", texts) and ("stop_words", None)
    until its stdin closes. Any failure is replied as ("error", message) and ends it."""
    nlp = Nlp(model)
    try:
        nlp.parse(["warm up"])  # load now, before the first request arrives
    except Exception as exc:  # noqa: BLE001 - reported to the parent, which parses itself
        _send(replies, ("error", str(exc)))
        return
    while True:
        try:
            kind, value = pickle.load(requests)
        except EOFError:
            return
        try:
            if kind == "parse":
                _send(replies, ("ok", nlp.parse(value)))
            else:
                _send(replies, ("ok", sorted(stop_words())))
        except Exception as exc:  # noqa: BLE001 - reported to the parent, which parses itself
            _send(replies, ("error", str(exc)))
            return


if __name__ == "__main__":
    serve(sys.argv[1] if len(sys.argv) > 1 else MODEL, sys.stdin.buffer, sys.stdout.buffer)
