"""Real processes writing one store at once: `newsrag ingest` twice in parallel (two versions
of the same articles), SIGKILL mid-ingest and the same ingest again, and a real Chroma server
(`chroma run`) shared by two writers. Each must end as the store a clean ingest gives."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from eval.bench.processes import chroma_run
from rag.assistant import Assistant
from rag.core.settings import Settings
from tests.conftest import need

pytestmark = pytest.mark.slow

TOPICS = ["harbour", "railway", "library", "stadium", "hospital", "airport", "bridge", "museum"]


def _rows(prefix: str, n: int, edited: bool) -> list[dict[str, str]]:
    rows = []
    for i in range(n):
        topic = TOPICS[i % len(TOPICS)]
        lead = f"Update: officials revised the {topic} plan again. " if edited else ""
        paragraphs = [
            f"{lead}The council of town {i} approved the new {topic} on Tuesday by {i + 5} votes.",
            f"Construction of the {topic} will begin in month {i % 12 + 1}, said mayor Ruth {i}.",
            f"The {topic} will cost {i + 10} million pounds, paid by a regional fund.",
            f"Opponents of the {topic} said the money should go to buses and schools instead. " * 3,
            f"A public meeting about the {topic} is planned for the spring in hall {i}.",
        ]
        rows.append(
            {
                "id": f"{prefix}{i:02d}",
                "title": f"Town {i} approves {topic}",
                "published": f"2024-03-{i % 28 + 1:02d}",
                "text": "\n\n".join(paragraphs),
            }
        )
    return rows


def _write(path: Path, rows: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def _env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSRAG_", "CHROMA_"))}
    env.update(NEWSRAG_HOME=str(home), HF_HUB_OFFLINE="1", ANONYMIZED_TELEMETRY="False")
    env.update(extra)
    return env


def _ingest(path: Path, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "rag.faces.cli", "ingest", str(path)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log.open("wb"),
    )


def _snapshot(settings: Settings) -> set[tuple[str, str, str, int, int]]:
    census = Assistant(settings).pipeline.store.census()
    return {
        (s.chunk.article_id, s.chunk.id, s.chunk.text, s.chunk.start, s.chunk.end)
        for s in census.chunks
    }


def _winners(settings: Settings, path: Path) -> Path:
    """The corpus of the article texts the store ended with (per article, one writer won)."""
    assistant = Assistant(settings)
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    for row in rows:
        row["text"] = assistant.get_article(row["id"]).text
    return _write(path.with_name("winners.jsonl"), rows)


def _clean(tmp_path: Path, corpus: Path) -> set[tuple[str, str, str, int, int]]:
    settings = Settings(home=tmp_path / "clean")
    Assistant(settings).ingest([corpus])
    return _snapshot(settings)


def _assert_consistent(settings: Settings) -> None:
    assistant = Assistant(settings)
    assert assistant.check().ok, assistant.check().problems
    for stored in assistant.pipeline.store.census().chunks:
        article = assistant.get_article(stored.chunk.article_id)
        assert article.text[stored.chunk.start : stored.chunk.end] == stored.chunk.text


def test_two_ingests_of_two_versions_at_once_end_as_a_clean_ingest(tmp_path: Path) -> None:
    home = tmp_path / "home"
    one = _write(tmp_path / "v1.jsonl", _rows("a", 12, edited=False))
    two = _write(tmp_path / "v2.jsonl", _rows("a", 12, edited=True))
    procs = [_ingest(p, _env(home), tmp_path / f"{p.stem}.log") for p in (one, two)]
    assert [p.wait(timeout=300) for p in procs] == [0, 0]
    settings = Settings(home=home)
    _assert_consistent(settings)
    assert _snapshot(settings) == _clean(tmp_path, _winners(settings, one))


def test_sigkill_mid_ingest_then_the_same_ingest_gives_the_clean_store(tmp_path: Path) -> None:
    home = tmp_path / "home"
    corpus = _write(tmp_path / "c.jsonl", _rows("k", 400, edited=False))
    log = tmp_path / "kill.log"
    proc = _ingest(corpus, _env(home), log)
    deadline = time.monotonic() + 240
    while "chunks embedded" not in log.read_text(errors="replace"):  # first articles written
        assert proc.poll() is None and time.monotonic() < deadline, log.read_text()
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    settings = Settings(home=home)
    stored = Assistant(settings).stats()["articles"]
    assert 0 < stored < 400  # killed in the middle
    again = _ingest(corpus, _env(home), tmp_path / "again.log")
    assert again.wait(timeout=300) == 0
    _assert_consistent(settings)
    assert _snapshot(settings) == _clean(tmp_path, corpus)


# a real Chroma server ------------------------------------------------------------------------
@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[dict[str, str]]:
    need(
        shutil.which("chroma", path=str(Path(sys.executable).parent)) or shutil.which("chroma"),
        "the chroma command",
        "pip install chromadb (it ships `chroma run`)",
    )
    with chroma_run(tmp_path / "server") as port:
        yield {"CHROMA_HOST": "127.0.0.1", "CHROMA_PORT": str(port)}


def _ingest_at_once(files: tuple[Path, Path], server: dict[str, str], tmp_path: Path) -> Settings:
    """Two `newsrag ingest` processes with separate homes (as on two machines), only the server
    shared; returns settings that read the server."""
    procs = [
        _ingest(p, _env(tmp_path / f"home-{p.stem}", **server), tmp_path / f"{p.stem}.log")
        for p in files
    ]
    assert [p.wait(timeout=300) for p in procs] == [0, 0]
    return _server_settings(tmp_path, server, "reader")


def _server_settings(tmp_path: Path, server: dict[str, str], name: str) -> Settings:
    return Settings(
        home=tmp_path / name, chroma_host=server["CHROMA_HOST"], chroma_port=server["CHROMA_PORT"]
    )


@pytest.mark.integration
def test_two_writers_on_a_chroma_server_end_as_the_union_and_ask_reads_it(
    tmp_path: Path, chroma_server: dict[str, str]
) -> None:
    a = _write(tmp_path / "a.jsonl", _rows("a", 8, edited=False))
    b = _write(tmp_path / "b.jsonl", _rows("b", 8, edited=True))
    settings = _ingest_at_once((a, b), chroma_server, tmp_path)
    assistant = Assistant(settings)
    assert [i.id for i in assistant.list_articles()] == [f"a{i:02d}" for i in range(8)] + [
        f"b{i:02d}" for i in range(8)
    ]
    _assert_consistent(settings)
    both = _write(tmp_path / "ab.jsonl", _rows("a", 8, False) + _rows("b", 8, True))
    assert _snapshot(settings) == _clean(tmp_path, both)

    asked = subprocess.run(
        [sys.executable, "-m", "rag.faces.cli", "ask", "How much will the museum in town 7 cost?"]
        + ["--json"],
        env=_env(tmp_path / "home-ask", **chroma_server),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert asked.returncode == 0, asked.stderr
    answer = json.loads(asked.stdout)
    assert "17 million pounds" in answer["answer"], answer
    assert answer["citations"][0]["article_id"] in {"a07", "b07"}

    def cli(*argv: str) -> dict:
        done = subprocess.run(
            [sys.executable, "-m", "rag.faces.cli", *argv, "--json"],
            env=_env(tmp_path / "home-cli", **chroma_server),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    assert cli("delete", "a07")["deleted"] == "a07"
    assert "a07" not in {i.id for i in assistant.list_articles()}
    again = cli("ingest", str(a))  # the deleted article comes back; the rest is unchanged
    assert again["added"] == ["a07"] and len(again["unchanged"]) == 7
    assert again["chunks_embedded"] == len([c for c in _snapshot(settings) if c[0] == "a07"])
    assert _snapshot(settings) == _clean(tmp_path, both)


@pytest.mark.integration
def test_two_versions_at_once_on_a_server_never_cite_a_wrong_quote_and_repair_cleans_up(
    tmp_path: Path, chroma_server: dict[str, str]
) -> None:
    one = _write(tmp_path / "v1.jsonl", _rows("a", 40, edited=False))
    two = _write(tmp_path / "v2.jsonl", _rows("a", 40, edited=True))
    settings = _ingest_at_once((one, two), chroma_server, tmp_path)
    assistant = Assistant(settings)
    for i, topic in enumerate(TOPICS):
        for hit in assistant.retrieve(f"How much will the {topic} in town {i} cost?", k=10).hits:
            article = assistant.get_article(hit.chunk.article_id)
            assert article.text[hit.chunk.start : hit.chunk.end] == hit.chunk.text
    assistant.repair()  # a race inside one article's write leaves invisible chunks: dropped
    _assert_consistent(settings)
    assert _snapshot(settings) == _clean(tmp_path, _winners(settings, one))
