"""Chat load through real Gradio: 1 user against 20 at once, answers in threads of the server
(``--workers 0``) against the answer pool (``--workers N``), in the same run.

Usage: ``python -m eval.bench.chat_load [--repeats 3] [--users 20] [--out chat-load.json]``

A small store is built from eval/datasets/fresh (``newsrag ingest`` into a temp home), both
servers (``newsrag serve``) run side by side on loopback, and every user is a gradio_client
session asking one question of the fresh set through the chat's own ask endpoint. Each repeat
measures, for each server in turn: one user asking the questions one at a time, then all users
at once (latency from submit to the finished answer); figures are medians over repeats. Both
servers are warmed up first (the same questions, all users at once) so that per-process caches
(spaCy parses) are warm in every worker, as in a server that has been running.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

from eval.bench.processes import free_port
from eval.bench.report import publish

FRESH = Path(__file__).resolve().parents[1] / "datasets" / "fresh"
WARM_ROUNDS = 3


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    questions = _questions(args.users)
    with tempfile.TemporaryDirectory(prefix="newsrag-chat-load-") as tmp, ExitStack() as stack:
        home = Path(tmp) / "home"
        _cli(home, "ingest", str(FRESH / "articles.jsonl"))
        servers = {
            "threads": stack.enter_context(_server(home, 0)),
            "pool": stack.enter_context(_server(home, args.workers)),
        }
        users = {mode: _users(url, len(questions)) for mode, (url, _) in servers.items()}
        for mode in servers:
            for _ in range(WARM_ROUNDS):
                _at_once(users[mode], questions)
        rounds: dict[str, dict[str, list[dict[str, float]]]] = {
            m: {"one_user": [], "all_users": []} for m in servers
        }
        load = [os.getloadavg()[0]]
        for _ in range(args.repeats):  # alternate, so drift in machine load hits both alike
            for mode, (_, pid) in servers.items():
                rounds[mode]["one_user"].append(_one_at_a_time(users[mode][0], questions))
                cpu = _cpu_seconds(pid)
                figures = _at_once(users[mode], questions)
                figures["cores_busy"] = (_cpu_seconds(pid) - cpu) / figures["wall"]
                rounds[mode]["all_users"].append(figures)
        load.append(os.getloadavg()[0])
    result = _summary(rounds, args, load)
    publish(result, to_markdown(result), args.out)
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m eval.bench.chat_load", description=__doc__)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--users", type=int, default=20, help="users at once (one question each)")
    parser.add_argument(
        "--workers", type=int, default=os.cpu_count() or 1, help="the pool's size (default cores)"
    )
    parser.add_argument("--out", type=Path, help="write the JSON here (and a .md beside it)")
    return parser


def _questions(n: int) -> list[str]:
    rows = [json.loads(line) for line in (FRESH / "qa.jsonl").read_text().splitlines()]
    return [r["question"] for r in rows if not r["unanswerable"]][:n]


def _cli(home: Path, *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "rag.faces.cli", *args, "--home", str(home)],
        env=_env(),
        check=True,
        capture_output=True,
    )


@contextmanager
def _server(home: Path, workers: int) -> Iterator[tuple[str, int]]:
    """`newsrag serve --workers N` on a free loopback port until the block ends: (url, pid)."""
    port = free_port()
    command = [sys.executable, "-m", "rag.faces.cli", "serve", "--port", str(port)]
    server = subprocess.Popen(
        [*command, "--workers", str(workers), "--home", str(home)],
        env=_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                urllib.request.urlopen(url, timeout=2).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"newsrag serve --workers {workers} did not start") from None
                time.sleep(0.5)
        yield url, server.pid
    finally:
        server.terminate()
        server.wait(timeout=60)


def _cpu_seconds(pid: int) -> float:
    """CPU seconds used so far by ``pid`` and its child processes (the answering workers)."""
    tasks = Path(f"/proc/{pid}/task").iterdir()
    pids = [pid] + [int(c) for t in tasks for c in (t / "children").read_text().split()]
    ticks = 0
    for p in pids:
        fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def _users(url: str, n: int) -> list[Any]:
    from gradio_client import Client  # a test dependency of gradio; only this benchmark needs it

    return [Client(url, verbose=False) for _ in range(n)]


def _ask(user: Any, question: str) -> float:
    started = time.perf_counter()
    chat, _, _ = user.predict(question, [], "All sources", "", "", 5, api_name="/ask")
    seconds = time.perf_counter() - started
    if not chat or chat[-1]["role"] != "assistant" or "⚠️" in str(chat[-1]["content"]):
        raise RuntimeError(f"no answer to {question!r}: {chat[-1:]}")
    return seconds


def _one_at_a_time(user: Any, questions: list[str]) -> dict[str, float]:
    return _percentiles([_ask(user, q) for q in questions])


def _at_once(users: list[Any], questions: list[str]) -> dict[str, float]:
    started = time.perf_counter()
    with ThreadPoolExecutor(len(users)) as threads:
        seconds = list(threads.map(_ask, users, questions))
    return _percentiles(seconds) | {"wall": time.perf_counter() - started}


def _percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {"p50": statistics.median(ordered), "p95": ordered[round(0.95 * (len(ordered) - 1))]}


def _summary(rounds: dict[str, Any], args: argparse.Namespace, load: list[float]) -> dict:
    out: dict[str, Any] = {
        "cpus": os.cpu_count(),
        "users": args.users,
        "workers": args.workers,
        "repeats": args.repeats,
        "load_avg_1min": [round(x, 2) for x in load],
        "rounds": rounds,
    }
    for mode, by in rounds.items():
        out[mode] = {
            kind: {k: round(statistics.median(r[k] for r in runs), 3) for k in runs[0]}
            for kind, runs in by.items()
        }
        out[mode]["p95_ratio_all_over_one"] = round(
            out[mode]["all_users"]["p95"] / out[mode]["one_user"]["p95"], 2
        )
    out["pool_over_threads_p95_all_users"] = round(
        out["pool"]["all_users"]["p95"] / out["threads"]["all_users"]["p95"], 2
    )
    return out


def to_markdown(result: dict[str, Any]) -> str:
    n = result["users"]
    lines = [
        f"## Chat load through Gradio ({result['users']} users at once vs 1 user)",
        "",
        f"{result['cpus']} CPUs; pool of {result['workers']} workers; medians of "
        f"{result['repeats']} repeats; 1-minute load average {result['load_avg_1min'][0]} at "
        f"start, {result['load_avg_1min'][1]} at end.",
        "",
        f"| answers in | 1 user p50 / p95 s | {n} users p50 / p95 s | {n} users wall s "
        f"| p95 {n} ÷ p95 1 | cores busy ({n} users) |",
        "|---|---|---|---|---|---|",
    ]
    for mode in ("threads", "pool"):
        one, all_ = result[mode]["one_user"], result[mode]["all_users"]
        lines.append(
            f"| {mode} | {one['p50']:.2f} / {one['p95']:.2f} | {all_['p50']:.2f} / "
            f"{all_['p95']:.2f} | {all_['wall']:.2f} | {result[mode]['p95_ratio_all_over_one']} | "
            f"{all_['cores_busy']:.2f} |"
        )
    ratio = result["pool_over_threads_p95_all_users"]
    lines += ["", f"pool p95 ÷ threads p95 at {result['users']} users: {ratio}"]
    return "\n".join(lines) + "\n"


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSRAG_", "CHROMA_"))}
    env.update(ANONYMIZED_TELEMETRY="False", HF_HUB_OFFLINE="1", GRADIO_ANALYTICS_ENABLED="False")
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL"):  # offline answers: CPU, not an endpoint
        env.pop(name, None)
    return env


if __name__ == "__main__":
    sys.exit(main())
