"""The LangChain tutorial baseline over real Chroma with the deterministic hashing embedder."""

from __future__ import annotations

from pathlib import Path

import pytest

from eval.baseline import BaselinePipeline, exact_start
from rag.assistant import Assistant
from rag.core.settings import Settings
from rag.core.types import Article
from tests.fakes import HashingEmbedder

REFUSAL = "I cannot answer that from the ingested articles."

BRIDGE_PARAGRAPHS = [
    "The Velmora harbour bridge reopened to traffic on Monday after two years of repairs.",
    "Crowds lined the quay as the first buses crossed the span shortly after dawn.",
    "The council said the repairs cost 42 million euros, well above the first estimate.",
    "Corrosion in the steel cables had forced the closure in the spring of 2022.",
    "Engineers replaced all eighty cables and strengthened the concrete piers below.",
    "Local shop owners said the closure had cut their trade by almost half.",
    "Ferry operators, who carried commuters during the works, will reduce their timetable.",
    "The mayor thanked residents for their patience during the long detour.",
    "Traffic wardens will guide drivers through the new junction for the first week.",
    "Cyclists get a protected lane on the eastern side of the deck for the first time.",
    "The bridge also carries a new water main that serves the northern districts.",
    "Inspectors will check the cables every six months instead of every two years.",
    "The chief engineer of the project was Ilse Marchetti, who led a team of ninety.",
    "Marchetti said the new cables should last at least sixty years with proper care.",
    "A plaque on the western tower now lists the names of every worker on the project.",
]
BRIDGE = Article(
    id="velmora-bridge",
    text="\n\n".join(BRIDGE_PARAGRAPHS) + "\n",
    title="Velmora bridge reopens",
    url="https://example.test/bridge",
    published="2024-03-04",
    source="Harbour Times",
)
ORCHARD = Article(
    id="orchard-frost",
    text=(
        "A late frost destroyed most of the apple blossom in the Kestrel Valley last week. "
        "Growers expect the harvest to fall by a third compared with last year. "
        "The regional farming union asked for emergency grants to cover the losses."
    ),
    title="Frost hits Kestrel Valley orchards",
    url="https://example.test/orchard",
    published="2024-04-20",
    source="Valley Post",
)
CHESS = Article(
    id="chess-final",
    text=(
        "Grandmaster Ravi Okonkwo won the chess championship in Tallinn on Sunday. "
        "He beat the defending champion in a tense final game lasting six hours. "
        "Okonkwo receives a prize of 80,000 dollars."
    ),
    title="Okonkwo takes Tallinn title",
    url="https://example.test/chess",
    published="2024-05-12",
    source="Board Report",
)
ARTICLES = [BRIDGE, ORCHARD, CHESS]
TEXTS = {a.id: a.text for a in ARTICLES}


def make_pipeline(home: Path, min_support: float = 0.3) -> BaselinePipeline:
    """The baseline answered by newsrag's public answer stage, as the harness wires it."""
    embedder = HashingEmbedder()
    answerer = Assistant(Settings(home=home, min_support=min_support), embeddings=embedder)
    return BaselinePipeline(embedder, home, answerer.answer)


@pytest.fixture
def pipeline(tmp_path: Path) -> BaselinePipeline:
    p = make_pipeline(tmp_path / "home")
    assert p.ingest(ARTICLES) == 4
    return p


def test_constructor_builds_nothing(tmp_path: Path) -> None:
    p = make_pipeline(tmp_path / "home")
    assert p._store is None
    assert not (tmp_path / "home").exists()


def test_ingest_splits_long_article_with_overlap_and_deterministic_ids(
    pipeline: BaselinePipeline,
) -> None:
    assert len(BRIDGE.text) > 1000
    stored = pipeline.store.get()
    assert sorted(stored["ids"]) == [
        "chess-final:0",
        "orchard-frost:0",
        "velmora-bridge:0",
        "velmora-bridge:802",
    ]
    spans = sorted(
        (m["start_index"], m["start_index"] + len(t), m["chunk_index"])
        for m, t in zip(stored["metadatas"], stored["documents"], strict=True)
        if m["article_id"] == BRIDGE.id
    )
    assert spans == [(0, 957, 0), (802, len(BRIDGE.text) - 1, 1)]  # the chunks overlap


