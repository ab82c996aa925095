"""Reported values (rag/core/values.py): when two reports give one value for a slot."""

from __future__ import annotations

import pytest

from rag.core.clauses import focus
from rag.core.values import agree, comparable, parse_value, states


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
        ("41.3C", "41.3 degrees"),
        ("June 2027", "June 5, 2027"),  # a month agrees with any day of it
        ("6m wide", "6 metres"),
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
        ("41.3C", "40.9C"),  # a unit glued to the number does not cut its decimals
        ("March 2027", "June 2027"),  # a month and year is a date, not the number 2027
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


def test_units_glued_to_numbers_and_ordinals() -> None:
    assert parse_value("5km").unit == "kilometre" and parse_value("5km").key == (5.0,)
    assert parse_value("£2.3m").key == (2_300_000.0,)
    assert parse_value("6m wide").key == (6.0,) and parse_value("6m wide").unit == "metre"
    assert not comparable(parse_value("9.47pm"), parse_value("53 kilometres"))
    assert parse_value("the 21st").kind == "words"  # an ordinal is not a count


def test_a_rate_is_its_own_measure() -> None:
    speed, written = parse_value("121 kilometres per hour"), parse_value("121 km/h")
    assert speed.unit == written.unit == "kilometre/hour" and agree(speed, written)
    assert parse_value("40 miles an hour").unit == "mile/hour"
    assert not comparable(speed, parse_value("1,184 kilometres"))  # a distance
    assert parse_value("5 metres a side").unit == "metre"


def test_focus_picks_the_clause_the_question_asks_for() -> None:
    span = "killing 12 and injuring 40"
    assert focus(span, "How many people were injured?") == "injuring 40"
    assert focus(span, "How many were killed in the crash?") == "killing 12"
    assert focus(span, "What was the toll?") == span  # no clause shares a word: all of it
    assert focus("28,900 spectators", "How many spectators?") == "28,900 spectators"
    assert focus("3 goals in 2 games", "How many goals?") == "3 goals in 2 games"


def test_kinds_of_counted_things_and_measures_against_bare_numbers() -> None:
    # two words for one kind of thing counted may be one slot; other things are two slots
    assert comparable(parse_value("88 inmates"), parse_value("101 prisoners"))
    assert comparable(parse_value("780 new jobs"), parse_value("650 positions"))
    assert comparable(parse_value("132 homes"), parse_value("More than 160 households"))
    assert not comparable(parse_value("780 new jobs"), parse_value("640 nurses"))
    assert comparable(parse_value("240 vessels"), parse_value("250 boats"))
    assert not comparable(parse_value("240 vessels"), parse_value("90 cars"))
    # a measure is compared only with the same measure, not with a bare number (an age)
    assert not comparable(parse_value("ninety-seven hours"), parse_value("38"))
    assert not comparable(parse_value("212 metres"), parse_value("185"))
    assert comparable(parse_value("19"), parse_value("at least 12 people"))


def test_what_a_review_found_in_the_new_rules() -> None:
    # a month and year later in the span does not make the figure before it a date
    jobs = parse_value("1,200 jobs by March 2025"), parse_value("1,500 jobs by March 2025")
    assert not agree(*jobs)
    # "m" before a dimension is metres, not in money or a hyphenated word
    assert parse_value("a £5m long-term loan").key == (5_000_000.0,)
    assert parse_value("3m high-street shoppers").key == (3_000_000.0,)
    assert parse_value("a 10m-wide sinkhole").unit == "metre"
    # money and percentages still compare with a bare number; other measures do not
    assert comparable(parse_value("2 million"), parse_value("£3m"))
    assert comparable(parse_value("41"), parse_value("44 percent"))
    assert agree(parse_value("20pc"), parse_value("20 per cent"))
    assert not agree(parse_value("41.3°C"), parse_value("42C"))
    # focus never picks the older figure of "up from", nor half of a range
    span = "4.1%, up from 3.8% a year earlier"
    assert focus(span, "What was the inflation rate in the year to May?") == span
    assert focus("between 300 and 400 people", "How many people came?") == (
        "between 300 and 400 people"
    )


