"""The reader model's contract: how pairs are encoded, how a span is chosen, the card that
guards the file, and (slow lane) the shipped int8 model answering and refusing."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from rag.assistant import Assistant
from rag.core.errors import ConfigError
from rag.core.reader_net import (
    CARD,
    Passage,
    ReaderCard,
    ReaderNet,
    best_spans,
    encode,
    header_of,
    load_tokenizer,
    models_dir,
    ranked_spans,
    whole_words,
)
from rag.query.reading.read import clean_span

TEXT = "Mayor Ann Lee opened the Riverside bridge on Monday. It cost 5 million dollars."


@pytest.fixture(scope="module")
def tokenizer() -> object:
    return load_tokenizer(models_dir() / "all-MiniLM-L6-v2" / "tokenizer.json")


def test_passage_tokens_map_to_their_characters_and_nothing_else_does(tokenizer: object) -> None:
    header = header_of("Mayor opens bridge", "2023-02-12T08:00:00")
    assert header == "Mayor opens bridge · 2023-02-12"
    enc = encode(tokenizer, "Who opened the bridge?", [Passage(TEXT, header), Passage("Short.")])
    assert enc.ids.shape == enc.char_start.shape and enc.ids.shape[0] == 2
    row = [(int(a), int(b)) for a, b in zip(enc.char_start[0], enc.char_end[0], strict=True)]
    inside = [(a, b) for a, b in row if a >= 0]
    assert [TEXT[a:b].lower() for a, b in inside][:4] == ["mayor", "ann", "lee", "opened"]
    words = tokenizer.encode("Who opened the bridge?", add_special_tokens=False).ids
    header_ids = tokenizer.encode(header, add_special_tokens=False).ids
    first = 1 + len(words) + 1 + len(header_ids)  # [CLS] question [SEP] header
    assert all(a == -1 for a, _ in row[:first]) and row[first] == (0, 5)
    assert int(enc.mask[1].sum()) < enc.mask.shape[1]  # the short passage is padded


def test_a_long_question_is_cut_and_the_passage_fits_the_model(tokenizer: object) -> None:
    question = "Who " + "really " * 200 + "opened it?"
    enc = encode(tokenizer, question, [Passage(TEXT * 30)])
    assert enc.ids.shape[1] == 256
    assert (enc.char_start[0] >= 0).sum() > 100  # the passage keeps most of the room


def test_a_question_longer_than_the_model_input_is_cut_not_an_error(tokenizer: object) -> None:
    """A question the API takes (under 2,000 characters) can hold more tokens than the model
    reads at all; cutting it must not trip the tokenizer's own truncation."""
    question = "Who " + "really " * 270 + "opened it?"
    assert len(question) < 2000
    enc = encode(tokenizer, question, [Passage(TEXT)])
    passage = int((enc.char_start[0] >= 0).sum())
    assert passage == len(tokenizer.encode(TEXT, add_special_tokens=False).ids)
    assert int(enc.mask[0].sum()) == 1 + 64 + 1 + passage + 1  # the question cut to 64 tokens


def test_the_best_span_is_the_highest_start_end_pair_in_the_passage(tokenizer: object) -> None:
    enc = encode(tokenizer, "Who opened the bridge?", [Passage(TEXT)])
    n = enc.ids.shape[1]
    start, end = np.zeros((1, n)), np.zeros((1, n))
    cols = [i for i in range(n) if enc.char_start[0, i] >= 0]
    ann, lee = cols[1], cols[2]
    start[0, ann], end[0, lee] = 5.0, 4.0
    start[0, 3] = 50.0  # a question token cannot start the answer
    start[0, cols[0]], end[0, cols[0]] = -100.0, 30.0  # an end before its start does not count
    ((s, e, score),) = best_spans(start, end, enc)
    assert TEXT[s:e] == "Ann Lee"
    assert score == pytest.approx(9.0 - (start[0, 0] + end[0, 0]))


def test_the_next_spans_are_the_best_that_do_not_overlap_the_ones_before(tokenizer: object) -> None:
    enc = encode(tokenizer, "Who opened the bridge?", [Passage(TEXT)])
    n = enc.ids.shape[1]
    start, end = np.zeros((1, n)), np.zeros((1, n))
    cols = [i for i in range(n) if enc.char_start[0, i] >= 0]
    words = [TEXT[enc.char_start[0, i] : enc.char_end[0, i]] for i in cols]
    ann, lee, five = cols[1], cols[2], cols[words.index("5")]
    start[0, ann], end[0, lee] = 5.0, 4.0  # "Ann Lee": 9
    start[0, lee] = 4.5  # "Lee" alone: 8.5, inside the best span
    start[0, five], end[0, five + 2] = 3.0, 3.0  # "5 million dollars": 6
    ((best, *others),) = ranked_spans(start, end, enc, 3)
    assert TEXT[best[0] : best[1]] == "Ann Lee"
    assert TEXT[others[0][0] : others[0][1]] == "5 million dollars"
    assert others[0][2] == pytest.approx(6.0 - (start[0, 0] + end[0, 0]))
    spans = [best, *others]
    assert len(spans) == 3 and spans[2][2] <= spans[1][2]
    pairs = [(x, y) for i, x in enumerate(spans) for y in spans[i + 1 :]]
    assert not any(a < d and c < b for (a, b, _), (c, d, _) in pairs)  # none overlap
    assert ranked_spans(start, end, enc, 1) == [[best_spans(start, end, enc)[0]]]


