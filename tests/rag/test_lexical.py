"""The lexical index without bm25s at query time: the tokenizer and the scores are bm25s's
exactly, and a saved index loads back (in its own format only) with the same results."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path

import bm25s
import numpy as np
import Stemmer
from bm25s.stopwords import STOPWORDS_EN

from rag.core.bm25 import STOP_WORDS, Bm25, tokenize
from rag.core.lexical import LexicalIndex, top_positive
from rag.core.types import Chunk, Filters, Hit
from tests.conftest import REPO

TEXTS = [
    "Lt. Gen. Mohammed Saeed leads Pakistan's multi-agency delegation to Washington.",
    "The talks, held on February 13, will cover counter-terrorism and the U.S.-Pakistan ties.",
    "Café owners in São Paulo said the 2022 run-off was “a turning point” — 51% to 49%.",
    "It is what it is: THE the The a an and, or but if; I'm running, runs, ran...",
    "",
    "x y z 7 42 naïve résumé Zürich 東京 北京市 Москва",
]


def _bm25s_tokens(texts: list[str]) -> list[list[str]]:
    return bm25s.tokenize(
        texts,
        stopwords="en",
        stemmer=Stemmer.Stemmer("english"),
        return_ids=False,
        show_progress=False,
    )


def test_stop_words_are_bm25s_english() -> None:
    assert STOP_WORDS == frozenset(STOPWORDS_EN)


def test_tokenize_is_bm25s_tokenize() -> None:
    assert tokenize(TEXTS) == _bm25s_tokens(TEXTS)
    for text in TEXTS:  # one at a time, as questions are
        assert tokenize([text]) == _bm25s_tokens([text])


def test_scores_are_bm25s_scores() -> None:
    corpus = tokenize(TEXTS[:4] + ["Saeed met officials in Washington on Sunday afternoon."])
    model = bm25s.BM25()
    model.index(corpus, show_progress=False)
    ours = Bm25.build(corpus)
    for question in ("Who leads the delegation?", "Washington Saeed Saeed", "runs run ran"):
        terms = tokenize([question])[0]
        expected = model.get_scores(terms)
        assert ours.scores(terms).dtype == expected.dtype
        assert np.array_equal(ours.scores(terms), expected)
    assert not ours.scores(["unknownword"]).any()


def test_scores_built_a_page_at_a_time_are_bm25s_scores(monkeypatch) -> None:
    """Read from a generator a few documents at a time, with empty documents among them."""
    monkeypatch.setattr("rag.core.bm25.PAGE", 7)
    rows = (REPO / "eval" / "datasets" / "fresh3" / "articles.jsonl").read_text().splitlines()
    texts = [json.loads(r)["text"] for r in rows if r.strip()]
    texts = [t[: 200 * (i % 5)] for i, t in enumerate(texts)]  # lengths 0, 200, ... 800
    corpus = tokenize(texts)
    model = bm25s.BM25()
    model.index(corpus, show_progress=False)
    ours = Bm25.build(iter(corpus))
    assert ours.n_docs == len(texts) and any(not c for c in corpus)
    for question in ("Who chairs the council?", "budget million vote", "vote vote strike"):
        terms = tokenize([question])[0]
        assert np.array_equal(ours.scores(terms), model.get_scores(terms))


def _hits() -> list[Hit]:
    rows = [
        ("a", "Delegation arrives", "2022-02-13", "Dawn", TEXTS[0]),
        ("b", "Talks planned", "", "VOA", TEXTS[1]),
        ("c", "Run-off", "2022-10-31", "Folha", TEXTS[2]),
    ]
    return [
        Hit(Chunk(f"{i}-0", i, 0, text, 0, len(text), 10), 0.0, title, f"u/{i}", day, source)
        for i, title, day, source, text in rows
    ]


def test_a_saved_index_loads_with_the_same_results(tmp_path: Path) -> None:
    built = LexicalIndex.build(_hits(), "g1")
    built.save(tmp_path)
    loaded = LexicalIndex.load(tmp_path, "g1")
    assert loaded is not None
    for question, filters in [
        ("Who leads the delegation to Washington?", None),
        ("Pakistan talks", Filters(source="VOA")),
        ("Pakistan talks delegation", Filters(since=date(2022, 1, 1))),
    ]:
        found = built.search(question, 5, filters)
        assert found == loaded.search(question, 5, filters)
    assert [h.chunk.id for h in built.search("Saeed delegation", 5)] == ["a-0"]
    hit = built.search("Saeed delegation", 5)[0]
    expected = Hit(_hits()[0].chunk, hit.score, "Delegation arrives", "u/a", "2022-02-13", "Dawn")
    assert hit == replace(expected, lexical=hit.score) and hit.score > 0


def test_an_index_of_another_generation_or_format_is_not_read(tmp_path: Path) -> None:
    LexicalIndex.build(_hits(), "g1").save(tmp_path)
    assert LexicalIndex.load(tmp_path, "g2") is None
    (tmp_path / "g3.pkl").write_bytes(b"an older format")  # never read, never a crash
    assert LexicalIndex.load(tmp_path, "g3") is None
    LexicalIndex.build(_hits(), "g4").save(tmp_path)  # the newest generation replaces the others
    assert [p.name for p in tmp_path.iterdir()] == ["g4.f3"]


def test_an_empty_store_finds_nothing(tmp_path: Path) -> None:
    empty = LexicalIndex.build([], "g0")
    empty.save(tmp_path)
    loaded = LexicalIndex.load(tmp_path, "g0")
    assert loaded is not None and loaded.search("anything at all", 5) == []


def test_top_positive_is_the_stable_argsort_of_the_positive_scores() -> None:
    scores = np.array([0.0, 2.0, 1.0, 2.0, 0.0, 3.0, 1.0, 2.0, 0.5, 1.0])
    for n in range(1, 12):
        full = [i for i in np.argsort(-scores, kind="stable")[:n] if scores[i] > 0]
        assert top_positive(scores, n).tolist() == full
    assert top_positive(np.zeros(5), 3).tolist() == []


def test_an_index_built_into_a_folder_is_the_index_built_in_memory(tmp_path: Path) -> None:
    """Streamed to disk as it is read (texts and BM25 columns memory-mapped back): the same
    results, hits and article chunks as the in-memory build."""
    rows = (REPO / "eval" / "datasets" / "fresh3" / "articles.jsonl").read_text().splitlines()
    hits = [
        Hit(
            Chunk(f"{a['id']}-{n}", a["id"], n, part, 0, len(part), 9),
            0.0,
            a["title"],
            "u",
            a.get("published", ""),
            a.get("source", ""),
        )
        for a in map(json.loads, rows)
        for n, part in enumerate(a["text"].split("\n\n"))
    ]
    memory = LexicalIndex.build(hits, "g1")
    disk = LexicalIndex.build(iter(hits), "g1", tmp_path)
    assert isinstance(disk.rows.texts, np.memmap) and isinstance(disk.bm25.data, np.memmap)
    assert [p.name for p in tmp_path.iterdir()] == ["g1.f3"]
    for question in ("Who chairs the council?", "budget million vote", "strike pay offer"):
        found = memory.search(question, 8)
        assert found and found == disk.search(question, 8)
    article = hits[5].chunk.article_id
    assert disk.article_hits(article) == memory.article_hits(article)
    assert [h.chunk for h in disk.article_hits(article)] == [
        h.chunk for h in hits if h.chunk.article_id == article
    ]
    ranked = [(h.chunk.id, 0.5) for h in hits[:4]]
    assert disk.dense_hits(ranked, 4) == memory.dense_hits(ranked, 4)
    assert LexicalIndex.build(hits, "g1", tmp_path).search("budget", 3) == disk.search("budget", 3)


def test_a_build_leaves_other_builds_in_progress_and_removes_crashed_ones(tmp_path: Path) -> None:
    import os

    running = tmp_path / ".g0.1.a.tmp"
    crashed = tmp_path / ".g0.2.b.tmp"
    running.mkdir()
    crashed.mkdir()
    os.utime(crashed, (1, 1))
    (tmp_path / "g0.f2.pkl").write_bytes(b"an older format")
    LexicalIndex.build(_hits(), "g1", tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".g0.1.a.tmp", "g1.f3"]


def test_a_build_keeps_its_index_when_another_process_removes_the_folder(
    tmp_path: Path, monkeypatch
) -> None:
    """Another process finishing a newer generation removes this one's folder just after it
    is placed: the build still returns its own (mapped) index and reads the store once."""
    from rag.core import lexical_files

    placed = lexical_files.publish
    reads = []

    def publish_then_vanish(partial: Path, folder: Path, generation: str) -> None:
        placed(partial, folder, generation)
        shutil.rmtree(lexical_files.path(folder, generation))

    def hits():
        reads.append(1)
        yield from _hits()

    monkeypatch.setattr(lexical_files, "publish", publish_then_vanish)
    index = LexicalIndex.build(hits(), "g1", tmp_path)
    assert reads == [1] and isinstance(index.rows.texts, np.memmap)
    expected = LexicalIndex.build(_hits(), "g1").search("Saeed delegation", 5)
    assert index.search("Saeed delegation", 5) == expected != []
    assert list(tmp_path.iterdir()) == []


def test_a_generation_another_process_placed_first_stays_and_both_answer(tmp_path: Path) -> None:
    first = LexicalIndex.build(_hits(), "g1", tmp_path)
    (tmp_path / "g1.f3" / "marker").write_text("first")
    second = LexicalIndex.build(_hits(), "g1", tmp_path)  # its rename fails: not placed
    assert (tmp_path / "g1.f3" / "marker").read_text() == "first"
    assert [p.name for p in tmp_path.iterdir()] == ["g1.f3"]
    assert second.search("Pakistan talks", 5) == first.search("Pakistan talks", 5) != []


def test_a_half_removed_index_is_not_read_as_an_empty_one(tmp_path: Path) -> None:
    LexicalIndex.build(_hits(), "g1", tmp_path)
    (tmp_path / "g1.f3" / "bm25-vocab.pkl").unlink()  # as a removal in progress leaves it
    assert LexicalIndex.load(tmp_path, "g1") is None
