"""Reports that differ, updates and the latest figure (rag/query/reading/reports.py) through the
real answer path: embedded Chroma, the MiniLM encoder and the reader model."""

from __future__ import annotations

import json

import pytest

from rag.assistant import Assistant
from rag.core.settings import Settings
from rag.faces.cli import main
from tests.fakes import news_article

pytestmark = pytest.mark.slow


ARTICLES = [
    news_article(
        "flood-1",
        "Marrow Vale floods kill at least 12",
        "Valley Wire",
        "2026-03-02",
        "At least 12 people were killed when the River Marrow burst its banks on Sunday night, "
        "flooding the villages of Oxley and Penhallow, emergency officials said.",
        "About 600 homes were flooded and the main road to Oxley remains closed.",
    ),
    news_article(
        "flood-2",
        "Marrow Vale flood toll rises to 19",
        "Coast Courier",
        "2026-03-05",
        "Officials on Wednesday raised the death toll from the Marrow Vale floods to 19 after "
        "divers recovered seven more bodies from flooded farmland near Penhallow.",
        "The regional council said about 600 homes had been damaged by the water.",
    ),
    news_article(
        "poll-1",
        "Kestrel Bay elects Ada Morrow as mayor",
        "Bay Herald",
        "2026-05-11",
        "Ada Morrow was elected mayor of Kestrel Bay on Sunday, winning 54 percent of the vote.",
        "Turnout in the Kestrel Bay mayoral election was 38 percent, according to the count.",
    ),
    news_article(
        "poll-2",
        "Morrow wins Kestrel Bay",
        "Northern Ledger",
        "2026-05-12",
        "Ada Morrow won the Kestrel Bay mayoral race with a comfortable majority.",
        "Turnout in the Kestrel Bay mayoral election was 46 percent, officials at the town hall "
        "said.",
    ),
]


@pytest.fixture(scope="module")
def news(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    folder = tmp_path_factory.mktemp("news")
    corpus = folder / "news.jsonl"
    corpus.write_text("".join(json.dumps(a) + "\n" for a in ARTICLES), encoding="utf-8")
    assistant = Assistant(Settings(home=folder / "s"))
    assistant.ingest([corpus])
    return assistant


def test_a_revised_figure_leads_and_the_reply_says_it_is_an_update(news: Assistant) -> None:
    answer = news.ask("How many people died in the Marrow Vale floods?")
    assert answer.conflict is not None and answer.conflict.kind == "update"
    latest, earlier = answer.conflict.reports
    assert (latest.value, latest.article_id, latest.marker) == ("19", "flood-2", 1)
    assert (earlier.article_id, earlier.marker) == ("flood-1", 2)
    assert "12" in earlier.value
    assert answer.text.startswith(
        "Updated: 19 [1] (Coast Courier, 5 Mar 2026); earlier reported as "
    )
    assert [c.article_id for c in answer.citations] == ["flood-2", "flood-1"]
    for c in answer.citations:
        assert news.get_article(c.article_id).text[c.start : c.end] == c.quote
    assert answer.citations[0].quote.startswith("Officials on Wednesday raised the death toll")


def test_outlets_that_disagree_are_both_cited_newest_first(news: Assistant) -> None:
    answer = news.ask("What was the turnout in the Kestrel Bay mayoral election?")
    assert answer.conflict is not None and answer.conflict.kind == "differ"
    assert [(r.value, r.article_id, r.source) for r in answer.conflict.reports] == [
        ("46 percent", "poll-2", "Northern Ledger"),
        ("38 percent", "poll-1", "Bay Herald"),
    ]
    assert answer.text.startswith(
        "Reports differ: 46 percent [1] (Northern Ledger, 12 May 2026); "
        "38 percent [2] (Bay Herald, 11 May 2026)."
    )
    data = answer.to_dict()["conflict"]
    assert data["kind"] == "differ" and data["reports"][0]["published"] == "2026-05-12"


def test_reports_that_agree_in_other_words_are_no_conflict(news: Assistant) -> None:
    answer = news.ask("How many homes were flooded in Marrow Vale?")
    assert not answer.refused and answer.conflict is None
    assert "600 homes" in answer.text
    assert "differ" not in answer.text and "Updated" not in answer.text


def test_a_question_about_now_leads_with_the_newest_report(news: Assistant) -> None:
    answer = news.ask("How many homes have been damaged by the Marrow Vale floods so far?")
    assert answer.conflict is None
    assert answer.text.startswith("As of 5 Mar 2026 (Coast Courier): ")
    assert answer.citations[0].article_id == "flood-2"


def test_ask_json_carries_the_conflict(capsys, news: Assistant) -> None:
    home = str(news.settings.home)
    assert (
        main(["ask", "How many people died in the Marrow Vale floods?", "--json", "--home", home])
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert data["conflict"]["kind"] == "update"
    assert [r["article_id"] for r in data["conflict"]["reports"]] == ["flood-2", "flood-1"]
