"""The kind of value a question asks for (rag/core/kinds.py) and the answer stage reading a
passage for a span of that kind (rag/query/retrieval/rerank.py: of_kind). The cases are the
reader's misses on the dev sets fresh3-6: a neighbouring slot of a sentence that is about the
question ("How many pilots ...?" read as "96 aircraft")."""

from __future__ import annotations

from dataclasses import replace

import pytest

from rag.core.kinds import Wanted, fits_kind, wants
from rag.core.reader_net import PassageReading
from rag.query.retrieval.rerank import of_kind

AIRLINE = "The airline employs around 9,400 people and operates a fleet of 96 aircraft."


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("How many pilots does Solvane Airways employ?", Wanted("count", nouns=("pilot",))),
        ("How many votes did the Liberal candidate receive?", Wanted("count", unit="vote")),
        ("How much did Solvane pay to cancel its order?", Wanted("money")),
        ("What weekly wage will Kofi Abankwa earn?", Wanted("money")),
        ("How long has the shift boss been working underground?", Wanted("duration")),
        ("How old is the director Nino Abashidze-Carter?", Wanted("age")),
        (
            "What percentage of voters turned out?",
            Wanted("measure", question="What percentage of voters turned out?"),
        ),  # noqa: E501
        ("How many of the patients have since died?", None),  # the thing counted is not named
        ("How many times has he played for Ghana?", None),
        ("How long is the new bridge?", Wanted("extent")),  # a length or a time
        ("Who is the bishop of Fenhallow?", None),
    ],
)
def test_the_kind_a_question_asks_for(question: str, kind: Wanted | None) -> None:
    assert wants(question) == kind


@pytest.mark.parametrize(
    ("question", "said", "fits"),
    [  # the span in [brackets] within its passage
        ("How many pilots does Solvane employ?", "a fleet of [96 aircraft].", False),
        ("How many pilots does Solvane employ?", "a fleet of [96] aircraft.", False),
        ("How many pilots does Solvane employ?", "it operates [a fleet] of 96 aircraft", False),
        ("How many pilots does Solvane employ?", "It has [420] pilots.", True),
        (
            "How many pilots does Solvane employ?",
            "its [300 captains] and first officers (all pilots)",
            True,
        ),  # noqa: E501
        ("How many pilots does Solvane employ?", "It employs [dozens] of pilots.", True),
        ("How many pilots does Solvane employ?", "It employs [about a dozen] pilots.", True),
        ("How many pilots does Solvane employ?", "in [2025] it flew", False),  # a year
        ("How many jobs will be cut?", "[all existing contracts] will be honoured", False),
        ("How many staff work at the roastery?", "It employs [160 people].", True),
        ("How many Corby Fields staff voted?", "backed by [1,184 workers]", True),  # a name
        ("How many beavers were set free?", "The [14 animals], brought from", True),
        ("How many students were in the schools?", "tracked [14 schools with 11,800 pupils]", True),  # noqa: E501
        ("How many people were admitted?", "a [25 percent] rise in admissions", False),
        ("How many jobs will be cut?", "will have [27,000 employees] across", False),
        ("How many jobs will be cut?", "cutting [about 380 posts]", True),
        ("How many boats will the marina hold?", "room for [240 vessels] up to", True),
        ("How many boats will the marina hold?", "room for [240] vessels up to", True),
        ("How many boats will the marina hold?", "parking for [90 cars] and", False),
        ("How many votes did she receive?", "which holds [19 seats]", False),
        ("How many votes did she receive?", "gave her [4,812] to 4,803", True),
        ("How much did Solvane pay to cancel its order?", "rose [6.2 percent]", False),
        ("How much prize money did the champion collect?", "took [164,000 dollars]", True),
        ("What weekly wage will he earn?", "will wear the number [9 shirt].", False),
        ("How long has he been working underground?", "at [about 1,340 metres].", False),
        ("How long has he been working underground?", "for [31 years].", True),
        ("How long did the talks go on?", "for [nearly a decade].", True),
        ("How long will they stay?", "The talks will last [from Monday to Thursday].", True),
        ("How long will they stay?", "They will stay [until 14 March].", True),
        ("How long did the final last?", "won in [2:09:41] after", True),
        ("How long did the strike last?", "It hit [340 services] a day", False),
        ("How old is the director?", "the [Georgian-born] director", False),
        ("How old is the director?", "SARNAVELLE, September [13] — The director", False),
        ("How old is the director?", "the director, [52], said", True),
        ("How old is the wreck?", "the wreck is [about 410 years] old", True),  # not a person
        ("How long is the contract?", "signed him for [£34 million] on", False),
        ("How long is the contract?", "a [five-year] contract", True),
        ("How long is the bridge?", "the bridge, [1.2 km] from end to end", True),
        ("How long is the bridge?", "a bridge with [14 spans]", False),
        ("How old is the director?", "the director, [410], said", False),
        ("What percentage of voters turned out?", "with [4,812 votes]", False),
        ("By how much did the share price rise?", "rose [6.8 percent]", True),  # no kind
        ("Who is the bishop?", "A spokesman, [Father Conor Lyle], said", True),  # no kind
    ],
)
def test_whether_a_span_is_of_the_kind_asked_for(question: str, said: str, fits: bool) -> None:
    before, rest = said.split("[")
    span, after = rest.split("]")
    assert fits_kind(wants(question), span, before, after) is fits


def _reading(answer: float, *spans: tuple[int, int, float]) -> PassageReading:
    (start, end, score), *others = spans
    return PassageReading(answer, start, end, score, tuple(others))


def _span(text: str, words: str, score: float) -> tuple[int, int, float]:
    at = text.index(words)
    return at, at + len(words), score


def test_a_passage_with_a_span_of_the_kind_asked_for_reads_as_the_reader_read_it() -> None:
    text = "Halbrook was fined 186,000 pounds and must pay the costs within 56 days."
    wanted = wants("How long does Halbrook have to pay the prosecution's costs?")
    reading = _reading(2.0, _span(text, "186,000 pounds", 6.0), _span(text, "56 days", 3.5))
    assert of_kind(reading, text, wanted, penalty=3.0) is reading  # its quote stays


def test_a_passage_with_no_span_of_the_kind_reads_as_answering_less_well() -> None:
    wanted = wants("How many pilots does Solvane Airways employ?")
    reading = _reading(2.0, _span(AIRLINE, "96", 6.0), _span(AIRLINE, "around 9,400 people", 2.0))
    read = of_kind(reading, AIRLINE, wanted, penalty=3.0)
    assert read == replace(reading, unfit=3.0)  # same span, same place in the order
    assert of_kind(reading, AIRLINE, wanted, penalty=0.0).unfit == 0.0
    assert of_kind(reading, AIRLINE, None, penalty=3.0) is reading  # no kind asked: as read
