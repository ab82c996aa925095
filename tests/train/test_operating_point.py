"""Choosing the reader's refusal line on development sets: the replay of each threshold and the
highest line within the false-refusal budget."""

from __future__ import annotations

from train.operating_point import choose, replay


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
