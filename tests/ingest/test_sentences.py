from rag.core.text import sentence_spans, sentences


def test_titles_acronyms_and_initials_stay_inside_one_sentence() -> None:
    text = (
        "The Pakistani team, led by Lt. Gen. Mohammed Saeed, Chief of General Staff, arrived "
        "in the U.S. capital on Sunday afternoon. Two major generals came. J. K. Rowling wrote."
    )
    assert sentences(text) == [
        "The Pakistani team, led by Lt. Gen. Mohammed Saeed, Chief of General Staff, arrived in "
        "the U.S. capital on Sunday afternoon.",
        "Two major generals came.",
        "J. K. Rowling wrote.",
    ]


def test_acronym_before_a_sentence_starter_ends_the_sentence() -> None:
    assert sentences("He flew to the U.S. The talks began.") == [
        "He flew to the U.S.",
        "The talks began.",
    ]


def test_closing_quotes_and_question_marks() -> None:
    assert sentences("Mr. Smith said “Go.” Then he left! Really? Yes.") == [
        "Mr. Smith said “Go.”",
        "Then he left!",
        "Really?",
        "Yes.",
    ]


def test_line_breaks_end_sentences_and_offsets_are_exact() -> None:
    text = "Counterterrorism dialogue next month\n\n  The newspaper also said so.  \nExit"
    spans = sentence_spans(text)
    assert [text[s:e] for s, e in spans] == [
        "Counterterrorism dialogue next month",
        "The newspaper also said so.",
        "Exit",
    ]
    assert spans[1] == (text.index("The"), text.index("so.") + 3)


def test_lowercase_after_period_does_not_split() -> None:
    assert sentences("It rose 5 p.m. yesterday. Fine.") == ["It rose 5 p.m. yesterday.", "Fine."]
