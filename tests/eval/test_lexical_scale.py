"""The lexical scale bench: editions of the corpus's chunks are new chunks, and a build and a
load in their own processes report real figures for an index that answers."""

import json
import pickle
from pathlib import Path

from eval.bench.lexical_scale import base_hits, edition_hits, main, measure
from ingest.sources import read_sources
from rag.core.lexical import LexicalIndex
from rag.core.types import Article
from tests.conftest import SEED


def _seed_hits() -> list:
    return base_hits([a for a in read_sources([SEED]) if isinstance(a, Article)])


def test_editions_give_distinct_chunks_up_to_the_count() -> None:
    base = _seed_hits()
    hits = list(edition_hits(base, 2 * len(base) + 1))
    assert len(hits) == 2 * len(base) + 1
    assert len({h.chunk.id for h in hits}) == len(hits)
    assert hits[len(base)].chunk.article_id == f"{base[0].chunk.article_id}~1"
    assert hits[len(base)].chunk.text == base[0].chunk.text
    assert hits[-1].title.endswith("(edition 2)")


def test_a_build_and_a_load_report_the_index_built_in_memory(tmp_path: Path) -> None:
    base = _seed_hits()
    (tmp_path / "base.pkl").write_bytes(pickle.dumps(base))
    (tmp_path / "questions.json").write_text(json.dumps(["Who leads the Pakistani delegation?"]))
    figures = measure(tmp_path, 3 * len(base), repeats=1)
    assert figures["chunks"] == 3 * len(base)
    built = tmp_path / f"index-{3 * len(base)}" / f"g{3 * len(base)}.f3"
    assert {"texts.bin", "bm25-data.npy", "rows.pkl"} <= {p.name for p in built.iterdir()}
    assert figures["build_s"] >= 0 and figures["peak_rss_mb"] > figures["rss_before_mb"] > 0
    index = LexicalIndex.load(tmp_path / f"index-{3 * len(base)}", f"g{3 * len(base)}")
    memory = LexicalIndex.build(edition_hits(base, 3 * len(base)), "m")
    question = "Who leads the Pakistani delegation to Washington?"
    assert index.search(question, 5) == memory.search(question, 5) != []


def test_without_the_data_it_skips(tmp_path: Path, capsys) -> None:
    assert main(["--dir", str(tmp_path / "x"), "--data", str(tmp_path / "absent")]) == 0
    assert "not found" in json.loads(capsys.readouterr().out)["skipped"]
