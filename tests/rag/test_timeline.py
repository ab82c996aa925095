"""Timelines (rag/query/reading/timeline.py, ``Assistant.timeline``, ``newsrag timeline``): a
developing story as dated events, oldest first, one line per event article, wire copies and
recaps adding no line, every line an exact quote of its article."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from rag.assistant import Assistant
from rag.core.dates import days_named
from rag.core.settings import Settings
from rag.core.types import Filters
from rag.faces.cli import main
from tests.fakes import HashingEmbedder, news_article

STORY = [
    news_article(
        "fire-1",
        "Moor fire breaks out above Harwick",
        "Dale Post",
        "2026-07-14",
        "Crews were called to the moor above Harwick on Monday evening.",
        "A wildfire broke out on the moorland above Harwick on July 13 and burned about 300 "
        "hectares by nightfall.",
        "Walkers were told to keep away from the paths around the reservoir.",
    ),
    news_article(  # a wire copy of fire-1, another outlet and headline, a day later
        "fire-1-copy",
        "Harwick moor ablaze",
        "North Wire",
        "2026-07-15",
        "A wildfire broke out on the moorland above Harwick on July 13 and burned about 300 "
        "hectares by nightfall.",
        "Walkers were told to keep away from the paths around the reservoir.",
        "Fire officers said the ground was the driest in a decade.",
    ),
    news_article(
        "fire-2",
        "Harwick fire: hamlet evacuated",
        "Dale Post",
        "2026-07-17",
        "Police evacuated the hamlet of Skelby on July 16 as the Harwick wildfire spread to "
        "within two kilometres of the houses.",
        "The fire broke out on July 13 on the moor above Harwick.",
    ),
    news_article(  # a recap: only older days, no new event
        "fire-recap",
        "How the Harwick fire unfolded",
        "Dale Post",
        "2026-07-30",
        "The Harwick wildfire began on July 13 and forced the evacuation of Skelby on July 16.",
        "It was declared out on July 22 after rain.",
    ),
    news_article(
        "fire-3",
        "Harwick wildfire declared out",
        "North Wire",
        "2026-07-23",
        "The Harwick wildfire was declared out on July 22, nine days after it began, the fire "
        "service said.",
        "Residents of Skelby returned home the same afternoon.",
    ),
    news_article(  # another story in the same town: not in the timeline
        "library",
        "Harwick library reopens",
        "Dale Post",
        "2026-07-20",
        "The Harwick town library reopened on July 19 after a year of repairs to its roof.",
    ),
]


@pytest.fixture
def story(tmp_path: Path) -> Assistant:
    corpus = tmp_path / "story.jsonl"
    corpus.write_text("".join(json.dumps(a) + "\n" for a in STORY), encoding="utf-8")
    assistant = Assistant(Settings(home=tmp_path / "s"), embeddings=HashingEmbedder())
    assistant.ingest([corpus])
    return assistant


def test_a_story_is_dated_cited_lines_oldest_first(story: Assistant) -> None:
    timeline = story.timeline("Harwick wildfire")
    got = [(e.day, e.citation.article_id, e.also, e.citation.marker) for e in timeline.events]
    assert got == [
        ("2026-07-13", "fire-1", ("fire-1-copy",), 1),
        ("2026-07-16", "fire-2", (), 2),
        ("2026-07-22", "fire-3", (), 3),
    ]
    assert "library" not in timeline.articles and "fire-recap" in timeline.articles
    for e in timeline.events:  # every line is the article's own text at its offsets
        text = story.get_article(e.citation.article_id).text
        assert text[e.citation.start : e.citation.end] == e.citation.quote
    assert timeline.events[1].citation.quote.startswith("Police evacuated the hamlet of Skelby")
    assert timeline.text.splitlines()[0] == (
        "2026-07-13 — A wildfire broke out on the moorland above Harwick on July 13 and burned "
        "about 300 hectares by nightfall. [1] (Dale Post)"
    )


def test_since_and_until_bound_the_event_days(story: Assistant) -> None:
    timeline = story.timeline("Harwick wildfire", Filters(since=date(2026, 7, 14)))
    assert [e.day for e in timeline.events] == ["2026-07-16", "2026-07-22"]
    assert [e.citation.marker for e in timeline.events] == [1, 2]
    timeline = story.timeline("Harwick wildfire", Filters(until=date(2026, 7, 16)))
    assert [e.day for e in timeline.events] == ["2026-07-13", "2026-07-16"]


def test_a_query_no_article_matches_is_an_empty_timeline(story: Assistant) -> None:
    timeline = story.timeline("Quendale ferry strike")
    assert timeline.events == [] and timeline.articles == []
    assert timeline.to_dict()["text"] == ""


def test_days_are_read_as_the_report_reads_them() -> None:
    published = date(2026, 1, 3)
    text = "It began on December 30, was contained on Friday and 2 January, and ends today."
    assert days_named(text, published) == [
        date(2025, 12, 30),  # a day still ahead this year is last year's
        date(2026, 1, 2),  # the last Friday up to 3 January 2026 (a Saturday)
        date(2026, 1, 2),
        date(2026, 1, 3),
    ]


@pytest.mark.slow
def test_newsrag_timeline_prints_lines_and_json(capsys, tmp_path: Path) -> None:
    corpus = tmp_path / "story.jsonl"
    corpus.write_text("".join(json.dumps(a) + "\n" for a in STORY), encoding="utf-8")
    home = str(tmp_path / "h")
    assert main(["ingest", str(corpus), "--home", home]) == 0
    capsys.readouterr()
    assert main(["timeline", "Harwick wildfire", "--home", home, "--since", "2026-07-15"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("2026-07-16 — Police evacuated the hamlet of Skelby on July 16")
    assert out[0].endswith("[1] (Dale Post)")
    assert out[1].startswith("2026-07-22 — The Harwick wildfire was declared out on July 22")
    assert "  [1] Harwick fire: hamlet evacuated — Dale Post 2026-07-17 (fire-2)" in out
    assert main(["timeline", "Harwick wildfire", "--home", home, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [(e["date"], e["article_id"], e["also"]) for e in data["events"]] == [
        ("2026-07-13", "fire-1", ["fire-1-copy"]),
        ("2026-07-16", "fire-2", []),
        ("2026-07-22", "fire-3", []),
    ]


def test_what_is_not_a_reported_day() -> None:
    thursday = date(2026, 7, 16)
    assert days_named("Officials said 20 may have died on May 3.", date(2026, 5, 4)) == [
        date(2026, 5, 3)
    ]
    assert days_named("Talks will resume on Friday.", thursday) == []
    assert days_named("It met last Thursday.", thursday) == [date(2026, 7, 9)]
    assert days_named("It was filed on Feb 29.", date(2025, 1, 10)) == [date(2024, 2, 29)]
