"""Acronym questions: which acronym is asked, and the long form the text defines for it."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.assistant import Assistant
from rag.core.settings import Settings
from rag.query.acronyms import asked_acronym, defined_in
from tests.fakes import HashingEmbedder


@pytest.mark.parametrize(
    ("question", "acronym"),
    [
        ("What does TIFA stand for?", "TIFA"),
        ("what does WHO stand for", "WHO"),
        ("What is NATO short for?", "NATO"),
        ("What does the acronym U.S.M.C. stand for?", "USMC"),
        ("What does it stand for?", ""),  # no acronym
        ("Who leads TIFA?", ""),  # not an expansion question
        ("What is the full name behind the acronym TIFA?", "TIFA"),
        ("TIFA is an abbreviation of what?", "TIFA"),
        ("What is NATO when spelled out?", "NATO"),
        ("Which agreement does TIFA abbreviate?", ""),  # no hint word: read as usual
        ("What is the full name of the trade pact?", ""),  # a hint word but no acronym
    ],
)
def test_the_asked_acronym(question: str, acronym: str) -> None:
    assert asked_acronym(question) == acronym


TEXT = (
    "I think the Trade and Investment Framework Agreement (TIFA) talks will happen soon. "
    "The World Health Organization (WHO) agreed, as did the big regional body (NATO)."
)


@pytest.mark.parametrize(
    ("acronym", "long_form"),
    [
        ("TIFA", "Trade and Investment Framework Agreement"),  # "and" skipped
        ("WHO", "World Health Organization"),
        ("NATO", None),  # in parentheses, but the words before do not spell it
        ("FBI", None),  # not in the text
    ],
)
def test_the_long_form_is_the_words_that_spell_it(acronym: str, long_form: str | None) -> None:
    span = defined_in(acronym, TEXT)
    assert (TEXT[span[0] : span[1]] if span else None) == long_form


def test_an_acronym_question_is_answered_with_the_long_form_and_its_sentence(
    tmp_path: Path,
) -> None:
    article = tmp_path / "talks.txt"
    article.write_text(
        "Trade talks set for February\n\nISLAMABAD, Jan. 9 — Officials said on Monday that "
        "the Trade and Investment Framework Agreement (TIFA) talks will happen in Washington "
        "in the last week of February.\n\nThe delegation will be led by the commerce minister.",
        encoding="utf-8",
    )
    assistant = Assistant(Settings(home=tmp_path / "s"), embeddings=HashingEmbedder())
    assistant.ingest([article])
    answer = assistant.ask("What does TIFA stand for?")
    assert not answer.refused
    assert answer.short_answer == "Trade and Investment Framework Agreement"
    assert "(TIFA) talks will happen in Washington" in answer.citations[0].quote
