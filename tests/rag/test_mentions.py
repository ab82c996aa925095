"""The rules of LLM mode's claim check that compare what a claim states with its quote
(rag/query/llm/mentions.py, roles.py, polarity.py): news restates names, figures and dates in
other words, and those restatements pass; a changed name, figure, date or title does not."""

from __future__ import annotations

import pytest

from rag.query.llm.mentions import numbers_in, refers_back, relative_dates, stated
from rag.query.llm.polarity import flipped
from rag.query.llm.roles import untitled


@pytest.mark.parametrize(
    ("entity", "label", "quote"),
    [
        ("$3.2 million", "MONEY", "diverting 3.2 million dollars in public funds"),
        ("$1.2 billion", "MONEY", "a 1.2-billion-dollar battery plant"),
        ("four percent", "PERCENT", "Revenue rose 4 percent."),
        ("roughly 90", "CARDINAL", "about 90 new pilots"),
        ("nine", "CARDINAL", "voted 9 to 3"),
        ("two", "CARDINAL", "Benning scored twice."),
        ("58-year-old", "DATE", "Thale, 58, is charged"),
        ("4:01.37", "DATE", "Kowal won in 4:01.37, holding off"),
        ("Tomas Reyes-Hale", "PERSON", "Reyes-Hale did not rule out a legal challenge."),
        ("Helen Rafferty", "PERSON", "Ms Rafferty said the trust had not cancelled it."),
        ("Veloria", "GPE", "Velorian Foreign Minister Hanna Strom said"),
        ("Mercy Vale's", "ORG", "Mercy Vale chief executive Gordon Achebe"),
        ("11 March", "DATE", "late on March 11 by a vote of 14 to 11"),
        ("Wednesday", "DATE", "at Wednesday's executive board meeting"),
        ("the previous week", "DATE", "up from 9 a week earlier"),
        ("the week", "DATE", "nothing relative to compare"),
    ],
)
def test_a_restated_name_figure_or_date_is_stated(entity: str, label: str, quote: str) -> None:
    assert stated(entity, label, quote)


@pytest.mark.parametrize(
    ("entity", "label", "quote"),
    [
        ("$140", "MONEY", "about 150 dollars a year"),
        ("31", "CARDINAL", "bees on 46 rooftops"),
        ("Dana Whitcombe", "PERSON", "Minority leader Tomas Reyes-Hale argued"),
        ("Supreme Court", "ORG", "the Appeals Court ruled"),
        ("March 12", "DATE", "late on March 11"),
        ("June 2024", "DATE", "in June 2023"),
        ("Friday", "DATE", "arrived on Sunday afternoon"),
        ("earlier this year", "DATE", "Amari's first trial, held last year"),
        ("March of last year", "DATE", "took effect in March this year"),
        ("the second half", "DATE", "in the first half of the year"),
    ],
)
def test_a_changed_name_figure_or_date_is_not(entity: str, label: str, quote: str) -> None:
    assert not stated(entity, label, quote)


def test_figures_are_read_with_their_scale_and_in_words() -> None:
    assert numbers_in("3.2 million dollars, twice, and fourteen") == [3_200_000.0, 14.0, 2.0]
    assert relative_dates("last year and a week earlier") == {("year", -1), ("week", -1)}


def test_a_place_or_company_may_be_referred_back_to() -> None:
    assert refers_back("ORG", "The airline will end service to Tucson.")
    assert refers_back("GPE", "Mbeki will be the city's first mayor born abroad.")
    assert not refers_back("PERSON", "The airline will end service.")
    assert not refers_back("ORG", "Revenue rose 4 percent.")


def test_a_title_the_quote_does_not_give_the_person_is_named() -> None:
    claim = "Dana Whitcombe, the assembly's minority leader, brought the measure forward."
    quote = "The measure was introduced by Assembly Speaker Dana Whitcombe."
    assert untitled(claim, quote, "", ["Dana Whitcombe"]) == ["leader"]
    restated = "Dana Whitcombe, the assembly speaker, introduced the measure."
    assert untitled(restated, quote, "", ["Dana Whitcombe"]) == []
    # given earlier in the story, near the name: "Gould said ..." after her title
    earlier = "County epidemiologist Teresa Gould warned of a measles outbreak."
    gould = "Teresa Gould, the county epidemiologist, said parents should check records."
    assert (
        untitled(gould, "Gould said parents should check records.", earlier, ["Teresa Gould"]) == []
    )
    # a title far from any person's name is not the person's
    far = "After councillors backed the budget on Thursday night, Norwich tax will rise."
    assert untitled(far, "The city council approved its budget.", "", ["Norwich"]) == []


@pytest.mark.parametrize(
    ("claim", "quote", "reason"),
    [
        (
            "The reef appeared damaged by nets.",
            "The reef appeared undamaged by nets.",
            "says “damaged”",
        ),
        ("The court upheld the ban.", "The court overturned the ban.", "says “upheld”"),
        (
            "The tariff raised exports by a third.",
            "The tariff cut exports by a third.",
            "says “raised”",
        ),
        ("It left its dividend unchanged.", "It did not change its dividend.", ""),
        ("A team said it failed to detect water.", "A team could not detect water.", ""),
        (
            "The supervisor rather than Cummins was responsible.",
            "The supervisor, not Cummins, was responsible.",
            "",
        ),
    ],
)
def test_opposites_are_caught_and_negations_in_other_words_pass(
    claim: str, quote: str, reason: str
) -> None:
    assert flipped(claim, quote).startswith(reason) and bool(flipped(claim, quote)) == bool(reason)
