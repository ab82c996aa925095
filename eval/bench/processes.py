"""Benchmark client processes: cold starts, latency workers (one or several at once), and the
same workers against a ``chroma run`` server on loopback.

Usage: ``run_workers(home, "newsrag", questions_json, clients=4)``
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


def run_workers(
    home: Path,
    pipeline: str,
    questions: Path,
    clients: int,
    env: dict[str, str] | None = None,
    homes: list[Path] | None = None,
) -> dict[str, Any]:
    """``clients`` worker processes at once; latency percentiles over all their questions."""
    started = time.perf_counter()
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "eval.bench.worker",
                "--home",
                str((homes or [home])[i % len(homes or [home])]),
            ]
            + ["--pipeline", pipeline, "--questions", str(questions)],
            stdout=subprocess.PIPE,
            env=_env(env),
            text=True,
        )
        for i in range(clients)
    ]
    outs = [json.loads(p.communicate()[0]) for p in procs]
    wall = time.perf_counter() - started
    if any(p.returncode for p in procs):
        raise RuntimeError(f"a {pipeline} benchmark worker failed")
    retrieve = [x for o in outs for x in o["retrieve_ms"]]
    answer = [x for o in outs for x in o["answer_ms"]]
    return {
        "clients": clients,
        "questions": len(answer),
        "retrieve_ms": _percentiles(retrieve),
        "answer_ms": _percentiles(answer),
        "peak_rss_mb": round(max(o["peak_rss_mb"] for o in outs), 1),
        "wall_s": round(wall, 2),
    }


def cold_starts(home: Path, question: str, repeats: int) -> dict[str, Any]:
    """Median wall seconds of a new process answering one question: `newsrag ask`, the same
    through the benchmark worker for both pipelines, and an empty Python for the floor; then
    ``phases``: the medians of eval/bench/cold.py, where a cold ask spends its time (wall and
    CPU seconds per phase, serially). At least 5 runs each, interleaved."""
    one = home / "one-question.json"
    one.write_text(json.dumps([{"question": question}, {"question": question}]))
    commands = {
        "python_floor_s": [sys.executable, "-c", "pass"],
        "newsrag_ask_s": [
            sys.executable,
            "-m",
            "rag.faces.launch",
            "ask",
            question,
            "--home",
            str(home),
        ],
        "newsrag_worker_s": _worker(home, "newsrag", one),
        "recipe_worker_s": _worker(home, "recipe", one),
    }
    phases = [sys.executable, "-m", "eval.bench.cold", "--home", str(home), "--question", question]
    subprocess.run(phases, env=_env(None), capture_output=True, check=True)  # builds the index
    times: dict[str, list[float]] = {name: [] for name in commands}
    found: list[dict[str, float]] = []
    for _ in range(max(5, repeats)):
        for name, command in commands.items():
            started = time.perf_counter()
            subprocess.run(command, env=_env(None), capture_output=True, check=True)
            times[name].append(time.perf_counter() - started)
        done = subprocess.run(phases, env=_env(None), capture_output=True, text=True, check=True)
        found.append(json.loads(done.stdout))
    out: dict[str, Any] = {name: round(statistics.median(t), 2) for name, t in times.items()}
    out["phases"] = {k: round(statistics.median(f[k] for f in found), 3) for k in found[0]}
    return out


def server_figures(home: Path, questions: Path, clients: int, scratch: Path) -> dict[str, Any]:
    """The newsrag worker through a `chroma run` server holding a copy of ``home``'s store:
    one client, then ``clients`` at once (each with its own home, as on separate machines, whose
    BM25 index is ``home``'s, linked: the server's copy has the same generation, so no client
    rebuilds it, which takes about 17 minutes at a million chunks)."""
    data = scratch / "server-data"
    shutil.rmtree(data, ignore_errors=True)
    shutil.copytree(home / "chroma", data)
    homes = [scratch / f"client-{i}" for i in range(clients)]
    for client in homes:
        share_index(home, client)
    with chroma_run(data) as port:
        env = {"CHROMA_HOST": "127.0.0.1", "CHROMA_PORT": str(port)}
        return {
            "one_client": run_workers(home, "newsrag", questions, 1, env, homes[:1]),
            "concurrent": run_workers(home, "newsrag", questions, clients, env, homes),
        }


def share_index(home: Path, client: Path) -> None:
    """Link ``client``'s saved BM25 indexes to ``home``'s (made when missing)."""
    (home / "lexical").mkdir(parents=True, exist_ok=True)
    client.mkdir(parents=True, exist_ok=True)
    link = client / "lexical"
    if link.is_symlink() or link.is_file():
        link.unlink()
    elif link.exists():
        shutil.rmtree(link)
    link.symlink_to((home / "lexical").resolve(), target_is_directory=True)


@contextmanager
def chroma_run(path: Path) -> Iterator[int]:
    """`chroma run --path PATH` on a free loopback port until the block ends; yields the port."""
    chroma = shutil.which("chroma", path=str(Path(sys.executable).parent)) or shutil.which("chroma")
    if chroma is None:
        raise RuntimeError("the chroma command is missing: pip install chromadb")
    port = free_port()
    server = subprocess.Popen(
        [chroma, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait(port, server)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


def _worker(home: Path, pipeline: str, questions: Path) -> list[str]:
    return [sys.executable, "-m", "eval.bench.worker", "--home", str(home)] + [
        "--pipeline",
        pipeline,
        "--questions",
        str(questions),
    ]


def _env(extra: dict[str, str] | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHROMA_")}
    env.update({"ANONYMIZED_TELEMETRY": "False", "HF_HUB_OFFLINE": "1"}, **(extra or {}))
    return env


def _percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "p50": round(statistics.median(ordered), 1),
        "p95": round(ordered[int(0.95 * (len(ordered) - 1))], 1),
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(port: int, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1)
            return
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("chroma run did not start") from None
            time.sleep(0.2)
