"""The reader reranks the first stage's candidates: every passage of the fused top N is read
with the question (rag.core.reader_net) and the hits are put in the reader's order (its answer
logit plus ``prior`` times the log of the fused score: ``reader_key``), each carrying its
verdict (``Hit.reading``) for the answer stage, which then reads nothing again. A passage none
of whose five best spans is of the kind the question asks for (rag.core.kinds: "How much did it
pay?" and "25 percent") counts as answering less well where the answer stage decides whether
the question is answered at all (its answer logit lowered by ``kind_penalty`` there:
``PassageReading.unfit``); its place in the order and its quote stay the reader's. (Answering
with the passage's best span of the asked kind instead was measured: it changed quotes for the
worse on the blind sets.)

Read in two rounds when ``first`` is set: the first ``first`` candidates, then the rest only
when none of those is read as an answer with probability ``enough`` (a question answered
surely from the top of the first stage costs a third of the reading).

Usage: ``hits = Reranker(net).rerank("Who ...?", fused_hits)``
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace

from rag.core.kinds import Wanted, span_fits, wants
from rag.core.reader_net import Passage, PassageReading, ReaderNet, header_of
from rag.core.types import Hit


class Reranker:
    """Reads the first ``candidates`` hits and puts them in the reader's order (``reader_key``);
    the hits it did not read follow, in their first-stage order. With ``first`` (0: off) it
    reads the first ``first`` hits, and the rest of the ``candidates`` only when no passage
    read so far answers with probability ``enough``."""

    def __init__(
        self,
        net: ReaderNet,
        candidates: int | None = None,
        prior: float = 0.0,
        kind_penalty: float = 0.0,
        first: int = 0,
        enough: float = 1.0,
    ) -> None:
        self.net = net
        self.candidates = candidates or net.card.candidates
        self.prior = prior
        self.kind_penalty = kind_penalty
        self.first = first
        self.enough = enough

    def rerank(self, question: str, hits: Sequence[Hit]) -> list[Hit]:
        head, tail = list(hits[: self.candidates]), list(hits[self.candidates :])
        cut = self.first if 0 < self.first < len(head) else len(head)
        read = read_hits(self.net, question, head[:cut], self.kind_penalty)
        if cut < len(head) and not self.answered(read):
            read += read_hits(self.net, question, head[cut:], self.kind_penalty)
        else:
            tail = head[cut:] + tail
        read.sort(key=lambda h: -reader_key(h, self.prior))
        return read + tail

    def answered(self, hits: Sequence[Hit]) -> bool:
        """Whether a passage of ``hits`` is read as an answer with probability ``enough``
        (its answer logit less its ``unfit`` penalty, as the answer stage reads it)."""
        card = self.net.card
        return any(
            card.answer_probability(h.reading.answer - h.reading.unfit) >= self.enough
            for h in hits
            if h.reading is not None
        )


def reader_key(hit: Hit, prior: float = 0.0) -> float:
    """The reader's order: its answer logit plus ``prior`` times the log of the first stage's
    fused score (a passage retrieval ranks far down needs a stronger reading to lead)."""
    if hit.reading is None:
        return float("-inf")
    return hit.reading.answer + (prior * math.log(max(hit.score, 1e-12)) if prior else 0.0)


def read_hits(
    net: ReaderNet, question: str, hits: Sequence[Hit], kind_penalty: float = 0.0
) -> list[Hit]:
    """``hits`` with the reader's verdict attached (hits already read keep theirs), each
    ``of_kind`` the question asks for when ``kind_penalty`` is set."""
    todo = [h for h in hits if h.reading is None]
    if not todo:
        return list(hits)
    passages = [Passage(h.chunk.text, header_of(h.title, h.published)) for h in todo]
    wanted = wants(question) if kind_penalty else None
    readings = [
        of_kind(r, p.text, wanted, kind_penalty)
        for r, p in zip(net.read(question, passages), passages, strict=True)
    ]
    verdicts = dict(zip((id(h) for h in todo), readings, strict=True))
    return [h if h.reading is not None else replace(h, reading=verdicts[id(h)]) for h in hits]


def of_kind(
    reading: PassageReading, text: str, wanted: Wanted | None, penalty: float
) -> PassageReading:
    """``reading`` of a passage ``text``, ``unfit`` by ``penalty`` when none of its spans is of
    the ``wanted`` kind."""
    if wanted is None or reading.start < 0:
        return reading
    for start, end, _ in [(reading.start, reading.end, reading.span), *reading.others]:
        if start >= 0 and span_fits(wanted, text, start, end):
            return reading
    return replace(reading, unfit=penalty)
