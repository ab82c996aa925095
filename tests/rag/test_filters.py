"""Filters: one meaning, one table of cases, every backend. The reference meaning is
``rag.core.schema.matches`` (a chunk's metadata against Filters); the translations are Chroma's
``where`` clause (``schema.where_clause``: the embedded store, and the same clause through a
`chroma run` server) and the lexical index's vectorised mask (``LexicalIndex._allowed``, used by
BM25 search and by the dense hits made from its rows). Each case lists the articles it must
admit; every backend must admit exactly those (hardening issue, item 11)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest

from eval.bench.processes import chroma_run
from rag.assistant import Assistant
from rag.core import chroma, schema
from rag.core.settings import Settings
from rag.core.types import Filters
from tests.fakes import HashingEmbedder

ARTICLES = [  # id, source, published
    ("jan", "Daily", "2023-01-10"),
    ("feb", "Daily", "2023-02-12"),
    ("feb-courier", "Courier", "2023-02-12"),
    ("mar", "Courier", "2023-03-01"),
    ("undated", "Daily", ""),
    ("accent", "Le Monde diplomatique", "2023-02-13"),
]
ALL = {a for a, _, _ in ARTICLES}
D = date.fromisoformat
CASES: list[tuple[str, Filters, set[str]]] = [
    ("nothing", Filters(), ALL),
    ("source", Filters(source="Daily"), {"jan", "feb", "undated"}),
    ("source is exact, not case-blind", Filters(source="daily"), set()),
    ("source with spaces and accents", Filters(source="Le Monde diplomatique"), {"accent"}),
    ("unknown source", Filters(source="Nobody"), set()),
    (
        "since is inclusive; undated fails",
        Filters(since=D("2023-02-12")),
        {"feb", "feb-courier", "mar", "accent"},
    ),
    ("until is inclusive", Filters(until=D("2023-02-12")), {"jan", "feb", "feb-courier"}),
    ("one day", Filters(since=D("2023-02-12"), until=D("2023-02-12")), {"feb", "feb-courier"}),
    ("since after until", Filters(since=D("2023-03-01"), until=D("2023-01-01")), set()),
    ("as_of bounds like until", Filters(as_of=D("2023-02-11")), {"jan"}),
    (
        "the earlier of until and as_of",
        Filters(until=D("2023-03-05"), as_of=D("2023-02-12")),
        {"jan", "feb", "feb-courier"},
    ),
    ("source and dates", Filters(source="Courier", since=D("2023-02-01")), {"feb-courier", "mar"}),
    (
        "all four",
        Filters(
            source="Daily", since=D("2023-01-01"), until=D("2023-12-31"), as_of=D("2023-02-12")
        ),
        {"jan", "feb"},
    ),
]
IDS = [c[0] for c in CASES]


def _corpus(path: Path) -> Path:
    rows = [
        {
            "id": i,
            "title": f"Story {i}",
            "source": s,
            "published": p,
            "text": f"Story {i}\n\nThe harbour board met about story {i} on a quiet morning.",
        }
        for i, s, p in ARTICLES
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def _filled(settings: Settings, tmp_path: Path) -> Assistant:
    assistant = Assistant(settings, embeddings=HashingEmbedder())
    assert sorted(assistant.ingest([_corpus(tmp_path / "c.jsonl")]).added) == sorted(ALL)
    return assistant


def _reference(assistant: Assistant) -> Callable[[Filters], set[str]]:
    rows = assistant.pipeline.store.chunks.get(include=["metadatas"])["metadatas"]
    return lambda f: {m["article_id"] for m in rows if schema.matches(m, f)}


def _chroma(assistant: Assistant) -> Callable[[Filters], set[str]]:
    vector = assistant.pipeline.embedder.embed_query("harbour board")
    collection = assistant.pipeline.store.chunks

    def admitted(f: Filters) -> set[str]:
        try:
            rows = chroma.nearest(collection, vector, len(ARTICLES), schema.where_clause(f))
        except Exception as exc:  # an empty filtered result may raise in some versions
            raise AssertionError(f"Chroma refused the clause of {f}: {exc}") from exc
        return {m["article_id"] for _, _, m, _ in rows}

    return admitted


def _lexical(assistant: Assistant) -> Callable[[Filters], set[str]]:
    index = assistant.pipeline.retriever.lexical.current()
    articles = index.article_ids()
    return lambda f: set(articles[index._allowed(f)].tolist())


def _pipeline(assistant: Assistant) -> Callable[[Filters], set[str]]:
    """The whole retrieval (dense from the index's rows or the store, BM25, fusion)."""
    return lambda f: {h.chunk.article_id for h in assistant.retrieve("harbour board", 20, f).hits}


@pytest.fixture(scope="module")
def embedded(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    tmp = tmp_path_factory.mktemp("filters")
    return _filled(Settings(home=tmp / "home"), tmp)


@pytest.mark.parametrize(("case", "filters", "expected"), CASES, ids=IDS)
@pytest.mark.parametrize("backend", ["reference", "chroma-embedded", "lexical", "retrieval"])
def test_every_backend_admits_exactly_the_cases_articles(
    embedded: Assistant, backend: str, case: str, filters: Filters, expected: set[str]
) -> None:
    run = {
        "reference": _reference,
        "chroma-embedded": _chroma,
        "lexical": _lexical,
        "retrieval": _pipeline,
    }[backend](embedded)
    assert run(filters) == expected, case


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Assistant]:
    tmp = tmp_path_factory.mktemp("filters-server")
    with chroma_run(tmp / "server") as port:
        settings = Settings(home=tmp / "home", chroma_host="127.0.0.1", chroma_port=port)
        yield _filled(settings, tmp)


@pytest.mark.integration
def test_a_chroma_server_admits_exactly_the_cases_articles(served: Assistant) -> None:
    for backend in (_chroma, _pipeline):
        run = backend(served)
        for case, filters, expected in CASES:
            assert run(filters) == expected, (backend.__name__, case)
