"""The chat's answer pool (rag/pool.py) with real worker processes over a real store: the same
answers as in-process, many questions at once, a dead worker replaced, a worker following an
ingest made through the chat's "Add articles", and `newsrag serve` stopping its workers."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from rag.assistant import Assistant
from rag.core.embeddings import LocalMiniLM
from rag.core.errors import InputError, WorkerError
from rag.core.settings import Settings
from rag.core.types import Answer, Filters
from rag.faces.app import add_uploads, reply
from rag.faces.render import answer_markdown
from rag.pool import AnswerPool
from tests.conftest import REPO, SEED, terminal_signals
from tests.rag.test_llm_server import free_port

pytestmark = pytest.mark.integration

FRESH = REPO / "eval" / "datasets" / "fresh"
CRASH = "crash this worker now"
NEW_ARTICLE = """Tidewater Ferry Terminal Opens In Port Halden

Mayor Ines Okafor opened the Tidewater Ferry Terminal in Port Halden on Tuesday morning.

The terminal cost 42 million dollars and will carry 3,000 passengers a day to the islands.
"""


class _CrashingAssistant(Assistant):
    """A worker's Assistant that dies (SIGKILL, as an out-of-memory kill would) on CRASH."""

    def stream(self, question: str, **options: Any) -> Iterator[str | Answer]:
        if question == CRASH:
            os.kill(os.getpid(), signal.SIGKILL)
        yield from super().stream(question, **options)


def crashing_assistant(settings: Settings) -> Assistant:
    return _CrashingAssistant(settings)


def gold(path: Path) -> list[dict[str, Any]]:
    rows = [json.loads(line) for line in (path / "qa.jsonl").read_text().splitlines()]
    return [r for r in rows if not r["unanswerable"]]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, minilm: LocalMiniLM) -> Assistant:
    """A real store (the seed article and the 20 fresh ones) and an in-process Assistant."""
    assistant = Assistant(Settings(home=tmp_path_factory.mktemp("pool-store")), embeddings=minilm)
    assistant.ingest([SEED, FRESH / "articles.jsonl"])
    return assistant


@pytest.fixture(scope="module")
def pool(store: Assistant) -> Iterator[AnswerPool]:
    with AnswerPool(store.settings, 2, crashing_assistant) as started:
        yield started


def ask(pool: AnswerPool, question: str, **options: Any) -> Answer:
    *_, final = pool.stream(question, **options)
    assert isinstance(final, Answer)
    return final


def same(a: Answer, b: Answer) -> bool:
    """Rendered to the same bytes, the same `ask --json` object, and equal in every field but
    the timings and the reader's confidence, which two plain processes already compute a last
    bit apart (e.g. 0.3912705927934446 vs ...447: SIMD sums over differently aligned arrays)."""
    plain = replace(a, timings_ms={}, support=0.0), replace(b, timings_ms={}, support=0.0)
    same_json = json.dumps(a.to_dict() | {"timings_ms": {}}) == json.dumps(
        b.to_dict() | {"timings_ms": {}}
    )
    return (
        plain[0] == plain[1]
        and same_json
        and answer_markdown(a).encode() == answer_markdown(b).encode()
        and a.support == pytest.approx(b.support, rel=1e-12, abs=1e-12)
    )


def test_a_pool_answer_is_the_in_process_answer(store: Assistant, pool: AnswerPool) -> None:
    history = [store.ask("Who leads the Pakistani delegation?")]
    cases = [
        ("Who leads the Pakistani delegation?", {}),
        ("When does work on the new Old Mill Bridge start?", {"k": 3}),
        ("And where do they meet?", {"history": history}),  # a follow-up, condensed
        ("Who won the vote?", {"filters": Filters(source="no such outlet")}),
    ]
    for question, options in cases[:3]:
        mine, theirs = store.ask(question, **options), ask(pool, question, **options)
        assert same(mine, theirs), question
    assert "Mohammed Saeed" in ask(pool, cases[0][0]).text
    question, options = cases[3]
    with pytest.raises(InputError) as here:
        store.ask(question, **options)
    with pytest.raises(InputError) as there:  # the worker's error, raised again here
        ask(pool, question, **options)
    assert (
        str(there.value)
        == str(here.value)
        == ("no stored article matches the filters (source 'no such outlet'); loosen the filters")
    )


def test_the_chat_renders_a_pool_answer_exactly_as_an_in_process_one(
    store: Assistant, pool: AnswerPool
) -> None:
    filters = ("All sources", "", "", 5.0)
    question = "What's the price tag for replacing the bridge in Carrow?"
    *_, mine = reply(store, question, [], [], filters)
    *_, theirs = reply(store, question, [], [], filters, pool)
    assert mine[0] == theirs[0]  # the conversation, markdown and all
    assert mine[2] == theirs[2]  # the sources panel
    # the answers kept for follow-ups (the reader quotes the lead about the bridge vote here,
    # not the sentence with its price: a miss of the 2026-12-04 reader, kept visible)
    assert theirs[1][-1].text == mine[1][-1].text and theirs[1][-1].citations


