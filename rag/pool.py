"""Answers from a small pool of worker processes, so that concurrent chat users use every core:
the answer path (spaCy, the reader's scoring, BM25) holds the GIL, so threads share one core.

Usage::

    pool = AnswerPool(settings, workers=2).start()   # each worker builds its own Assistant
    for event in pool.stream("Who leads ...?", history=answers, k=5, filters=Filters()):
        ...                                           # text pieces, then the final Answer
    pool.close()

``stream`` behaves as ``Assistant.stream`` (the same pieces, then the same Answer; errors are
raised again in the caller). Workers follow other processes' writes (an ingest by the server
or `newsrag ingest`) through the store's generation token, like any reader. A worker that dies
is replaced; only the question it was answering fails, with WorkerError. Workers ignore Ctrl-C
and leave when the server closes the pool or goes away (their pipe closes).
"""

from __future__ import annotations

import multiprocessing as mp
import os
import queue
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

from rag.assistant import Assistant
from rag.core.errors import WorkerError
from rag.core.settings import Settings
from rag.core.types import Answer, Filters, Turn

Factory = Callable[[Settings], Assistant]
WARM_UP_QUESTION = "Who said what, and when?"
STOP_TIMEOUT = 5.0
RETRY_SECONDS = 5.0


def worker_count(settings: Settings) -> int:
    """NEWSRAG_WORKERS, else one worker per CPU core this process may use."""
    if settings.workers is not None:
        return settings.workers
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _share_cores(settings: Settings, workers: int) -> Settings:
    """The workers' settings: unless NEWSRAG_EMBED_THREADS says otherwise, the embedding
    model's threads share the cores between the workers instead of each taking them all."""
    if settings.embed_threads is not None:
        return settings
    cores = worker_count(settings.model_copy(update={"workers": None}))
    return settings.model_copy(update={"embed_threads": max(1, cores // workers)})


class _Worker:
    """One worker process and the server's end of its pipe."""

    def __init__(self, process: BaseProcess, conn: Connection) -> None:
        self.process = process
        self.conn = conn

    @property
    def pid(self) -> int | None:
        return self.process.pid


class AnswerPool:
    """``workers`` processes, each answering one question at a time with its own Assistant
    built by ``factory(settings)`` inside the process (a top-level function: it is pickled)."""

    def __init__(self, settings: Settings, workers: int, factory: Factory = Assistant) -> None:
        if workers < 1:
            raise ValueError(f"an answer pool needs at least one worker, not {workers}")
        self.settings = _share_cores(settings, workers)
        self.size = workers
        self.factory = factory
        self._context = mp.get_context("spawn")  # no fork of a process with threads running
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._workers: list[_Worker] = []
        self._lock = threading.Lock()
        self._closed = False

    def start(self) -> AnswerPool:
        """Start the workers and wait until each has loaded its models and opened the store;
        the first worker's error (a bad setting, an unusable store) is raised here."""
        launched = [self._launch() for _ in range(self.size)]
        try:
            for worker in launched:
                self._wait_ready(worker)
        except BaseException:
            self.close()
            raise
        for worker in launched:
            self._idle.put(worker)
        return self

    def pids(self) -> list[int]:
        """The process ids of the current workers (tests and the benchmark look at them)."""
        with self._lock:
            return [w.pid for w in self._workers if w.pid is not None]

    def stream(
        self,
        question: str,
        *,
        history: Sequence[Turn | Answer] | None = None,
        k: int | None = None,
        filters: Filters | None = None,
    ) -> Iterator[str | Answer]:
        """``Assistant.stream`` in the next free worker: text pieces, then the final Answer."""
        worker = self._send((question, list(history or []), k, filters))
        done = False
        try:
            while not done:
                kind, value = worker.conn.recv()
                done = kind != "piece"
                if kind == "error":
                    raise value
                yield value
        except (EOFError, OSError):  # the worker died: its end of the pipe closed
            self._replace(worker)
            done, worker = True, None  # type: ignore[assignment]
            raise WorkerError(
                "the process answering this question stopped unexpectedly and is being "
                "restarted; ask again"
            ) from None
        finally:
            if worker is not None:
                self._release(worker, done)

    def _send(self, message: tuple) -> _Worker:
        """Send the question to the next free worker; one found dead while idle (its pipe is
        closed before the question reaches it: no question of this user killed it) is
        replaced and the next one tried."""
        for _ in range(self.size + 1):
            worker = self._take()
            try:
                worker.conn.send(message)
                return worker
            except OSError:
                self._replace(worker)
        raise WorkerError("no answering process could take the question; ask again")

    def close(self) -> None:
        """Stop every worker (closing its pipe ends its loop; stragglers are terminated)."""
        with self._lock:
            self._closed = True
            workers, self._workers = self._workers, []
        for worker in workers:
            worker.conn.close()
        for worker in workers:
            worker.process.join(STOP_TIMEOUT)
            if worker.process.is_alive():
                worker.process.terminate()
                worker.process.join(STOP_TIMEOUT)

    def __enter__(self) -> AnswerPool:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # workers ------------------------------------------------------------------------------

    def _launch(self) -> _Worker:
        ours, theirs = self._context.Pipe()
        process = self._context.Process(
            target=_work, args=(theirs, self.settings, self.factory), name="newsrag-answer"
        )
        process.daemon = True  # never outlives the server
        process.start()
        theirs.close()  # only the worker holds it now: its death is EOF on ours
        worker = _Worker(process, ours)
        with self._lock:
            self._workers.append(worker)
        return worker

    def _wait_ready(self, worker: _Worker) -> None:
        try:
            kind, value = worker.conn.recv()
        except (EOFError, OSError):
            raise WorkerError(
                f"an answering process could not start (exit code {worker.process.exitcode})"
            ) from None
        if kind == "error":
            raise value

    def _take(self) -> _Worker:
        """The next idle worker that is alive (a dead one is replaced on the way)."""
        while True:
            if self._closed:
                raise WorkerError("the chat is shutting down; no more questions are answered")
            try:
                worker = self._idle.get(timeout=1.0)
            except queue.Empty:
                continue
            if worker.process.is_alive() and not _readable(worker.conn):  # idle: no EOF
                return worker
            self._replace(worker)

    def _release(self, worker: _Worker, done: bool) -> None:
        """Back to the idle workers; a question abandoned mid-answer (the browser left) is
        read to its end first, in the background, so its rest never reaches the next user."""
        if done:
            self._idle.put(worker)
            return

        def drain() -> None:
            try:
                while worker.conn.recv()[0] == "piece":
                    pass
            except (EOFError, OSError):
                self._replace(worker)
                return
            self._idle.put(worker)

        threading.Thread(target=drain, daemon=True, name="newsrag-drain").start()

    def _replace(self, dead: _Worker) -> None:
        """Forget ``dead`` and start its replacement in the background; it joins the idle
        workers when ready (questions meanwhile go to the other workers, or wait)."""
        with self._lock:
            if dead in self._workers:
                self._workers.remove(dead)
            if self._closed:
                return
        dead.conn.close()
        dead.process.join(STOP_TIMEOUT)

        def restart() -> None:
            while not self._closed:
                worker = self._launch()
                try:
                    self._wait_ready(worker)
                except Exception:  # noqa: BLE001 - start() reported it once; retry calmly
                    self._replace_failed(worker)
                    time.sleep(RETRY_SECONDS)
                    continue
                self._idle.put(worker)
                return

        threading.Thread(target=restart, daemon=True, name="newsrag-restart").start()

    def _replace_failed(self, worker: _Worker) -> None:
        with self._lock:
            if worker in self._workers:
                self._workers.remove(worker)
        worker.conn.close()
        worker.process.join(STOP_TIMEOUT)


def _work(conn: Connection, settings: Settings, factory: Factory) -> None:
    """A worker's life: build the Assistant, warm it up, say ready, answer until the pipe
    closes. Every event of ``Assistant.stream`` goes back as it comes; an error goes back too."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    try:
        assistant = factory(settings)
        _warm_up(assistant)
        conn.send(("ready", os.getpid()))
        while True:
            question, history, k, filters = conn.recv()
            try:
                for event in assistant.stream(question, history=history, k=k, filters=filters):
                    conn.send(("answer" if isinstance(event, Answer) else "piece", event))
            except Exception as exc:  # noqa: BLE001 - raised again in the server
                _send_error(conn, exc)
    except (EOFError, OSError):  # the server closed the pool or went away
        return
    except Exception as exc:  # noqa: BLE001 - cannot start: start() raises it
        _send_error(conn, exc)


def _warm_up(assistant: Assistant) -> None:
    """Load the embedder, store, lexical index and (offline) the reader and spaCy before the
    first user waits; an LLM is never called for it."""
    retrieval = assistant.retrieve(WARM_UP_QUESTION)
    if assistant.mode != "llm":
        assistant.answer(retrieval)


def _readable(conn: Connection) -> bool:
    try:
        return conn.poll()
    except (EOFError, OSError):
        return True


def _send_error(conn: Connection, exc: Exception) -> None:
    try:
        conn.send(("error", exc))
    except Exception:  # noqa: BLE001 - not picklable: send its words
        conn.send(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))
