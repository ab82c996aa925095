"""Scoring the news-native answers: conflict sets (eval/score.conflict_scores, the summary's
conflict metrics) and timeline sets (eval/timelines.score_timeline)."""

from __future__ import annotations

from eval.datasets import GoldQuestion
from eval.score import conflict_scores
from eval.summary import conflict_metrics
from eval.timelines import score_timeline, summarize_timelines
from rag.core.news import Conflict, Event, Report, Timeline
from rag.core.types import Answer, Citation

UPDATE = GoldQuestion(
    "q1", "How many died?", ["41", "57"], ["a1", "a2"], False, True,
    question_type="update", latest="57", differ=True,
)  # fmt: skip
SAME = GoldQuestion(
    "q2", "How many homes?", ["14 homes", "fourteen homes"], ["a1", "a2"], False, True,
    question_type="consistent", latest="fourteen homes", differ=False,
)  # fmt: skip


def _cite(marker: int, article_id: str, quote: str, start: int = 0) -> Citation:
    return Citation(marker, article_id, "", "", "", f"{article_id}:0", quote, start,
                    start + len(quote))  # fmt: skip


def _conflict(kind: str, *values: tuple[str, str]) -> Conflict:
    return Conflict(kind, tuple(Report(v, i, a, "", "") for i, (v, a) in enumerate(values, 1)))


def test_an_update_said_with_the_newest_value_first_is_right() -> None:
    answer = Answer("q", "Updated: 57 [1] ...", False, conflict=_conflict("update", ("57", "a2"),
                    ("41", "a1")))  # fmt: skip
    assert conflict_scores(UPDATE, answer) == {
        "differ_said": True,
        "update_said": True,
        "latest_right": True,
    }
    older_first = Answer("q", "...", False, conflict=_conflict("differ", ("41", "a1"),
                         ("57", "a2")))  # fmt: skip
    assert conflict_scores(UPDATE, older_first) == {
        "differ_said": True,
        "update_said": False,
        "latest_right": False,
    }


def test_without_a_conflict_the_first_quote_is_the_value_given() -> None:
    quoted = Answer("q", "x", False, citations=[_cite(1, "a1", "It destroyed 14 homes.")])
    assert conflict_scores(SAME, quoted)["latest_right"]  # any wording of the one value
    assert not conflict_scores(UPDATE, Answer("q", "x", False, citations=[
        _cite(1, "a1", "At least 41 people died.")]))["latest_right"]  # fmt: skip
    assert conflict_scores(SAME, Answer("q", "refused", True)) == {
        "differ_said": False,
        "update_said": False,
        "latest_right": False,
    }


class _Row:
    def __init__(self, differ: bool, kind: str, said: bool, update: bool, latest: bool) -> None:
        self.differ, self.question_type = differ, kind
        self.scores = {"differ_said": said, "update_said": update, "latest_right": latest}


def test_conflict_metrics_count_against_the_gold() -> None:
    rows = [
        _Row(True, "update", True, True, True),
        _Row(True, "conflict", False, False, False),
        _Row(False, "consistent", True, False, True),  # a false alarm
        _Row(False, "consistent", False, False, True),
    ]
    assert conflict_metrics(rows) == {  # type: ignore[arg-type]
        "conflict_precision": 0.5,
        "conflict_recall": 0.5,
        "consistent_flagged": 0.5,
        "update_named": 1.0,
        "kind_right": 0.5,  # the update named as one; the false alarm is wrong either way
        "latest_right": 0.75,
    }


STORY = {
    "id": "s1",
    "query": "fire",
    "article_ids": ["e1", "copy", "e2", "bg", "e3"],
    "background": ["bg"],
    "events": [
        {"date": "2026-07-13", "article_id": "e1", "duplicates": ["copy"]},
        {"date": "2026-07-16", "article_id": "e2"},
        {"date": "2026-07-22", "article_id": "e3"},
    ],
}
TEXTS = {
    "e1": "Fire on July 13.",
    "copy": "Fire on July 13.",
    "e2": "Evacuated on July 16.",
    "bg": "Recap: July 13 and 16.",
    "e3": "Out on July 22.",
    "x": "Other on July 1.",
}


def _line(day: str, article_id: str, n: int) -> Event:
    return Event(day, _cite(n, article_id, TEXTS[article_id]), "Outlet")


def test_a_timeline_is_scored_event_by_event() -> None:
    good = Timeline("fire", [_line("2026-07-13", "e1", 1), _line("2026-07-16", "e2", 2),
                             _line("2026-07-22", "e3", 3)])  # fmt: skip
    row = score_timeline(STORY, good, TEXTS)
    assert (row["matched"], row["wrong"], row["minor"], row["in_order"]) == (3, 0, 0, True)
    assert row["quotes_exact"]
    bad = Timeline("fire", [
        _line("2026-07-13", "e1", 1),
        _line("2026-07-13", "copy", 2),  # the wire copy again: wrong
        _line("2026-07-14", "bg", 3),  # a recap as an event: wrong
        _line("2026-07-01", "x", 4),  # another story: wrong, and out of order
    ])  # fmt: skip
    row = score_timeline(STORY, bad, TEXTS)
    assert (row["matched"], row["wrong"], row["in_order"]) == (1, 3, False)
    summary = summarize_timelines([score_timeline(STORY, good, TEXTS), row])
    assert summary["timeline_recall"] == round(4 / 6, 4)
    assert summary["timeline_precision"] == round(4 / 7, 4)
    assert summary["timeline_in_order"] == 0.5
    shifted = Timeline("fire", [Event("2026-07-13", _cite(1, "e1", "Fire on", 1), "Outlet")])
    assert not score_timeline(STORY, shifted, TEXTS)["quotes_exact"]
