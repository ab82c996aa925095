"""Eval scores markers with the product's own grammar: every bracket the product cites and
links is the bracket eval strips and counts (``[1; 2]`` and ``[ 3 ]`` included)."""

from __future__ import annotations

import pytest

from eval.datasets import GoldQuestion
from eval.score import score
from rag.core.citations import MarkerFilter, parse_markers
from rag.core.types import Answer, Chunk, Citation, Hit, Retrieval
from rag.faces.render import answer_markdown

ARTICLE = "Talks opened in Rawalpindi. They were led by Lt. Gen. Mohammed Saeed."
LED = ARTICLE[28:]
GOLD = GoldQuestion(
    id="q1",
    question="Who led them?",
    answers=["Mohammed Saeed"],
    article_ids=["a"],
    unanswerable=False,
    answer_in_text=True,
)
CHUNK = Chunk("a:0", "a", 0, ARTICLE, 0, len(ARTICLE), 16)


def cite(marker: int) -> Citation:
    return Citation(marker, "a", "t", "u", "2024-01-01", "a:0", LED, 28, len(ARTICLE))


@pytest.mark.parametrize(
    ("marker", "numbers"),
    [("[1]", [1]), ("[1, 2]", [1, 2]), ("[1; 2]", [1, 2]), ("[ 3 ]", [3]), ("[1,2; 3]", [1, 2, 3])],
)
def test_product_and_eval_read_the_same_markers(marker: str, numbers: list[int]) -> None:
    text = f"Mohammed Saeed {marker}"
    # the product: the stream filter passes the marker (3 sources), the renderer links it
    stream = MarkerFilter(n_sources=3)
    assert stream.feed(text) + stream.flush() == text and stream.dropped == []
    assert [n for m in parse_markers(text) for n in m.numbers] == numbers
    answer = Answer(question=GOLD.question, text=text, refused=False, citations=[cite(1)])
    assert answer_markdown(answer).count("](#source-1)") == (1 in numbers)
    # eval: the marker is not part of the answer, and numbers without a citation are invalid
    retrieval = Retrieval(GOLD.question, [], [Hit(CHUNK, 0.9)])
    scores = score(GOLD, answer, retrieval, {"a": ARTICLE})
    assert scores["em"] is True and scores["f1"] == 1.0 and scores["correct"] is True
    assert scores["invalid_markers"] == len([n for n in numbers if n != 1])
    assert scores["bad_offsets"] == 0


def test_a_quote_off_its_offsets_is_a_bad_offset() -> None:
    moved = Citation(1, "a", "t", "u", "", "a:0", LED, 27, len(ARTICLE) - 1)
    answer = Answer(question="q", text="Mohammed Saeed [1]", refused=False, citations=[moved])
    scores = score(GOLD, answer, Retrieval("q", [], []), {"a": ARTICLE})
    assert scores["bad_offsets"] == 1 and scores["invalid_markers"] == 0


@pytest.mark.parametrize(
    ("short", "refused", "shown", "right"),
    [
        ("Mohammed Saeed", False, True, True),
        ("Rawalpindi", False, True, False),  # a wrong short answer is shown, not right
        ("", False, False, False),  # quotes alone: nothing shown
        ("Mohammed Saeed", True, False, False),  # a refusal shows no short answer
    ],
)
def test_the_short_answer_and_the_first_quote_are_scored(
    short: str, refused: bool, shown: bool, right: bool
) -> None:
    text = f"{short} — {LED} [1]" if short else f"{LED} [1]"
    answer = Answer(
        question=GOLD.question, text=text, refused=refused, citations=[cite(1)], short_answer=short
    )
    scores = score(GOLD, answer, Retrieval("q", [], [Hit(CHUNK, 0.9)]), {"a": ARTICLE})
    assert (scores["short_shown"], scores["short_right"]) == (shown, right)
    assert scores["first_quote"] is (not refused)  # the quote holds "Mohammed Saeed"
    assert scores["quoted"] is (not refused)


def test_an_answer_whose_quotes_do_not_hold_the_name_it_gives_is_not_quoted() -> None:
    lead = ARTICLE[:27]  # "Talks opened in Rawalpindi."
    citation = Citation(1, "a", "t", "u", "2024-01-01", "a:0", lead, 0, 27)
    answer = Answer(
        question=GOLD.question,
        text=f"Mohammed Saeed — {lead} [1]",
        refused=False,
        citations=[citation],
    )
    scores = score(GOLD, answer, Retrieval("q", [], [Hit(CHUNK, 0.9)]), {"a": ARTICLE})
    assert scores["contains"] and scores["correct"]  # named, citing the gold article
    assert not scores["quoted"]