def test_twenty_questions_at_once_are_each_answered_correctly(
    store: Assistant, pool: AnswerPool
) -> None:
    rows = (gold(SEED)[:8] + gold(FRESH))[:20]
    with ThreadPoolExecutor(len(rows)) as threads:
        answers = list(threads.map(lambda r: ask(pool, r["question"]), rows))
    expected = [store.ask(r["question"]) for r in rows]
    for row, answer, mine in zip(rows, answers, expected, strict=True):
        assert answer.question == row["question"]
        assert same(answer, mine), row["question"]
    right = [
        a
        for r, a in zip(rows, answers, strict=True)
        if {c.article_id for c in a.citations} & set(r["article_ids"])
        and any(g.lower() in a.text.lower() for g in r["answers"])
    ]
    # the offline answerer's own accuracy (15 with the reader model, 16 with the logistic
    # reader before it); the pool adds no misses
    assert len(right) >= 15


def test_a_killed_worker_is_replaced_and_the_next_question_answered(pool: AnswerPool) -> None:
    before = pool.pids()
    assert len(before) == 2
    os.kill(before[0], signal.SIGKILL)  # while idle
    _wait_dead(before[0])
    assert "Mohammed Saeed" in ask(pool, "Who leads the Pakistani delegation?").text
    with pytest.raises(WorkerError, match="stopped unexpectedly and is being restarted"):
        ask(pool, CRASH)  # while answering: only this question fails
    assert "Mohammed Saeed" in ask(pool, "Who leads the Pakistani delegation?").text
    deadline = time.monotonic() + 120
    while len(pool.pids()) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    after = pool.pids()
    assert len(after) == 2 and before[0] not in after
    with ThreadPoolExecutor(4) as threads:  # both workers answer again
        texts = list(
            threads.map(lambda q: ask(pool, q).text, ["Who leads the Pakistani delegation?"] * 4)
        )
    assert all("Mohammed Saeed" in t for t in texts)


def test_a_worker_sees_an_article_added_through_the_chat(
    store: Assistant, pool: AnswerPool, tmp_path: Path
) -> None:
    # ("Who opened ...?" is refused by the reader on this short article: issue 21's note)
    question = "How much did the Tidewater Ferry Terminal cost?"
    before = ask(pool, question)
    assert "42 million dollars" not in before.text
    upload = tmp_path / "tidewater-ferry.txt"
    upload.write_text(NEW_ARTICLE)
    report, _, _ = add_uploads(store, [str(upload)], 10, lambda *a, **k: None)  # type: ignore[arg-type]
    assert "Added 1" in report
    for _ in range(4):  # every worker, not just the first
        answer = ask(pool, question)
        assert "42 million dollars" in answer.text
        assert answer.citations[0].title == "Tidewater Ferry Terminal Opens In Port Halden"


def test_closing_the_pool_stops_its_workers(store: Assistant) -> None:
    pool = AnswerPool(store.settings, 2).start()
    pids = pool.pids()
    assert "Mohammed Saeed" in ask(pool, "Who leads the Pakistani delegation?").text
    pool.close()
    assert [p for p in pids if _alive(p)] == []
    with pytest.raises(WorkerError, match="shutting down"):
        ask(pool, "Who leads the Pakistani delegation?")


def test_serve_answers_in_workers_and_ctrl_c_stops_them(store: Assistant) -> None:
    port = free_port()
    env = {**os.environ, "NEWSRAG_HOME": str(store.settings.home)}
    server = subprocess.Popen(
        [sys.executable, "-m", "rag.faces.cli", "serve", "--port", str(port), "--workers", "2"],
        env=env,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=terminal_signals,
    )
    try:
        _wait_http(f"http://127.0.0.1:{port}/", server)
        workers = _children(server.pid, "spawn_main")
        assert len(workers) == 2
        server.send_signal(signal.SIGINT)
        _, err = server.communicate(timeout=60)
    finally:
        if server.poll() is None:
            server.kill()
    assert "(offline extractive answers, 2 answering processes)" in err
    deadline = time.monotonic() + 30
    while [p for p in workers if _alive(p)] and time.monotonic() < deadline:
        time.sleep(0.2)
    assert [p for p in workers if _alive(p)] == []


def _alive(pid: int) -> bool:
    """Until the process is a zombie whose every thread has exited (a killed leader shows "Z"
    while its other threads, and so its open pipe, are still going away)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        threads = len(list(Path(f"/proc/{pid}/task").iterdir()))
    except OSError:
        return False
    return state != "Z" or threads > 1


def _wait_dead(pid: int) -> None:
    deadline = time.monotonic() + 30
    while _alive(pid):
        assert time.monotonic() < deadline, f"process {pid} survived SIGKILL"
        time.sleep(0.05)


def _children(pid: int, marker: str) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            if marker in Path(f"/proc/{child}/cmdline").read_text():
                found.append(int(child))
    return found


def _wait_http(url: str, server: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 180
    while True:
        assert server.poll() is None, "newsrag serve exited"
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except OSError:
            assert time.monotonic() < deadline, "newsrag serve did not come up in 180 s"
            time.sleep(0.5)
