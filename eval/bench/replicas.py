"""Two chat replicas on one Chroma server while a third process ingests: how long after the
ingest finishes does each replica answer from the new article?

Usage::

    with chroma_run(tmp / "server") as port:
        lag = replica_lag(tmp, port, seed_folder)
    lag.seconds  # per replica, from the ingest's exit to a reply naming PROBE_ANSWER

Each replica is a real ``newsrag serve`` with its own home (as on its own machine), asked
through its HTTP API with gradio_client; the ingest is ``newsrag ingest`` in a third process.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eval.bench.processes import free_port

CLI = [sys.executable, "-m", "rag.faces.cli"]
PROBE = {  # the article the third process ingests, and what each replica is asked about it
    "id": "tarnby-ferry",
    "title": "Tarnby ferry terminal opens",
    "source": "Coast Courier",
    "published": "2026-11-30",
    "text": "Tarnby ferry terminal opens\n\nThe new ferry terminal in Tarnby was opened on "
    "Monday by harbour commissioner Ingrid Halvorsen. The terminal cost 48 million kroner "
    "and will serve 900,000 passengers a year.",
}
PROBE_QUESTION = "Who opened the Tarnby ferry terminal?"
PROBE_ANSWER = "Ingrid Halvorsen"


@dataclass(frozen=True, slots=True)
class ReplicaLag:
    """Seconds from the third process's ingest exiting to each replica's first reply that
    quotes the new article, and the replies themselves."""

    seconds: list[float]
    replies: list[str]
    ingest_s: float


def server_env(home: Path, port: int) -> dict[str, str]:
    """A newsrag process's environment on the loopback Chroma server, with its own home."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CHROMA_", "OPENAI_"))}
    env.update(NEWSRAG_HOME=str(home), CHROMA_HOST="127.0.0.1", CHROMA_PORT=str(port))
    env.update(GRADIO_ANALYTICS_ENABLED="False", ANONYMIZED_TELEMETRY="False")
    return env


@contextmanager
def serve(home: Path, port: int) -> Iterator[str]:
    """`newsrag serve` on a free loopback port over the Chroma server; yields its URL."""
    home.mkdir(parents=True, exist_ok=True)
    web = free_port()
    log = (home / "serve.log").open("wb")
    process = subprocess.Popen(
        [*CLI, "serve", "--port", str(web)], env=server_env(home, port), stdout=log, stderr=log
    )
    url = f"http://127.0.0.1:{web}/"
    try:
        deadline = time.monotonic() + 180
        while True:
            if process.poll() is not None:
                raise RuntimeError((home / "serve.log").read_text(errors="replace"))
            try:
                urllib.request.urlopen(url, timeout=2).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("newsrag serve did not come up in 180 s") from None
                time.sleep(0.5)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def ask(client: Any, question: str) -> str:
    """One question through the chat's /ask endpoint; the reply's Markdown."""
    turns, _, _ = client.predict(question, [], "All sources", "", "", 5, api_name="/ask")
    content = turns[-1]["content"]
    return content if isinstance(content, str) else "".join(p["text"] for p in content)


def replica_lag(
    scratch: Path,
    port: int,
    first: Path,
    replicas: int = 2,
    timeout: float = 60.0,
) -> ReplicaLag:
    """Ingest ``first`` into the server, start ``replicas`` chats, check that none can answer
    PROBE_QUESTION with PROBE_ANSWER, ingest PROBE from a third process, then poll every
    replica until its reply holds the answer (at most ``timeout`` seconds)."""
    import json

    from gradio_client import Client

    new = scratch / "probe.jsonl"
    new.write_text(json.dumps(PROBE) + "\n")
    question, expect = PROBE_QUESTION, PROBE_ANSWER

    ingest = [*CLI, "ingest"]
    subprocess.run([*ingest, str(first)], env=server_env(scratch / "loader", port), check=True)
    with ExitStack() as stack:
        urls = [stack.enter_context(serve(scratch / f"replica-{i}", port)) for i in range(replicas)]
        clients = [Client(u, verbose=False) for u in urls]
        for client in clients:  # warm, and the new article is not there yet
            if expect in ask(client, question):
                raise RuntimeError(f"{expect!r} was answered before the ingest")
        started = time.perf_counter()
        subprocess.run([*ingest, str(new)], env=server_env(scratch / "writer", port), check=True)
        done = time.perf_counter()
        seconds: list[float] = []
        replies: list[str] = []
        for client in clients:
            reply = ask(client, question)
            while expect not in reply and time.perf_counter() - done < timeout:
                time.sleep(0.1)
                reply = ask(client, question)
            seconds.append(round(time.perf_counter() - done, 2))
            replies.append(reply)
        return ReplicaLag(seconds, replies, round(done - started, 2))
