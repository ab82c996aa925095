"""The reader's order (rag/query/retrieval/rerank.py): its answer logit plus NEWSRAG_READER_PRIOR
times the log of the first stage's fused score. A passage retrieval ranked far down needs a
clearly better reading to lead; with the prior at 0 the reader alone decides."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from rag.core.reader_net import PassageReading, ReaderNet
from rag.core.types import Chunk, Hit, Retrieval
from rag.query.reading.read import NetReader
from rag.query.retrieval.rerank import Reranker, reader_key


def _hit(name: str, fused: float, answer: float) -> Hit:
    chunk = Chunk(f"{name}:0", name, 0, f"text of {name}", 0, 12, 0)
    return Hit(chunk, fused, reading=PassageReading(answer, -1, -1, float("-inf")))


TOP = _hit("retrieved-first", fused=0.075, answer=1.0)  # rank 1 of both rankings
DEEP = _hit("retrieved-deep", fused=0.02, answer=1.5)  # dense rank 30, not found by BM25
DEEPER_BUT_SURE = _hit("read-best", fused=0.02, answer=4.5)


def _order(prior: float, *hits: Hit) -> list[str]:
    # every hit already carries its reading, so the reranker reads nothing (no model here)
    return [h.chunk.article_id for h in Reranker(None, 24, prior).rerank("q", list(hits))]  # type: ignore[arg-type]


def test_the_first_stage_keeps_a_slightly_better_reading_from_leading() -> None:
    assert _order(0.0, TOP, DEEP) == ["retrieved-deep", "retrieved-first"]
    assert _order(2.0, TOP, DEEP) == ["retrieved-first", "retrieved-deep"]


def test_a_clearly_better_reading_still_leads() -> None:
    assert _order(2.0, TOP, DEEPER_BUT_SURE) == ["read-best", "retrieved-first"]


def test_the_key_is_the_logit_plus_the_weighted_log_score() -> None:
    assert reader_key(TOP, 0.0) == 1.0
    assert math.isclose(reader_key(TOP, 2.0), 1.0 + 2 * math.log(0.075))
    unread = Hit(TOP.chunk, 0.075)
    assert reader_key(unread, 2.0) == float("-inf")


def test_a_short_answer_leads_only_when_its_own_passage_is_answered() -> None:
    """The refusal reads the best answer probability among the passages; the short answer
    needs its own passage's: here the passage the first stage keeps first reads as no answer
    (0.03) with a confident span, and a passage far down reads 0.30."""
    net = ReaderNet()
    text = "Mayor Ann Lee opened the Riverside bridge on Monday."
    first = replace(
        _hit("first", fused=0.075, answer=-4.0),
        chunk=Chunk("first:0", "first", 0, text, 0, len(text), 0),
        reading=PassageReading(-4.0, 6, 13, 50.0),  # "Ann Lee", sure of the span
    )
    other = replace(
        _hit("other", fused=0.0025, answer=-1.0),
        chunk=Chunk("other:0", "other", 0, "The bridge cost 5 million dollars.", 0, 34, 0),
    )
    reading = NetReader(net, prior=2.0).read(Retrieval("Who opened it?", [], [first, other]))
    assert reading.ranked[0].candidate.text == text  # the first stage's pick leads the quotes
    assert reading.confidence == pytest.approx(net.card.answer_probability(-1.0))
    assert reading.confidence >= net.card.answer_threshold  # answered, not refused
    assert net.card.span_probability(50.0) >= net.card.span_threshold
    assert reading.short == ""  # but "Ann Lee" is not put first: its passage reads 0.03


def test_a_passage_with_no_span_of_the_asked_kind_lowers_the_confidence_not_the_order() -> None:
    """'How many pilots ...?' over a sentence whose spans count aircraft and people: the
    passage keeps its place and its quote, but answers the question less well (``unfit``), so
    the confidence that decides refusal is read from the lowered logit."""
    net = ReaderNet()
    text = "The airline employs around 9,400 people and operates a fleet of 96 aircraft."
    chunk = Chunk("air:0", "air", 0, text, 0, len(text), 0)
    at = text.index("96 aircraft")
    read = PassageReading(0.5, at, at + len("96 aircraft"), 1.0)
    retrieval = Retrieval("How many pilots does it employ?", [], [Hit(chunk, 0.05, reading=read)])
    asked = NetReader(net).read(retrieval)
    unfit = NetReader(net).read(
        Retrieval(retrieval.question, [], [Hit(chunk, 0.05, reading=replace(read, unfit=3.0))])
    )  # noqa: E501
    assert unfit.ranked[0].candidate.text == asked.ranked[0].candidate.text == text
    assert asked.confidence == pytest.approx(net.card.answer_probability(0.5))
    assert unfit.confidence == pytest.approx(net.card.answer_probability(-2.5))
    assert unfit.confidence < net.card.answer_threshold <= asked.confidence  # refused


def _plain(name: str, text: str, fused: float) -> Hit:
    return Hit(Chunk(f"{name}:0", name, 0, text, 0, len(text), 0), fused)


def _staged(hits: list[Hit]) -> tuple[list[Hit], int]:
    """The reranker reading 4 passages first and the rest of 10 only when none of the 4 answers
    with probability 0.6 (the fast lane's reader: word overlap); how many passages it read."""
    net = ReaderNet()
    read = net.read
    passages_read = []

    def counting(question: str, passages: list, batch_size: int = 16) -> list:
        passages_read.extend(passages)
        return read(question, passages, batch_size)

    net.read = counting  # type: ignore[method-assign]
    ranked = Reranker(net, 10, 0.0, 0.0, first=4, enough=0.6).rerank(
        "Who won the harbour race?", hits
    )
    return ranked, len(passages_read)


OFF_TOPIC = [
    _plain(f"other{i}", f"Rain is expected on day {i}.", 0.05 - i / 1000) for i in range(9)
]


def test_a_sure_answer_among_the_first_passages_spares_the_rest() -> None:
    sure = _plain("sure", "Lena Ortiz won the harbour race on Sunday.", 0.06)
    ranked, n = _staged([sure, *OFF_TOPIC])
    assert n == 4
    assert [h.chunk.article_id for h in ranked[:1]] == ["sure"]
    assert [h.reading is None for h in ranked] == [False] * 4 + [True] * 6
    assert [h.chunk.article_id for h in ranked[4:]] == [f"other{i}" for i in range(3, 9)]


def test_without_a_sure_answer_the_rest_are_read_and_may_lead() -> None:
    late = _plain("late", "Lena Ortiz won the harbour race on Sunday.", 0.01)
    ranked, n = _staged([*OFF_TOPIC, late])
    assert n == 10
    assert ranked[0].chunk.article_id == "late"
    assert all(h.reading is not None for h in ranked)
