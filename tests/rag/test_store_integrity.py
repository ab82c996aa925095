"""Store integrity: reads offer only chunks of an article's finished, current version; `check`
finds what a dead or losing writer left; `--repair` restores a store equal to a clean ingest;
the embedded store's write lock makes a second writer wait or fail with one clear line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import rag.assistant
from ingest.chunk import embedding_text
from rag.assistant import Assistant
from rag.core import chroma, schema
from rag.core.errors import StoreBusyError
from rag.core.settings import Settings
from rag.core.types import Article
from rag.faces.cli import main
from tests.fakes import HashingEmbedder

V1 = (
    "Harbour tunnel vote\n\nThe council approved the harbour tunnel on Tuesday by seven votes "
    "to two. Construction will begin in June, said the mayor, Ruth Okafor.\n\nThe tunnel will "
    "cost 40 million pounds. Opponents said the money should go to buses instead."
)
V2 = V1.replace("seven votes to two", "eight votes to one").replace("June", "September")


def _corpus(path: Path, text: str, article_id: str = "tunnel") -> Path:
    row = {"id": article_id, "title": "Tunnel", "published": "2024-03-05", "text": text}
    path.write_text(json.dumps(row) + "\n")
    return path


def _shadow_write(assistant: Assistant, text: str, article_id: str, content_hash: str) -> None:
    """What a writer that died (or lost a race) before its article record leaves: chunks of
    another version of the article, stored with that version."""
    p = assistant.pipeline
    article = Article(id=article_id, title="Tunnel", text=text)
    chunks = p.chunker.split(article)
    vectors = p.embedder.embed_documents([embedding_text(article.title, c.text) for c in chunks])
    version = schema.version_of(content_hash)
    metas = {c.id: schema.chunk_metadata(c, article, version) for c in chunks}
    chroma.put_chunks(p.store.chunks, 100, chunks, vectors, metas)


def _snapshot(assistant: Assistant) -> list[tuple[str, str, int, int]]:
    census = assistant.pipeline.store.census()
    return sorted((s.chunk.id, s.chunk.text, s.chunk.start, s.chunk.end) for s in census.chunks)


def test_chunks_of_other_versions_and_orphans_are_never_retrieved_and_repair_removes_them(
    fake_assistant: Assistant, tmp_path: Path
) -> None:
    corpus = _corpus(tmp_path / "c.jsonl", V1)
    fake_assistant.ingest([corpus])
    clean = _snapshot(fake_assistant)
    assert fake_assistant.check().ok
    _shadow_write(fake_assistant, V2, "tunnel", "f" * 64)  # a superseded version
    _shadow_write(fake_assistant, V2, "ghost", "e" * 64)  # no article record at all

    retrieval = fake_assistant.retrieve("eight votes to one September", k=20)
    assert {h.chunk.article_id for h in retrieval.hits} == {"tunnel"}
    article = fake_assistant.get_article("tunnel")
    assert all(article.text[h.chunk.start : h.chunk.end] == h.chunk.text for h in retrieval.hits)

    health = fake_assistant.check()
    assert sorted(p.kind for p in health.problems) == ["orphan", "stale"]
    assert not health.to_reindex()
    found, report = fake_assistant.repair()
    assert len(found.to_drop()) == health.chunks - len(clean)
    assert fake_assistant.check().ok
    assert _snapshot(fake_assistant) == clean


def test_chunks_whose_offsets_do_not_match_the_text_are_reindexed(
    fake_assistant: Assistant, tmp_path: Path
) -> None:
    fake_assistant.ingest([_corpus(tmp_path / "c.jsonl", V1)])
    clean = _snapshot(fake_assistant)
    store = fake_assistant.pipeline.store
    first = store.census().chunks[0].chunk
    got = store.chunks.get(ids=[first.id], include=["metadatas"])
    store.chunks.update(ids=[first.id], metadatas=[{**got["metadatas"][0], "start": 3}])

    health = fake_assistant.check()
    assert [(p.kind, p.article_id) for p in health.problems] == [("offsets", "tunnel")]
    _, report = fake_assistant.repair()
    assert report.updated == ["tunnel"]
    assert fake_assistant.check().ok and _snapshot(fake_assistant) == clean


def test_check_and_repair_on_the_command_line(
    fake_assistant: Assistant,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fake_assistant.ingest([_corpus(tmp_path / "c.jsonl", V1)])
    _shadow_write(fake_assistant, V2, "ghost", "e" * 64)
    home = ["--home", str(fake_assistant.settings.home)]
    real = rag.assistant.Assistant  # the CLI builds its own Assistant: same fake embedder

    def with_fake(settings: Settings, **kw: object) -> Assistant:
        return real(settings, embeddings=HashingEmbedder(), **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(rag.assistant, "Assistant", with_fake)
    assert main(["check", *home]) == 1
    out = capsys.readouterr().out
    assert "orphan: ghost: 1 chunks without an article record" in out
    assert "`newsrag check --repair` fixes them" in out
    assert main(["check", "--repair", *home]) == 0
    assert "1 problems repaired: 1 chunks dropped, 0 articles indexed again" in (
        capsys.readouterr().out
    )
    assert main(["check", "--json", *home]) == 0
    assert json.loads(capsys.readouterr().out)["ok"] is True


HOLDER = """
import sys, time
from pathlib import Path
from rag.core.locks import WriteLock
lock = WriteLock(Path(sys.argv[1]), 1.0, "x")
with lock.held():
    print("held", flush=True)
    time.sleep(60)