def test_reingest_overwrites_instead_of_duplicating(pipeline: BaselinePipeline) -> None:
    assert pipeline.ingest(ARTICLES) == 4
    assert len(pipeline.store.get()["ids"]) == 4


def test_every_hit_is_exact_article_text_with_metadata(pipeline: BaselinePipeline) -> None:
    retrieval = pipeline.retrieve("Velmora bridge cables engineer", k=10)
    assert len(retrieval.hits) == 4
    assert retrieval.vector == HashingEmbedder().embed_query("Velmora bridge cables engineer")
    for hit in retrieval.hits:
        chunk = hit.chunk
        assert TEXTS[chunk.article_id][chunk.start : chunk.end] == chunk.text
        assert chunk.id == f"{chunk.article_id}:{chunk.start}"
        assert 0.0 <= hit.score <= 1.0
    scores = [h.score for h in retrieval.hits]
    assert scores == sorted(scores, reverse=True)
    chess = next(h for h in retrieval.hits if h.chunk.article_id == CHESS.id)
    assert (chess.title, chess.url, chess.published, chess.source) == (
        CHESS.title,
        CHESS.url,
        CHESS.published,
        CHESS.source,
    )


@pytest.mark.parametrize(
    ("question", "article_id"),
    [
        ("Which grandmaster won the chess championship in Tallinn?", "chess-final"),
        ("How did the late frost affect apple growers in the Kestrel Valley?", "orchard-frost"),
        ("How much did the Velmora harbour bridge repairs cost the council?", "velmora-bridge"),
    ],
)
def test_top_hit_is_the_article_sharing_words(
    pipeline: BaselinePipeline, question: str, article_id: str
) -> None:
    hits = pipeline.retrieve(question).hits
    assert len(hits) == 4
    assert hits[0].chunk.article_id == article_id


def test_ask_quotes_article_text_at_its_offsets(pipeline: BaselinePipeline) -> None:
    answer, hits = pipeline.ask("Which grandmaster won the chess championship in Tallinn?")
    assert not answer.refused
    assert answer.mode == "baseline"
    assert set(answer.timings_ms) == {"retrieve", "answer", "total"}
    assert hits[0].chunk.id == "chess-final:0"
    first = answer.citations[0]
    assert (first.article_id, first.chunk_id, first.start, first.end) == (
        "chess-final",
        "chess-final:0",
        0,
        73,
    )
    assert (
        first.quote == "Grandmaster Ravi Okonkwo won the chess championship in Tallinn on Sunday."
    )
    for c in answer.citations:
        assert TEXTS[c.article_id][c.start : c.end] == c.quote


def test_ask_quotes_from_a_later_chunk_of_the_long_article(pipeline: BaselinePipeline) -> None:
    answer, hits = pipeline.ask("Who was the chief engineer of the Velmora bridge project?")
    assert [h.chunk.article_id for h in hits[:2]] == ["velmora-bridge", "velmora-bridge"]
    first = answer.citations[0]
    assert first.chunk_id == "velmora-bridge:802"
    assert first.quote == BRIDGE_PARAGRAPHS[12]
    assert first.start == BRIDGE.text.index(BRIDGE_PARAGRAPHS[12])
    assert BRIDGE.text[first.start : first.end] == first.quote


def test_unrelated_question_is_refused(pipeline: BaselinePipeline) -> None:
    answer, _ = pipeline.ask("What is the recipe for sourdough pancakes?")
    assert (answer.refused, answer.text, answer.citations, answer.mode) == (
        True,
        REFUSAL,
        [],
        "baseline",
    )


def test_high_min_support_refuses_even_a_matching_question(tmp_path: Path) -> None:
    p = make_pipeline(tmp_path / "home", min_support=0.99)
    p.ingest(ARTICLES)
    answer, hits = p.ask("Which grandmaster won the chess championship in Tallinn?")
    assert hits[0].chunk.article_id == "chess-final"
    assert answer.refused and answer.text == REFUSAL and answer.citations == []


def test_exact_start_corrects_a_wrong_offset() -> None:
    text = "alpha beta. gamma delta. gamma delta again."
    assert exact_start(text, "gamma delta", 12) == 12
    assert exact_start(text, "gamma delta", 20) == 12
    assert exact_start(text, "gamma delta again", 0) == 25
    with pytest.raises(ValueError):
        exact_start(text, "epsilon", 0)