def test_a_card_of_another_format_or_a_missing_file_is_one_clear_line(tmp_path: Path) -> None:
    card = json.loads((models_dir() / CARD).read_text())
    old = tmp_path / "old.json"
    old.write_text(json.dumps({**card, "format": 0}))
    with pytest.raises(ConfigError, match=r"reader format 0 with max_tokens 256; this newsrag"):
        ReaderCard.load(old)
    (tmp_path / "all-MiniLM-L6-v2").mkdir()
    moved = tmp_path / CARD
    moved.write_text(json.dumps(card))
    with pytest.raises(ConfigError, match=r"reader-minilm-int8.onnx: reader file missing"):
        ReaderNet(moved)._load_now()
    with pytest.raises(ConfigError, match="cannot read the reader card"):
        ReaderCard.load(tmp_path / "nothing.json")
    (tmp_path / card["file"]).symlink_to(models_dir() / card["file"])
    moved.write_text(json.dumps({**card, "members": ["reader-minilm-int8-9.onnx"]}))
    with pytest.raises(ConfigError, match=r"reader-minilm-int8-9.onnx: reader file missing"):
        ReaderNet(moved)._load_now()


@pytest.mark.parametrize(
    ("span", "whole"),
    [
        ("204", "61,204"),  # the model started inside the number
        ("204 spectators", "61,204 spectators"),
        ("61,2", "61,204"),
        ("5 km", "3.5 km"),
        ("Okon", "Okonedo"),
        ("spectators", "spectators"),  # a whole word stays; the comma after it is not taken
    ],
)
def test_a_span_is_widened_to_whole_words_and_numbers(span: str, whole: str) -> None:
    text = "in front of 61,204 spectators, 3.5 km away. Okonedo said."
    start = text.index(span)
    s, e = whole_words(text, start, start + len(span))
    assert text[s:e] == whole
    assert whole_words(text, -1, -1) == (-1, -1)


@pytest.mark.parametrize(
    ("text", "span", "whole"),
    [
        (
            "The farm's one hundred and eight turbines",
            "eight turbines",
            "one hundred and eight turbines",
        ),  # noqa: E501
        ("about twenty-five people", "five people", "twenty-five people"),
        (
            "two thousand three hundred seats",
            "three hundred seats",
            "two thousand three hundred seats",
        ),  # noqa: E501
        ("She won two and lost eight games", "eight games", "eight games"),  # two numbers
        ("It took 8 hours", "8 hours", "8 hours"),
    ],
)
def test_a_number_spelled_out_in_words_is_taken_whole(text: str, span: str, whole: str) -> None:
    start = text.index(span)
    s, e = whole_words(text, start, start + len(span))
    assert text[s:e] == whole


def test_a_span_loses_stray_punctuation_at_its_edges() -> None:
    assert clean_span(" “Lt. Gen. Mohammed Saeed,”") == "Lt. Gen. Mohammed Saeed"
    assert clean_span("(5 million dollars).") == "5 million dollars"
    assert clean_span("U.S.") == "U.S."


@pytest.mark.slow
def test_the_shipped_reader_answers_the_sample_and_refuses_what_the_article_does_not_say(
    seeded: Assistant,
) -> None:
    answer = seeded.ask("Who leads the Pakistani delegation?")
    assert not answer.refused
    assert any("Mohammed Saeed" in c.quote for c in answer.citations)
    for c in answer.citations:
        assert seeded.get_article(c.article_id).text[c.start : c.end] == c.quote
    for question in (
        "Who leads the Indian delegation?",
        "How much did the delegation's hotel cost?",
    ):
        refusal = seeded.ask(question)
        assert refusal.refused and refusal.citations == [], question


@pytest.mark.slow
def test_a_passage_reads_the_same_whatever_else_was_retrieved() -> None:
    """The int8 model scales its activations per run: read in a batch, a passage's logits would
    move with its neighbours'. Read alone (NEWSRAG_READER_BATCH=1), its verdict is its own."""
    net = ReaderNet(batch_size=1)
    passages = [
        Passage(TEXT, header_of("Bridge opens", "2026-03-02")),
        Passage("Rain is expected all week. " * 20, ""),
        Passage("The council met on Tuesday and voted 6-3 to close the old ferry.", ""),
    ]
    question = "Who opened the Riverside bridge?"
    alone = net.read(question, passages[:1])[0]
    among = net.read(question, passages)[0]
    reordered = net.read(question, passages[::-1])[-1]
    assert alone == among == reordered
    assert TEXT[alone.start : alone.end] == "Ann Lee"
    batched = net.read(question, passages, batch_size=3)[0]  # a batch: its scale
    assert batched.answer != alone.answer
    one_thread = ReaderNet(batch_size=1, threads=1).read(question, passages)  # in turn
    side_by_side = ReaderNet(batch_size=1, threads=2).read(question, passages)  # two at once
    assert [(r.start, r.end, r.span) for r in one_thread] == [
        (r.start, r.end, r.span) for r in side_by_side
    ]
    assert [r.answer for r in side_by_side] == pytest.approx([r.answer for r in one_thread])
