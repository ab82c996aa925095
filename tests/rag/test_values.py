"""Reported values (rag/core/values.py): when two reports give one value for a slot."""

from __future__ import annotations

import pytest

from rag.core.values import agree, comparable, parse_value


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("80", "more than 80"),
        ("At least 41", "41 people"),
        ("312 passengers and crew", "312 people"),
        ("£2.4 million", "2.4 million pounds"),
        ("£3bn", "3 billion pounds"),
        ("14 homes", "fourteen homes"),
        ("twenty-five", "25"),
        ("14-kilometre", "14 km"),
        ("May 1", "1 May"),
        ("October 30, 2026", "30 October"),
        ("3-1", "3 - 1"),
        ("Saeed", "Lt. Gen. Mohammed Saeed"),
        ("20 per cent", "20%"),
    ],
)
def test_one_value_in_other_words_agrees(a: str, b: str) -> None:
    assert agree(parse_value(a), parse_value(b))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("80", "100"),
        ("18,442", "18,517"),  # close is not equal
        ("41 percent", "44 percent"),
        ("Nine miners", "11 miners"),
        ("1.8 billion euros", "2.1 billion euros"),
        ("October 3", "October 5"),
        ("October 3, 2025", "October 3, 2026"),
        ("7-4", "8-3"),
        ("2:09:41", "2:09:44"),
        ("Mara Okonedo", "Colm Rafferty"),
    ],
)
def test_different_values_disagree(a: str, b: str) -> None:
    assert not agree(parse_value(a), parse_value(b))


def test_two_slots_are_not_compared() -> None:
    # a turnout and a vote count, or a number and a date, are not two reports of one value
    assert not comparable(parse_value("41 percent"), parse_value("18,442 votes"))
    assert not comparable(parse_value("57"), parse_value("March 8"))
    assert comparable(parse_value("57"), parse_value("41 people"))
    assert not comparable(parse_value("up to €10,000"), parse_value("€10 million"))
    assert not comparable(parse_value("€29 million"), parse_value("52 properties"))
    assert comparable(parse_value("£2.4 million"), parse_value("2.4 million pounds"))
    assert comparable(parse_value("at least 12"), parse_value("more than 100"))
    assert agree(parse_value("41 percent"), parse_value("18,442 votes"))
    # two things counted are two slots, unless both count people
    assert not comparable(parse_value("35 extra coaches"), parse_value("340 services"))
    assert not comparable(parse_value("380 jobs"), parse_value("640 nurses"))
    assert comparable(parse_value("57 dead"), parse_value("41 people"))
    assert comparable(parse_value("nine men"), parse_value("11 miners"))
    assert comparable(parse_value("1,450 bus drivers"), parse_value("1,150 drivers"))
    assert comparable(parse_value("47 guests"), parse_value("68"))


def test_counted_things_compare_and_measures_need_the_same_measure() -> None:
    assert comparable(parse_value("57 dead"), parse_value("41 people"))
    assert not agree(parse_value("57 dead"), parse_value("41 people"))
    assert not agree(parse_value("0 people"), parse_value("3 people"))
    assert agree(parse_value("30 m"), parse_value("30 metres"))  # metres, not 30 million
    assert agree(parse_value("£30m"), parse_value("30 million pounds"))
