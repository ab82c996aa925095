import json
from datetime import date
from pathlib import Path

import pytest

from rag.assistant import Assistant
from rag.core.schema import where_clause
from rag.core.settings import Settings
from rag.core.types import Filters
from tests.conftest import SEED, SEED_ARTICLE_ID
from tests.fakes import HashingEmbedder

ROWS = [
    {
        "id": "flood",
        "title": "Floods hit the valley",
        "source": "Daily",
        "published": "2022-06-01",
        "text": "Floods hit the valley on Monday. Rescue teams moved families to higher ground.",
    },
    {
        "id": "budget",
        "title": "Budget passes",
        "source": "Courier",
        "published": "2022-07-15",
        "text": "The council passed the budget on Tuesday. Taxes will not rise this year.",
    },
    {
        "id": "flood-2",
        "title": "Valley floods recede",
        "source": "Courier",
        "published": "June 20, 2022",
        "text": "The floods in the valley receded on Friday. Families returned to their homes.",
    },
    {
        "id": "undated",
        "title": "Valley floods history",
        "source": "Daily",
        "published": "",
        "text": "The valley floods often. Old records show floods every decade.",
    },
]


@pytest.fixture
def filled(fake_assistant: Assistant, tmp_path: Path) -> Assistant:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in ROWS))
    assert fake_assistant.ingest([corpus]).added == [r["id"] for r in ROWS]
    return fake_assistant


def _ids(assistant: Assistant, question: str, k: int = 4, **filters) -> list[str]:
    hits = assistant.retrieve(question, k, Filters(**filters)).hits
    return [h.chunk.article_id for h in hits]


def test_dense_top_k_ranks_the_matching_article_first(filled: Assistant) -> None:
    assert _ids(filled, "council budget taxes", k=1) == ["budget"]
    assert set(_ids(filled, "valley floods families", k=3)) == {"flood", "flood-2", "undated"}


def test_source_filter(filled: Assistant) -> None:
    assert sorted(_ids(filled, "valley floods", source="Courier")) == ["budget", "flood-2"]


def test_date_filters_exclude_undated_articles(filled: Assistant) -> None:
    assert sorted(_ids(filled, "valley floods", since=date(2022, 6, 10))) == ["budget", "flood-2"]
    assert _ids(filled, "valley floods", since=date(2022, 6, 10), until=date(2022, 6, 30)) == [
        "flood-2"
    ]
    assert _ids(filled, "valley floods", source="Daily", until=date(2022, 6, 30)) == ["flood"]


def test_hits_carry_article_metadata(filled: Assistant) -> None:
    retrieval = filled.retrieve("council budget", 1)
    hit = retrieval.hits[0]
    assert (hit.title, hit.source, hit.published) == ("Budget passes", "Courier", "2022-07-15")
    assert 0.0 < hit.score <= 1.0 + 1e-6
    assert len(retrieval.vector) == 256


def test_where_clause_shapes() -> None:
    assert where_clause(Filters()) is None
    assert where_clause(Filters(source="Daily")) == {"source": "Daily"}
    assert where_clause(Filters(source="D", since=date(2022, 1, 1))) == {
        "$and": [{"source": "D"}, {"published_day": {"$gte": date(2022, 1, 1).toordinal()}}]
    }


def test_as_of_never_retrieves_a_later_article(filled: Assistant) -> None:
    assert sorted(_ids(filled, "valley floods", as_of=date(2022, 6, 30))) == ["flood", "flood-2"]
    assert _ids(filled, "valley floods", as_of=date(2022, 6, 30), until=date(2022, 6, 5)) == [
        "flood"
    ]
    assert where_clause(Filters(until=date(2022, 6, 30), as_of=date(2022, 6, 5))) == {
        "published_day": {"$lte": date(2022, 6, 5).toordinal()}
    }


def test_a_date_filter_finds_a_match_beyond_the_unfiltered_neighbours(tmp_path) -> None:
    """Filtered searches look at 4k unfiltered neighbours first (Chroma's filtered search is
    slow) and fall back to the filtered query when too few of them pass."""
    import json

    from rag.assistant import Assistant
    from rag.core.settings import Settings
    from tests.fakes import HashingEmbedder

    rows = [
        {
            "id": f"new{i}",
            "title": "Harbour",
            "published": f"2024-02-{i + 1:02d}",
            "text": f"Harbour harbour harbour tunnel vote number {i}.",
        }
        for i in range(20)
    ]
    rows.append(
        {
            "id": "old",
            "title": "Ferry",
            "published": "2023-05-01",
            "text": "The harbour ferry was sold in May.",
        }
    )
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in rows))
    assistant = Assistant(Settings(home=tmp_path / "h"), embeddings=HashingEmbedder())
    assistant.ingest([corpus])
    store = assistant.pipeline.store
    vector = assistant.pipeline.embedder.embed_query("harbour harbour tunnel")
    assert "old" not in {h.chunk.article_id for h in store.search(vector, 8)}
    hits = store.search(vector, 2, Filters(until=date(2023, 12, 31)))
    assert [h.chunk.article_id for h in hits] == ["old"]
    hits = store.search(vector, 3, Filters(since=date(2024, 2, 10)))
    assert len(hits) == 3 and all(h.published >= "2024-02-10" for h in hits)


@pytest.mark.parametrize(
    "filters",
    [
        Filters(),
        Filters(source="Courier"),
        Filters(as_of=date(2022, 6, 25)),
        Filters(since=date(2022, 7, 1)),
    ],
)
def test_hybrid_dense_hits_are_the_stores_own(filled: Assistant, filters: Filters) -> None:
    """The hybrid retriever makes its dense hits from the lexical index's rows: the same hits,
    scores and metadata as Store.search, or None (the store answers) when too few pass."""
    p = filled.pipeline
    store, vector = p.store, p.embedder.embed_query("valley floods families")
    index = p.retriever.lexical.current()
    for k in (1, 2, 4):
        from_index = index.dense_hits(store.nearest_ids(vector, k, filters), k, filters)
        from_store = store.search(vector, k, filters)
        assert from_index is None if len(from_store) < k else from_index == from_store


def test_a_chunk_missing_from_the_lexical_index_leaves_the_dense_hits_to_the_store(
    filled: Assistant,
) -> None:
    p = filled.pipeline
    ranked = p.store.nearest_ids(p.embedder.embed_query("council budget"), 2)
    assert p.retriever.lexical.current().dense_hits([("gone:0", 0.9), *ranked], 2) is None


class Static(HashingEmbedder):
    lexical_weight = 1.0


def test_bm25_weighs_as_the_embedder_asks_unless_set(tmp_path: Path) -> None:
    """The fusion gives BM25 the embedder's own weight (static vectors lean on it more)."""
    settings = Settings(home=tmp_path / "store")
    Assistant(settings, embeddings=HashingEmbedder()).ingest([SEED])
    for embedder, setting, weight in (
        (HashingEmbedder(), None, 0.5),
        (Static(), None, 1.0),
        (Static(), 0.25, 0.25),
    ):
        chosen = settings.model_copy(update={"lexical_weight": setting})
        retriever = Assistant(chosen, embeddings=embedder).pipeline.retriever
        vector = embedder.embed_query("Who leads the Pakistani delegation?")
        rankings = retriever._hybrid("Who leads the Pakistani delegation?", vector, 10, Filters())
        assert [w for _, w in rankings] == [1.0, weight]
        assert rankings[1][0][0].chunk.article_id == SEED_ARTICLE_ID
