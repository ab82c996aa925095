import json
from pathlib import Path

import pytest

from rag.assistant import Assistant
from rag.core.errors import InputError, NotFoundError, StoreError, StoreMismatchError
from rag.core.settings import Settings
from rag.core.types import Filters
from tests.conftest import SEED, SEED_ARTICLE_ID
from tests.fakes import HashingEmbedder


def _corpus(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


STORY = {
    "id": "s1",
    "title": "Bridge opens",
    "source": "Daily",
    "published": "2023-02-12",
    "text": "Bridge opens\n\nThe mayor opened the bridge on Monday. It cost five million "
    "dollars.\n\nResidents cheered.",
}


def test_reingesting_the_same_folder_embeds_nothing_and_adds_nothing(
    fake_assistant: Assistant, fake_embedder: HashingEmbedder
) -> None:
    first = fake_assistant.ingest([SEED])
    assert first.added == [SEED_ARTICLE_ID]
    chunks = fake_assistant.stats()["chunks"]
    assert chunks == first.chunks_added == fake_embedder.texts_embedded > 0
    calls = fake_embedder.calls
    second = fake_assistant.ingest([SEED])
    assert second.unchanged == [SEED_ARTICLE_ID] and second.added == []
    assert second.chunks_embedded == 0 and fake_embedder.calls == calls
    assert fake_assistant.stats()["chunks"] == chunks
    assert [a.id for a in fake_assistant.list_articles()] == [SEED_ARTICLE_ID]


def test_changed_article_replaces_its_chunks_and_reembeds_only_new_ones(
    fake_assistant: Assistant, fake_embedder: HashingEmbedder, tmp_path: Path
) -> None:
    long_text = "\n\n".join(f"Paragraph {i} says something new about topic {i}." for i in range(80))
    corpus = _corpus(tmp_path / "c.jsonl", [{"id": "long", "title": "Long", "text": long_text}])
    fake_assistant.ingest([corpus])
    before = fake_assistant.pipeline.store.chunk_ids_of("long")
    embedded_before = fake_embedder.texts_embedded
    changed = long_text.replace("Paragraph 79 says something new", "Paragraph 79 says it changed")
    _corpus(corpus, [{"id": "long", "title": "Long", "text": changed}])
    report = fake_assistant.ingest([corpus])
    after = fake_assistant.pipeline.store.chunk_ids_of("long")
    assert report.updated == ["long"]
    assert report.chunks_embedded == len(after - before) == report.chunks_added
    assert report.chunks_deleted == len(before - after) >= 1
    assert fake_embedder.texts_embedded - embedded_before == len(after - before)
    assert len(after) == fake_assistant.stats()["chunks"]
    assert fake_assistant.get_article("long").text == changed
    assert fake_assistant.list_articles()[0].n_chunks == len(after)


def test_metadata_only_change_updates_without_embedding(
    fake_assistant: Assistant, fake_embedder: HashingEmbedder, tmp_path: Path
) -> None:
    corpus = _corpus(tmp_path / "c.jsonl", [STORY])
    fake_assistant.ingest([corpus])
    calls = fake_embedder.calls
    _corpus(corpus, [{**STORY, "source": "Evening Post"}])
    report = fake_assistant.ingest([corpus])
    assert report.updated == ["s1"] and fake_embedder.calls == calls
    assert fake_assistant.ask("bridge mayor", filters=Filters(source="Evening Post")).citations
    with pytest.raises(
        InputError, match=r"no stored article matches the filters \(source 'Daily'\)"
    ):
        fake_assistant.ask("bridge mayor", filters=Filters(source="Daily"))


def test_same_text_under_another_id_is_not_stored_twice(
    fake_assistant: Assistant, tmp_path: Path
) -> None:
    fake_assistant.ingest([_corpus(tmp_path / "a.jsonl", [STORY])])
    report = fake_assistant.ingest([_corpus(tmp_path / "b.jsonl", [{**STORY, "id": "copy"}])])
    assert report.added == [] and report.errors == []
    assert report.skipped[0].reason == "same text as article s1; not stored twice"
    assert fake_assistant.stats()["articles"] == 1


def test_repeated_id_in_one_ingest_keeps_the_first(
    fake_assistant: Assistant, tmp_path: Path
) -> None:
    corpus = _corpus(tmp_path / "c.jsonl", [STORY, {**STORY, "text": "Another text entirely."}])
    report = fake_assistant.ingest([corpus])
    assert report.added == ["s1"]
    assert report.errors[0].where == f"{corpus}:2"
    assert report.errors[0].reason == "id s1 appears twice in this ingest; the first was kept"
    assert "mayor" in fake_assistant.get_article("s1").text


def test_bad_lines_are_reported_and_good_ones_stored(
    fake_assistant: Assistant, tmp_path: Path
) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(json.dumps(STORY) + "\n{broken\n")
    report = fake_assistant.ingest([corpus])
    assert report.added == ["s1"]
    assert [e.where for e in report.errors] == [f"{corpus}:2"]


def test_delete_removes_article_and_chunks(fake_assistant: Assistant, tmp_path: Path) -> None:
    fake_assistant.ingest([SEED, _corpus(tmp_path / "c.jsonl", [STORY])])
    seed_chunks = len(fake_assistant.pipeline.store.chunk_ids_of(SEED_ARTICLE_ID))
    total = fake_assistant.stats()["chunks"]
    assert fake_assistant.delete(SEED_ARTICLE_ID) == seed_chunks
    assert fake_assistant.stats()["chunks"] == total - seed_chunks
    assert [a.id for a in fake_assistant.list_articles()] == ["s1"]
    with pytest.raises(NotFoundError, match="no article with id 'seed-pk-us-defence-talks'"):
        fake_assistant.delete(SEED_ARTICLE_ID)


def test_store_built_with_another_model_is_a_clear_error(settings: Settings) -> None:
    Assistant(settings, embeddings=HashingEmbedder("test:a", 256)).ingest([SEED])
    other = Assistant(settings, embeddings=HashingEmbedder("test:b", 128))
    with pytest.raises(
        StoreMismatchError,
        match=r"built with test:a \(256-d vectors\), not "
        r"test:b \(128-d\)",
    ):
        other.ask("Who leads the Pakistani delegation?")


def test_corrupted_store_is_a_clear_error(settings: Settings) -> None:
    Assistant(settings, embeddings=HashingEmbedder()).ingest([SEED])
    sqlite = settings.home / "chroma" / "chroma.sqlite3"
    sqlite.write_bytes(b"this is not a database" * 100)
    with pytest.raises(
        StoreError,
        match=r"cannot open the store at .*; move it aside or choose "
        r"another --home",
    ):
        Assistant(settings, embeddings=HashingEmbedder()).stats()


def test_an_edit_at_the_top_reembeds_only_the_chunks_whose_text_changed(
    fake_assistant: Assistant, fake_embedder: HashingEmbedder, tmp_path: Path
) -> None:
    body = "\n\n".join(f"Paragraph {i} says something new about topic {i}." for i in range(80))
    corpus = _corpus(tmp_path / "c.jsonl", [{"id": "long", "title": "Long", "text": body}])
    fake_assistant.ingest([corpus])
    before = fake_assistant.pipeline.store.chunk_ids_of("long")
    _corpus(corpus, [{"id": "long", "title": "Long", "text": "Breaking: " + body}])
    report = fake_assistant.ingest([corpus])
    after = fake_assistant.pipeline.store.chunk_ids_of("long")
    assert len(before) > 3
    assert report.chunks_embedded == len(after - before) == 1
    article = fake_assistant.get_article("long")
    vector = fake_embedder.embed_query("Paragraph 79 topic 79")
    chunk = fake_assistant.pipeline.store.search(vector, 1)[0].chunk
    assert article.text[chunk.start : chunk.end] == chunk.text  # offsets moved with the edit


def test_a_title_change_reembeds_every_chunk(
    fake_assistant: Assistant, fake_embedder: HashingEmbedder, tmp_path: Path
) -> None:
    corpus = _corpus(tmp_path / "c.jsonl", [STORY])
    fake_assistant.ingest([corpus])
    before = fake_assistant.pipeline.store.chunk_ids_of("s1")
    _corpus(corpus, [{**STORY, "title": "Bridge finally opens"}])
    report = fake_assistant.ingest([corpus])
    assert report.updated == ["s1"] and report.chunks_embedded == len(before)
    assert fake_assistant.pipeline.store.chunk_ids_of("s1").isdisjoint(before)
    assert fake_assistant.list_articles()[0].title == "Bridge finally opens"