"""


def test_a_second_writer_waits_for_the_lock_then_fails_with_one_clear_line(
    tmp_path: Path, fake_embedder: HashingEmbedder
) -> None:
    settings = Settings(home=tmp_path / "store", lock_timeout=0.5)
    settings.home.mkdir(parents=True)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(settings.home / "write.lock")],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        notices: list[str] = []
        assistant = Assistant(settings, embeddings=fake_embedder, notice=notices.append)
        corpus = _corpus(tmp_path / "c.jsonl", V1)
        with pytest.raises(StoreBusyError, match=rf"busy: process {holder.pid} has been writing"):
            assistant.ingest([corpus])
        assert notices == [
            f"the store at {settings.home} is being written by process {holder.pid}; waiting"
        ]
        assert assistant.stats()["articles"] == 0
    finally:
        holder.kill()  # SIGKILL: the OS releases the lock with the process
        holder.wait()
    assert assistant.ingest([corpus]).added == ["tunnel"]
    assert assistant.check().ok


WRITER = """
import sys
from pathlib import Path
from rag.assistant import Assistant
from rag.core.settings import Settings
from tests.fakes import HashingEmbedder
assistant = Assistant(Settings(home=Path(sys.argv[1])), embeddings=HashingEmbedder())
if sys.argv[2] == "delete":
    assistant.delete(sys.argv[3])
else:
    assistant.ingest([sys.argv[3]])
"""


def test_a_running_reader_sees_what_another_process_ingests_and_deletes(
    fake_assistant: Assistant, tmp_path: Path
) -> None:
    """`newsrag serve` keeps its client open: another process's ingest must reach its dense
    search (Chroma's in-memory index does not follow other processes by itself) and BM25."""
    fake_assistant.ingest([_corpus(tmp_path / "c.jsonl", V1)])
    question = "ferry terminal Port Halden Ines Okafor"
    assert "ferry" not in fake_assistant.retrieve(question).hits[0].chunk.text
    ferry = tmp_path / "ferry.jsonl"
    ferry.write_text(
        json.dumps(
            {
                "id": "ferry",
                "title": "Ferry terminal opens",
                "text": "Mayor Ines Okafor opened the ferry terminal in Port Halden on Tuesday.",
            }
        )
        + "\n"
    )
    home = str(fake_assistant.settings.home)
    subprocess.run([sys.executable, "-c", WRITER, home, "ingest", str(ferry)], check=True)
    store = fake_assistant.pipeline.store
    vector = fake_assistant.pipeline.embedder.embed_query(question)
    assert [h.chunk.article_id for h in store.search(vector, 1)] == ["ferry"]  # dense alone
    assert fake_assistant.retrieve(question).hits[0].chunk.article_id == "ferry"
    subprocess.run([sys.executable, "-c", WRITER, home, "delete", "ferry"], check=True)
    assert {h.chunk.article_id for h in fake_assistant.retrieve(question, k=10).hits} == {"tunnel"}
