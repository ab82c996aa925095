"""The pure scoring functions of eval.metrics on hand-made cases with known answers."""

import pytest

from eval.metrics import (
    CitationScores,
    RetrievalScores,
    choose,
    citation_scores,
    contains_answer,
    exact_match,
    normalize,
    percentile,
    retrieval_scores,
    token_f1,
)
from rag.core.types import Citation

OPENED = "Talks opened in Rawalpindi."  # ARTICLE[0:27]
LED = "They were led by Lt. Gen. Mohammed Saeed."  # ARTICLE[28:69]
ARTICLE = f"{OPENED} {LED}"


def cite(marker: int, article_id: str, quote: str, start: int, end: int) -> Citation:
    return Citation(
        marker, article_id, "t", "u", "2024-01-01", f"{article_id}:0", quote, start, end
    )


def test_fixture_offsets() -> None:
    assert ARTICLE[0:27] == OPENED and ARTICLE[28:69] == LED


# --- normalize / contains_answer (unchanged behaviour) ---


def test_normalize_strips_case_punctuation_articles_and_curly_quotes() -> None:
    assert normalize("The  “Big” Deal—an Update!") == "big deal update"


def test_contains_answer_needs_word_bounds() -> None:
    assert contains_answer("led by Lt. Gen. Mohammed Saeed", ["Mohammed Saeed"])
    assert not contains_answer("a catalogue", ["cat"])
    assert not contains_answer("anything", [""])


# --- token_f1 / exact_match ---


def test_token_f1_partial_overlap() -> None:
    # pred {cat, sat}, gold {cat, sat, down}: P = 1, R = 2/3, F1 = 0.8
    assert token_f1("the cat sat", ["cat sat down"]) == pytest.approx(0.8)


def test_token_f1_takes_best_gold_and_counts_repeats_once_each() -> None:
    assert token_f1("cat sat", ["dog", "cat sat down", "the cat sat."]) == pytest.approx(1.0)
    # pred [cat, cat], gold [cat]: one common token, P = 1/2, R = 1, F1 = 2/3
    assert token_f1("cat cat", ["cat"]) == pytest.approx(2 / 3)


def test_token_f1_no_overlap_and_no_golds() -> None:
    assert token_f1("cat", ["dog"]) == 0.0
    assert token_f1("cat", []) == 0.0


def test_exact_match_normalized() -> None:
    assert exact_match("The Cat!", ["dog", "cat"]) is True
    assert exact_match("cat sat", ["cat"]) is False
    assert exact_match("cat", []) is False


# --- choose ---

CHOICES = ["London", "Paris", "Not enough information.", "New York City"]


def test_choose_refusal_picks_not_enough_information() -> None:
    assert choose("I cannot answer from the articles.", CHOICES, refused=True) == 2


def test_choose_refusal_without_such_option_is_none() -> None:
    assert choose("I cannot answer.", ["London", "Paris"], refused=True) is None


def test_choose_contained_choice() -> None:
    assert choose("The summit was held in Paris [1].", CHOICES, refused=False) == 1


def test_choose_longest_contained_match_wins() -> None:
    choices = ["York", "New York City", "Not enough information"]
    assert choose("It happened in New York City.", choices, refused=False) == 1


def test_choose_falls_back_to_best_token_f1() -> None:
    # No choice is contained; "New York City" shares "new york" (F1 0.8), "London" nothing.
    assert choose("in new york", CHOICES, refused=False) == 3


def test_choose_never_picks_not_enough_information_for_an_answer() -> None:
    assert choose("There is not enough information here.", CHOICES, refused=False) is None
    assert choose("Berlin", CHOICES, refused=False) is None


# --- retrieval_scores ---


def test_retrieval_scores_gold_at_rank_three() -> None:
    ids = ["x", "y", "g1", "z", "g2"]
    texts = ["nothing", "still nothing", "It was led by Mohammed Saeed.", "no", "Saeed"]
    scores = retrieval_scores(ids, texts, ["g1", "g2"], ["Mohammed Saeed"], ks=(1, 2, 3, 5))
    assert scores == RetrievalScores(
        answer_in_top={1: False, 2: False, 3: True, 5: True},
        recall={1: 0.0, 2: 0.0, 3: 0.5, 5: 1.0},
        mrr=pytest.approx(1 / 3),
    )


def test_retrieval_scores_default_ks_and_duplicate_ids() -> None:
    scores = retrieval_scores(["g", "g", "x"], ["a", "b", "c"], ["g", "g"], ["zzz"])
    assert scores.recall == {1: 1.0, 3: 1.0, 5: 1.0, 10: 1.0}
    assert scores.answer_in_top == {1: False, 3: False, 5: False, 10: False}
    assert scores.mrr == 1.0


def test_retrieval_scores_no_gold_and_no_hit() -> None:
    scores = retrieval_scores(["a", "b"], ["Saeed", "b"], [], ["Saeed"], ks=(1,))
    assert scores == RetrievalScores(answer_in_top={1: True}, recall={1: 0.0}, mrr=0.0)
    assert retrieval_scores(["a"], ["a"], ["g"], [], ks=(2,)).mrr == 0.0


# --- citation_scores ---


def test_citation_scores_all_good() -> None:
    citations = [cite(1, "gold", LED, 28, 69)]
    scores = citation_scores("Mohammed Saeed [1].", citations, ["gold"], ["x"], {"gold": ARTICLE})
    assert scores == CitationScores(
        n=1, correct=1, has_correct=True, invalid_markers=0, bad_offsets=0
    )


def test_citation_scores_out_of_range_marker_and_wrong_offset() -> None:
    citations = [
        # not gold, but the quote holds an accepted answer -> correct; offsets right
        cite(1, "other", LED, 28, 69),
        # neither gold nor quoting an answer; offsets off by one -> bad offset
        cite(2, "other", OPENED, 1, 28),
    ]
    text = "Saeed led them [1] in Rawalpindi [2][3], as reported [1, 4] and [2,5]."
    scores = citation_scores(text, citations, ["gold"], ["Mohammed Saeed"], {"other": ARTICLE})
    assert scores == CitationScores(
        n=2, correct=1, has_correct=True, invalid_markers=3, bad_offsets=1
    )


def test_citation_scores_missing_article_and_nothing_correct() -> None:
    citations = [cite(1, "gone", "Talks opened", 0, 12)]
    scores = citation_scores("Talks [1]", citations, ["gold"], ["Saeed"], {"other": ARTICLE})
    assert scores == CitationScores(
        n=1, correct=0, has_correct=False, invalid_markers=0, bad_offsets=1
    )


def test_citation_scores_no_citations() -> None:
    scores = citation_scores("Answer [1].", [], ["gold"], ["Saeed"], {})
    assert scores == CitationScores(
        n=0, correct=0, has_correct=False, invalid_markers=1, bad_offsets=0
    )


# --- percentile ---


@pytest.mark.parametrize(
    ("values", "p", "expected"),
    [
        ([4.0, 1.0, 3.0, 2.0], 50, 2.5),
        ([1.0, 2.0, 3.0, 4.0], 90, 3.7),
        ([10.0, 20.0, 30.0], 25, 15.0),
        ([10.0, 20.0, 30.0], 0, 10.0),
        ([10.0, 20.0, 30.0], 100, 30.0),
        ([7.0], 95, 7.0),
        ([], 50, 0.0),
    ],
)
def test_percentile_linear_interpolation(values: list[float], p: float, expected: float) -> None:
    assert percentile(values, p) == pytest.approx(expected)


def test_percentile_rejects_p_out_of_range() -> None:
    with pytest.raises(ValueError):
        percentile([1.0], 101)
