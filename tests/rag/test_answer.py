import json
from pathlib import Path

import pytest

from prompts import load_prompt
from rag.assistant import Assistant
from rag.core.errors import InputError
from rag.core.settings import Settings
from rag.core.types import Filters
from tests.fakes import HashingEmbedder

HEADLINES = [
    {
        "id": "h1",
        "title": "Mayor opens bridge",
        "url": "https://news.example/h1",
        "published": "2023-02-12",
        "source": "Daily",
        "text": "Mayor opens bridge\n\nMayor Ann Lee opened the Riverside bridge on Monday. "
        "The bridge cost five million dollars. He said traffic would ease.",
    },
    {
        "id": "h2",
        "title": "Storm closes schools",
        "source": "Courier",
        "published": "2023-02-13",
        "text": "Storm closes schools\n\nA winter storm closed every school in Lakeside on Tuesday."
        " "
        "Classes resume on Thursday.",
    },
]


@pytest.fixture
def news(tmp_path: Path) -> Assistant:
    corpus = tmp_path / "news.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in HEADLINES))
    assistant = Assistant(Settings(home=tmp_path / "s", max_quotes=1), embeddings=HashingEmbedder())
    assistant.ingest([corpus])
    return assistant


def test_quotes_the_best_sentence_with_exact_offsets(news: Assistant) -> None:
    answer = news.ask("Which bridge did Mayor Ann Lee open on Monday?")
    assert not answer.refused
    assert answer.text == "Mayor Ann Lee opened the Riverside bridge on Monday. [1]"
    [c] = answer.citations
    assert (c.marker, c.article_id, c.title, c.url, c.published) == (
        1,
        "h1",
        "Mayor opens bridge",
        "https://news.example/h1",
        "2023-02-12",
    )
    assert news.get_article("h1").text[c.start : c.end] == c.quote
    assert c.chunk_id.startswith("h1:")


def test_a_quote_opening_with_a_pronoun_brings_the_sentence_before(news: Assistant) -> None:
    from rag.query.reading.candidates import candidate_sentences

    hit = news.retrieve("traffic would ease", 1).hits[0]
    (said,) = [c for c in candidate_sentences([hit]) if c.text.startswith("He said")]
    start, end = said.quote_span()
    assert hit.chunk.text[start - hit.chunk.start : end - hit.chunk.start] == (
        "The bridge cost five million dollars. He said traffic would ease."
    )
    assert news.get_article("h1").text[start:end].startswith("The bridge cost")


def test_refuses_with_the_fixed_phrase_when_support_is_weak(news: Assistant) -> None:
    answer = news.ask("Who won the 2022 FIFA World Cup?")
    assert answer.refused
    assert (
        answer.text == load_prompt("refusal") == "I cannot answer that from the ingested articles."
    )
    assert answer.citations == []


def test_filters_reach_the_answer(news: Assistant) -> None:
    always = news.settings.model_copy(update={"min_support": 0.0})  # never refuse
    sure = Assistant(always, embeddings=HashingEmbedder(), store=news.pipeline.store)
    question = "When do classes resume after the storm?"
    daily = sure.ask(question, filters=Filters(source="Daily"))
    assert {c.article_id for c in daily.citations} == {"h1"}
    answer = sure.ask(question, filters=Filters(source="Courier"))
    assert answer.citations[0].quote == "Classes resume on Thursday."


def test_stream_yields_text_pieces_then_the_answer(news: Assistant) -> None:
    events = list(news.stream("Which bridge did Mayor Ann Lee open on Monday?"))
    *pieces, final = events
    assert all(isinstance(p, str) for p in pieces)
    assert "".join(pieces) == final.text


def test_json_shape(news: Assistant) -> None:
    data = news.ask("Which bridge did Mayor Ann Lee open on Monday?").to_dict()
    assert list(data) == [
        "question",
        "answer",
        "refused",
        "citations",
        "mode",
        "model",
        "timings_ms",
        "usage",
        "usage_source",
        "cost_usd",
        "condensed_question",
        "unsupported",
        "dropped_claims",
        "dropped_markers",
        "fallback",
        "short_answer",
        "closest",
        "conflict",
    ]
    assert list(data["citations"][0]) == [
        "marker",
        "article_id",
        "title",
        "url",
        "published",
        "chunk_id",
        "quote",
        "start",
        "end",
        "claim",
        "support",
    ]
    assert data["mode"] == "extractive" and set(data["timings_ms"]) == {
        "condense",
        "retrieve",
        "answer",
        "total",
    }


@pytest.mark.parametrize(
    "question, message",
    [
        ("   ", "the question is empty"),
        ("x" * 2001, "the question is 2001 characters long"),
    ],
)
def test_bad_questions(news: Assistant, question: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        news.ask(question)


def test_overlapping_quotes_from_two_chunks_are_not_repeated(tmp_path: Path) -> None:
    from rag.core.types import Chunk, Hit
    from rag.query.reading.extractive import Candidate, _merge_spans

    text = "Alpha one two three. Bravo four five six. He said seven eight nine."
    a = Chunk("x:1", "x", 0, text[:41], 0, 41, 10)
    b = Chunk("x:2", "x", 1, text[21:], 21, len(text), 10)
    first = Candidate(Hit(a, 0.9), 21, 41, "Bravo four five six.")
    second = Candidate(Hit(b, 0.8), 42, len(text), "He said seven eight nine.", context_start=21)
    [(owner, span)] = _merge_spans([first, second])
    assert owner.hit.chunk.id == "x:2" and text[span[0] : span[1]] == text[21:]
