"""`newsrag reindex`: a store moves to another embedding model from its own text, resumably."""

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from ingest.chunk import embedding_text
from rag.assistant import Assistant
from rag.core import chroma
from rag.core.connect import open_store
from rag.core.errors import NotFoundError, StoreMismatchError
from rag.core.settings import Settings
from rag.faces.cli import main
from tests.conftest import SEED, SEED_ARTICLE_ID
from tests.fakes import HashingEmbedder

ROOT = Path(__file__).resolve().parents[2]
FRESH3 = ROOT / "eval" / "datasets" / "fresh3" / "articles.jsonl"
QUESTION = "Who leads the Pakistani delegation?"


class Failing(HashingEmbedder):
    """Embeds ``calls_before_failing`` batches, then fails like a killed process would stop."""

    def __init__(self, name: str, dimension: int, calls_before_failing: int) -> None:
        super().__init__(name, dimension)
        self.left = calls_before_failing

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if self.left == 0:
            raise KeyboardInterrupt
        self.left -= 1
        return super().embed_documents(texts)


def _ids(assistant: Assistant, question: str = QUESTION) -> list[str]:
    return [h.chunk.id for h in assistant.retrieve(question, k=5).hits]


def _assert_vectors_are(settings: Settings, embedder: HashingEmbedder) -> None:
    """Every stored chunk holds ``embedder``'s vector of its headline and text."""
    store = open_store(settings, embedder.name, embedder.dimension)
    titles = store.titles()
    rows = list(store.live_rows())
    vectors = store.vectors([r[0] for r in rows])
    for chunk_id, text, meta in rows:
        want = embedder.embed_query(embedding_text(titles[meta["article_id"]], text))
        assert np.allclose(vectors[chunk_id], want, atol=1e-6), chunk_id


def test_reindex_moves_the_store_to_the_new_model_as_a_fresh_ingest_would(
    tmp_path: Path,
) -> None:
    old, new = HashingEmbedder("test:a", 256), HashingEmbedder("test:b", 128)
    settings = Settings(home=tmp_path / "store")
    Assistant(settings, embeddings=old).ingest([SEED, FRESH3])
    before = Assistant(settings, embeddings=old)
    chunks = before.stats()["chunks"]
    report = Assistant(settings, embeddings=old).reindex(new)
    assert (report.old_model, report.new_model) == ("test:a", "test:b")
    assert report.chunks == report.embedded == chunks and not report.resumed
    moved = Assistant(settings, embeddings=new)
    assert moved.stats()["chunks"] == chunks and moved.check().ok
    _assert_vectors_are(settings, new)
    fresh = Assistant(Settings(home=tmp_path / "fresh"), embeddings=new)
    fresh.ingest([SEED, FRESH3])
    assert _ids(moved) == _ids(fresh)
    assert moved.ask(QUESTION).text == fresh.ask(QUESTION).text
    with pytest.raises(StoreMismatchError, match="restart it"):  # a process still on test:a
        before.ask(QUESTION)
    again = Assistant(settings, embeddings=new).reindex(new)
    assert again.embedded == 0 and again.summary().endswith("nothing to do")
    mover = Assistant(settings, embeddings=new)
    mover.reindex(HashingEmbedder("test:c", 64))  # the mover itself goes on with test:c
    assert _ids(mover) and mover.stats()["embedding_model"] == "test:c"
    Assistant(settings, embeddings=mover.pipeline.embedder).reindex(new)
    # the same files again: their records name the old model, so they are rewritten as
    # "updated", but every chunk keeps its id and vector: nothing is embedded or added
    report = Assistant(settings, embeddings=new).ingest([SEED, FRESH3])
    assert report.chunks_embedded == 0 and report.chunks_added == 0
    assert Assistant(settings, embeddings=new).stats()["chunks"] == chunks
    assert _ids(Assistant(settings, embeddings=new)) == _ids(fresh)