def test_hundreds_with_and_and_places_in_a_result() -> None:
    assert parse_value("Three hundred and twenty-six seals").key == (326.0,)
    assert agree(parse_value("326 seals"), parse_value("three hundred and twenty-six seals"))
    assert focus("Three hundred and twenty-six seals", "How many seals?") == (
        "Three hundred and twenty-six seals"
    )
    assert parse_value("seventh").kind == "rank"
    assert agree(parse_value("the 7th place"), parse_value("seventh"))
    assert not agree(parse_value("seventh"), parse_value("third"))
    assert parse_value("second half").kind == "words"


def test_clock_times_compare_in_either_clock() -> None:
    assert agree(parse_value("16:20"), parse_value("4.20pm"))
    assert agree(parse_value("about 17:05"), parse_value("5.05 p.m."))
    assert agree(parse_value("at 03:10"), parse_value("3.10am"))
    assert parse_value("4pm").key == parse_value("16:00").key == (960,)
    tugs, freed = parse_value("14:35"), parse_value("4.50pm")
    assert comparable(tugs, freed) and not agree(tugs, freed)
    assert parse_value("2:08:53").kind == "tally"  # a race time, not a clock
    assert parse_value("2:35").kind == "tally"  # one-digit hour without am/pm: a time run


def test_small_lengths_and_ranks_past_any_day() -> None:
    rain, more = parse_value("83.6mm"), parse_value("91.2 millimetres")
    assert rain.unit == more.unit == "millimetre"
    assert comparable(rain, more) and not agree(rain, more)
    assert parse_value("12cm").unit == "centimetre"
    assert parse_value("84th").kind == "rank"
    assert not agree(parse_value("84th"), parse_value("91st"))
    assert parse_value("21st").kind == "words"  # may be a day of the month


def test_a_text_states_a_value_in_any_wording() -> None:
    pier = "Council sells Faldonbury Pier to leisure firm for £1.45m\n\nThe Friends raised £86,000."
    assert states(pier, parse_value("1.45 million pounds"))
    assert not states(pier, parse_value("£1.3 million"))
    assert states("The warning went out at 4.20pm.", parse_value("16:20"))
    assert states("It was born on February 1st.", parse_value("1 February"))
    assert not states("Corvanne Leisure", parse_value("Saltbeck Leisure"))  # names: never


def test_metres_glued_to_large_or_precise_numbers_and_verbs_after_a_count() -> None:
    assert parse_value("6,421m").unit == "metre" and parse_value("6,421m").key == (6421.0,)
    assert parse_value("4.63m").unit == "metre"
    assert parse_value("2.3m people").key == (2_300_000.0,)  # millions
    assert parse_value("£2.75m").unit == "money"
    assert parse_value("8,156 included more than 2,000").nouns == ()  # a verb, not a thing
    assert parse_value("57 killed").nouns == ("killed",)  # counts people


def test_one_length_in_two_units_and_numbers_spelled_out_whole() -> None:
    sea, land = parse_value("2.7 nautical miles"), parse_value("3.4 miles")
    assert comparable(sea, land) and not agree(sea, land)  # 2.7 nautical miles = 3.1 miles
    assert agree(parse_value("5 miles"), parse_value("8km"))  # rounded in the conversion
    assert agree(parse_value("2 tonnes"), parse_value("2,000kg"))
    assert not comparable(parse_value("3 metres"), parse_value("3 kilograms"))
    assert parse_value("four thousand six hundred trees").key == (4600.0,)
    assert parse_value("one thousand eight hundred and seventy-four riders").key == (1874.0,)
    assert parse_value("two hundred and fifty thousand people").key == (250_000.0,)
    assert parse_value("two and three").key == (2.0,)  # "and" joins only after a hundred
    assert parse_value("125th out of 212 towns").key == (125,)


def test_plurals_in_ies_count_the_same_thing() -> None:
    assert parse_value("21,950 properties").nouns == ("property",)
    assert comparable(parse_value("21,950 properties"), parse_value("17,400 homes"))
