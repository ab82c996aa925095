"""Choosing the reader's refusal line on development sets: the replay of each threshold and the
highest line within the false-refusal budget."""

from __future__ import annotations

from train.operating_point import choose, override_line, replay


def row(support: float, unanswerable: bool = False, contains: bool = True) -> dict:
    return {
        "dataset": "fresh3",
        "pipeline": "newsrag",
        "unanswerable": unanswerable,
        "answer_in_text": not unanswerable,
        "support": support,
        "scores": {"contains": contains and not unanswerable},
    }


ROWS = [
    row(0.9),
    row(0.5),
    row(0.3, contains=False),
    row(0.08),
    row(0.02),
    row(0.01, unanswerable=True),
    row(0.05, unanswerable=True),
    row(0.4, unanswerable=True),
]


def test_a_threshold_replays_refusals_and_contains() -> None:
    assert replay(ROWS, 0.06) == {
        "threshold": 0.06,
        "refused_unanswerable": 0.667,
        "false_refusals": 0.2,
        "contains_in_text": 0.6,
    }
    assert replay(ROWS, 0.0)["refused_unanswerable"] == 0.0


def test_the_line_is_the_highest_within_the_false_refusal_budget() -> None:
    line, curve = choose(ROWS, max_false_refusals=0.2)
    assert line == 0.08  # 0.085 would refuse the 0.08 answerable row too: 0.4 false refusals
    assert replay(ROWS, line)["false_refusals"] == 0.2
    assert curve[0]["threshold"] == 0.0 and curve[-1]["threshold"] == 0.6


def test_the_override_line_is_the_lowest_where_nine_in_ten_sure_questions_are_answerable() -> None:
    rows = [row(0.9), row(0.85, unanswerable=True), row(0.8), row(0.7)]
    rows += [row(0.6, unanswerable=True), row(0.5), row(0.2, unanswerable=True)]
    sure, held = override_line(rows, precision=0.9)
    assert sure == 0.86  # at 0.85 and below, one in four or more of the sure ones is not
    assert held == {
        "threshold": 0.86,
        "answerable_share_at_or_above": 1.0,
        "questions_at_or_above": 1,
        "unanswerable_at_or_above": 0,
    }
    assert override_line(rows, precision=0.75)[0] == 0.61  # 3 of 4 from 0.61 up