def test_a_reindex_cut_short_leaves_the_store_answering_and_resumes(
    tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setattr("ingest.reindex.BATCH", 16)
    old = HashingEmbedder("test:a", 256)
    settings = Settings(home=tmp_path / "store")
    Assistant(settings, embeddings=old).ingest([FRESH3])
    chunks = Assistant(settings, embeddings=old).stats()["chunks"]
    assert chunks > 2 * 16  # more than two batches
    with pytest.raises(KeyboardInterrupt):
        Assistant(settings, embeddings=old).reindex(Failing("test:b", 128, 2))
    still = Assistant(settings, embeddings=old)  # the old vectors answer meanwhile
    assert still.check().ok and still.stats()["chunks"] == chunks
    assert _ids(still, "mayor") != []
    new = HashingEmbedder("test:b", 128)
    report = Assistant(settings, embeddings=old).reindex(new)
    assert report.resumed and report.embedded == chunks - 2 * 16
    assert new.texts_embedded == chunks - 2 * 16
    _assert_vectors_are(settings, new)
    assert Assistant(settings, embeddings=new).check().ok


def test_writes_during_a_reindex_are_caught_up_before_the_swap(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr("ingest.reindex.BATCH", 16)
    old, new = HashingEmbedder("test:a", 256), HashingEmbedder("test:b", 128)
    settings = Settings(home=tmp_path / "store")
    writer = Assistant(settings, embeddings=old)
    writer.ingest([FRESH3])
    gone = writer.list_articles()[0].id
    with pytest.raises(KeyboardInterrupt):
        Assistant(settings, embeddings=old).reindex(Failing("test:b", 128, 1))
    writer.ingest([SEED])  # after part of the store was staged
    writer.delete(gone)
    report = Assistant(settings, embeddings=old).reindex(new)
    moved = Assistant(settings, embeddings=new)
    assert report.chunks == moved.stats()["chunks"]
    assert moved.check().ok
    with pytest.raises(StoreMismatchError, match="restart it"):  # the writer is on test:a
        writer.ingest([SEED])
    assert gone not in {a.id for a in moved.list_articles()}
    assert moved.retrieve(QUESTION, k=1).hits[0].chunk.article_id == SEED_ARTICLE_ID
    _assert_vectors_are(settings, new)


_WRITER = """
import sys
from rag.assistant import Assistant
from rag.core.settings import Settings
from tests.fakes import HashingEmbedder
writer = Assistant(Settings(home=sys.argv[1]), embeddings=HashingEmbedder("test:a", 256))
writer.ingest([sys.argv[2]])
"""


class WritesMeanwhile(HashingEmbedder):
    """At its second batch, another process ingests ``source`` into the store (and waits)."""

    def __init__(self, name: str, dimension: int, home: Path, source: Path) -> None:
        super().__init__(name, dimension)
        self.home, self.source = home, source

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if self.calls == 1:
            env = {**os.environ, "PYTHONPATH": str(ROOT)}
            command = [sys.executable, "-c", _WRITER, str(self.home), str(self.source)]
            subprocess.run(command, env=env, cwd=ROOT, check=True, timeout=300)
        return super().embed_documents(texts)


def test_another_process_writing_during_the_copy_is_caught_up(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr("ingest.reindex.BATCH", 16)
    settings = Settings(home=tmp_path / "store")
    Assistant(settings, embeddings=HashingEmbedder("test:a", 256)).ingest([FRESH3])
    target = WritesMeanwhile("test:b", 128, settings.home, SEED)
    report = Assistant(settings, embeddings=HashingEmbedder("test:a", 256)).reindex(target)
    new = HashingEmbedder("test:b", 128)
    moved = Assistant(settings, embeddings=new)
    assert moved.check().ok and report.chunks == moved.stats()["chunks"]
    assert moved.retrieve(QUESTION, k=1).hits[0].chunk.article_id == SEED_ARTICLE_ID
    _assert_vectors_are(settings, new)


def test_a_run_cut_short_before_the_swap_still_catches_up(tmp_path: Path, monkeypatch) -> None:
    """Killed after the staged rows were marked complete but before the live ones went: a
    delete in between must not come back, nor leave orphans."""
    settings = Settings(home=tmp_path / "store")
    old, new = HashingEmbedder("test:a", 256), HashingEmbedder("test:b", 128)
    writer = Assistant(settings, embeddings=old)
    writer.ingest([FRESH3])
    real_delete = chroma.delete_collection

    def killed(client, name):
        if name.endswith("-chunks"):
            raise KeyboardInterrupt
        real_delete(client, name)

    monkeypatch.setattr(chroma, "delete_collection", killed)
    with pytest.raises(KeyboardInterrupt):
        Assistant(settings, embeddings=old).reindex(new)
    monkeypatch.setattr(chroma, "delete_collection", real_delete)
    gone = writer.list_articles()[0].id
    writer.delete(gone)
    report = Assistant(settings, embeddings=old).reindex(new)
    moved = Assistant(settings, embeddings=new)
    assert moved.check().ok and report.chunks == moved.stats()["chunks"]
    assert gone not in {h.chunk.article_id for h in moved.retrieve("mayor council", k=50).hits}
    assert moved.stats()["chunks"] == writer_chunks(settings, old, gone)


def writer_chunks(settings: Settings, embedder: HashingEmbedder, gone: str) -> int:
    """Chunks of fresh3 without the article ``gone``, as a fresh ingest stores them."""
    rows = [json.loads(line) for line in FRESH3.read_text().splitlines() if line.strip()]
    kept = settings.home.parent / "kept.jsonl"
    kept.write_text("".join(json.dumps(r) + "\n" for r in rows if r["id"] != gone))
    fresh = Assistant(Settings(home=settings.home.parent / "kept"), embeddings=embedder)
    fresh.ingest([kept])
    return fresh.stats()["chunks"]


def test_reindex_without_a_store_is_one_line(capsys, tmp_path: Path) -> None:
    code = main(["reindex", "--home", str(tmp_path / "none")])
    err = capsys.readouterr().err
    assert code == 1 and err == (
        f"newsrag: error: no store at {tmp_path / 'none'}; ingest articles first (newsrag ingest)\n"
    )
    with pytest.raises(NotFoundError):
        Assistant(Settings(home=tmp_path / "none2")).reindex("local:wordllama-256")


_KILLED_CHILD = """
import sys
import ingest.reindex
from rag.assistant import Assistant
from rag.core.settings import Settings
from tests.fakes import HashingEmbedder
import time

class Slow(HashingEmbedder):
    def embed_documents(self, texts):
        time.sleep(0.2)
        return super().embed_documents(texts)

ingest.reindex.BATCH = 16
settings = Settings(home=sys.argv[1])
report = lambda done, total: print(done, total, flush=True)
Assistant(settings, embeddings=HashingEmbedder("test:a", 256)).reindex(
    Slow("test:b", 128), progress=report
)
"""


@pytest.mark.slow
def test_a_reindex_killed_mid_way_finishes_on_the_next_run(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "store")
    Assistant(settings, embeddings=HashingEmbedder("test:a", 256)).ingest([SEED, FRESH3])
    chunks = Assistant(settings, embeddings=HashingEmbedder("test:a", 256)).stats()["chunks"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen(
        [sys.executable, "-c", _KILLED_CHILD, str(settings.home)],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )
    assert child.stdout is not None
    for line in child.stdout:
        if int(line.split()[0]) >= 64:
            break
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    staged = int(line.split()[0])
    assert 64 <= staged < chunks
    new = HashingEmbedder("test:b", 128)
    report = Assistant(settings, embeddings=HashingEmbedder("test:a", 256)).reindex(new)
    assert report.resumed and chunks - staged - 16 <= report.embedded <= chunks - staged
    moved = Assistant(settings, embeddings=new)
    assert moved.check().ok and moved.stats()["chunks"] == chunks
    _assert_vectors_are(settings, new)


@pytest.mark.integration
@pytest.mark.slow
def test_newsrag_reindex_moves_a_minilm_store_to_wordllama(capsys, tmp_path: Path) -> None:
    home = str(tmp_path / "store")
    assert main(["ingest", str(SEED), "--home", home]) == 0
    assert main(["ask", QUESTION, "--home", home, "--json"]) == 0
    capsys.readouterr()
    assert main(["ask", QUESTION, "--home", home, "--json"]) == 0
    before = json.loads(capsys.readouterr().out)
    assert main(["reindex", "--model", "local:wordllama-256", "--home", home, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["old_model"] == "local:all-MiniLM-L6-v2"
    assert report["new_model"] == "local:wordllama-256"
    assert report["embedded"] == report["chunks"] > 0
    assert main(["ask", QUESTION, "--home", home, "--json"]) == 0
    after = json.loads(capsys.readouterr().out)
    assert after["answer"] == before["answer"] and "Mohammed Saeed" in after["answer"]
    assert main(["stats", "--home", home, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["embedding_model"] == "local:wordllama-256"
    assert main(["check", "--home", home]) == 0


@pytest.mark.integration
def test_the_static_embedder_is_wordllamas_own_mean_of_token_vectors() -> None:
    """local:wordllama-256 reads the wheel's files without importing the package: its vectors
    are WordLlama.embed(norm=True)'s (cosine 0.4320 for these two, computed with wordllama
    0.4.0.post1 itself), unit length, one per text, in order."""
    from rag.core.embeddings import LocalStatic

    static = LocalStatic(batch_size=2)
    texts = ["Who leads the Pakistani delegation?", "x", "The delegation is led by the minister."]
    vectors = np.array(static.embed_documents(texts))
    assert vectors.shape == (3, 256)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert float(vectors[0] @ vectors[2]) == pytest.approx(0.4320, abs=1e-4)
    assert np.allclose(static.embed_query(texts[2]), vectors[2], atol=1e-6)
