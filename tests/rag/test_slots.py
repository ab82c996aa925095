"""The measure a question names (rag/core/slots.py) and the value a clause states
(rag/core/clauses.py)."""

from __future__ import annotations

from rag.core.clauses import stated_at
from rag.core.slots import asked, fits
from rag.core.values import parse_value


def test_a_reading_of_another_measure_does_not_fit_the_question() -> None:
    distance = asked("What distance does the Hollenby coastal walk cover?")
    assert distance is not None
    assert fits(parse_value("212km"), " route", distance)
    assert not fits(parse_value("9:41:07"), "", distance)  # a finishing time
    assert not fits(parse_value("31 hours"), "", distance)
    tall = asked("How tall is the new mast at Corrow Point?")
    assert fits(parse_value("96 metres"), " tall, the", tall)
    assert not fits(parse_value("340 metres"), " away from the", tall)
    assert fits(parse_value("-14.2 degrees"), "", asked("What was the coldest temperature?"))
    assert not fits(parse_value("1,200 homes"), "", asked("What was the coldest temperature?"))
    assert fits(parse_value("9:41:07"), "", asked("How long did the winner take?"))  # no measure


def test_the_value_a_clause_states_and_what_follows_it() -> None:
    assert stated_at("Jurors spent more than 45 hours considering their verdict") == (
        "more than 45 hours",
        " considering their verdict",
    )
    assert stated_at("debris was found 340 metres away") == ("340 metres", " away")
    assert stated_at("More than 160 households spent two nights") == (
        "More than 160 households",
        " spent two nights",
    )
    assert stated_at("sold for £38.5 million") == ("£38.5 million", "")
    assert stated_at("a turnout of 41.2 per cent of the ward") == ("41.2 per cent", " of the ward")
    assert stated_at("no figure at all") == ("no figure at all", "")


def test_idioms_and_two_word_units() -> None:
    assert asked("How many crews fought the fire at its height?") is None
    far = asked("How far off Tarn Head did the trawler sink?")
    assert fits(parse_value("about 41 nautical miles"), " off", far)
    assert parse_value("41 nautical miles").unit == "nautical mile"


def test_how_far_ahead_asks_for_no_distance() -> None:
    assert asked("How far ahead will drivers be told their shifts?") is None
    assert asked("How far did the ferry drift?") is not None


def test_a_share_of_something_is_a_percentage() -> None:
    slot = asked("What share of Marlhaven's electorate voted in the mayoral contest?")
    assert slot is not None
    assert fits(parse_value("46.1 per cent"), "", slot)
    assert not fits(parse_value("151 votes"), "", slot)
