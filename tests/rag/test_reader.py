"""The offline reader: answer types, the short answer that leads the answer, datelines, and
the closest passages a refusal carries; hashing embedder, real spaCy, real Chroma."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rag.assistant import Assistant
from rag.core.settings import Settings
from rag.query.answer_types import expected_labels
from tests.fakes import HashingEmbedder

ARTICLES = [
    {
        "id": "bridge",
        "title": "Council backs new bridge",
        "published": "2025-03-17",
        "source": "Carrow Courier",
        "text": "CARROW, March 17 — The Carrow City Council voted 7-2 on Monday night to replace "
        "the 94-year-old Old Mill Bridge.\n\nMayor Ann Lee said construction will begin in "
        "September and take two years. The project will cost 48 million dollars.",
    },
    {
        "id": "storm",
        "title": "Storm cuts power",
        "published": "2025-11-13",
        "source": "Halley Herald",
        "text": "PORT HALLEY, Nov. 13 — Storm Imogen knocked out electricity to about 212,000 "
        "homes on Wednesday night.\n\nGrid operator Halley Power said most customers would be "
        "reconnected by Sunday.",
    },
]


@pytest.fixture
def news(tmp_path: Path) -> Assistant:
    corpus = tmp_path / "news.jsonl"
    corpus.write_text("".join(json.dumps(a) + "\n" for a in ARTICLES), encoding="utf-8")
    assistant = Assistant(Settings(home=tmp_path / "s"), embeddings=HashingEmbedder())
    assistant.ingest([corpus])
    return assistant


@pytest.mark.parametrize(
    ("question", "labels"),
    [
        ("Who leads the Pakistani delegation?", ("PERSON", "ORG", "NORP")),
        ("When will construction start?", ("DATE", "TIME")),
        ("How many homes lost power?", ("CARDINAL", "QUANTITY", "MONEY", "PERCENT")),
        ("How much will the bridge cost?", ("MONEY", "PERCENT", "QUANTITY", "CARDINAL")),
        ("Which company runs the grid?", ("ORG",)),
        ("Where did the storm hit?", ("GPE", "LOC", "FAC", "ORG")),
        ("Why did the council vote?", ()),
    ],
)
def test_the_question_form_names_the_entity_types(question: str, labels: tuple) -> None:
    assert expected_labels(question) == labels


def test_the_answer_leads_with_the_short_answer_and_quotes_exactly(news: Assistant) -> None:
    answer = news.ask("When will construction of the bridge begin?")
    assert not answer.refused and answer.short_answer == "September"
    quote = "Mayor Ann Lee said construction will begin in September and take two years."
    assert answer.text.startswith(f"September — {quote} [1]")  # its sentence first
    assert answer.citations[0].quote == quote
    c = answer.citations[0]
    assert news.get_article(c.article_id).text[c.start : c.end] == quote
    *pieces, final = news.stream("When will construction of the bridge begin?")
    assert pieces[0] == "September — " and "".join(pieces) == final.text


def test_a_dateline_is_not_the_answer(news: Assistant) -> None:
    answer = news.ask("By what day will customers be reconnected?")
    assert answer.short_answer == "Sunday"  # not "Nov. 13" from "PORT HALLEY, Nov. 13 — ..."


def test_a_refusal_carries_the_closest_passages_but_no_citations(news: Assistant) -> None:
    answer = news.ask("What is the salary of the Carrow harbour master?")
    assert answer.refused and answer.citations == [] and answer.short_answer == ""
    assert answer.text == "I cannot answer that from the ingested articles."
    assert answer.closest and all(c.quote for c in answer.closest)
    data = answer.to_dict()
    assert data["closest"][0]["quote"] == answer.closest[0].quote


STRIKE = {
    "id": "strike",
    "title": "Nurses strike",
    "published": "2025-02-16",
    "source": "Westbridge Post",
    "text": "WESTBRIDGE, Feb. 16 — About 3,400 nurses at Westbridge General Hospital began a "
    "five-day strike on Monday morning, the largest walkout in the hospital's 110-year "
    "history.\n\nThe union said 12 wards were closed.\n\nThe strike at Westbridge General "
    "closed 12 wards on Monday, and 300 patients were sent to other hospitals.",
}


@pytest.mark.parametrize(
    ("question", "short"),
    [
        ("How many days will the nurses strike for?", "five-day"),  # a time unit: a span
        ("How many nurses at Westbridge General Hospital began a strike?", "About 3,400"),
        ("How many wards were closed by the strike?", "12"),  # not the 3,400 of the lead
        # "12" sits nearer the question's words; "300" is the number of patients
        (
            "How many patients were affected when the strike closed wards at Westbridge General "
            "on Monday?",
            "300",
        ),
    ],
)
def test_how_many_answers_with_the_number_of_what_it_counts(
    tmp_path: Path, question: str, short: str
) -> None:
    corpus = tmp_path / "strike.jsonl"
    corpus.write_text(json.dumps(STRIKE) + "\n", encoding="utf-8")
    assistant = Assistant(Settings(home=tmp_path / "s"), embeddings=HashingEmbedder())
    assistant.ingest([corpus])
    answer = assistant.ask(question)
    assert not answer.refused and answer.short_answer == short
