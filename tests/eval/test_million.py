"""The million-chunk bench's corpus: editions of an article are new articles with new chunks."""

from pathlib import Path

from eval.bench.million import build, edition
from ingest.sources import read_sources
from rag.assistant import Assistant
from rag.core.settings import Settings
from rag.core.types import Article
from tests.conftest import SEED
from tests.fakes import HashingEmbedder


def test_editions_are_distinct_articles_and_the_build_stops_at_the_target(
    tmp_path: Path, monkeypatch
) -> None:
    (seed,) = [a for a in read_sources([SEED]) if isinstance(a, Article)]
    second = edition(seed, 2)
    assert edition(seed, 0) == seed
    assert second.id == f"{seed.id}~2" and second.text.endswith(seed.text)
    assert second.title == f"{seed.title} (edition 2)"
    monkeypatch.setattr(
        "eval.bench.million.Assistant",
        lambda settings: Assistant(settings, embeddings=HashingEmbedder()),
    )
    monkeypatch.setattr("eval.bench.million.WAVE", 1)
    per_copy = Assistant(Settings(home=tmp_path / "one"), embeddings=HashingEmbedder())
    per_copy.ingest([SEED])
    chunks = per_copy.stats()["chunks"]
    figures = build(tmp_path / "big", [seed], 3 * chunks)
    assert figures["articles"] == 3 and figures["chunks"] >= 3 * chunks
    assert figures["ingested_articles"] == 3 and figures["store_mb"] > 0
    again = build(tmp_path / "big", [seed], 4 * chunks)  # topped up, not rebuilt
    assert again["articles"] == 4 and again["ingested_articles"] == 1


def test_a_server_client_reads_the_home_bm25_index_instead_of_building_its_own(
    tmp_path: Path,
) -> None:
    from eval.bench.processes import share_index

    home, client = tmp_path / "home", tmp_path / "client-0"
    (home / "lexical" / "news").mkdir(parents=True)
    (home / "lexical" / "news" / "texts.bin").write_bytes(b"index")
    (client / "lexical" / "stale").mkdir(parents=True)  # one built earlier: replaced
    share_index(home, client)
    assert (client / "lexical").is_symlink()
    assert (client / "lexical" / "news" / "texts.bin").read_bytes() == b"index"
    assert not (client / "lexical" / "stale").exists()
    share_index(home, client)  # again: still the one link
    assert (client / "lexical").resolve() == (home / "lexical").resolve()
