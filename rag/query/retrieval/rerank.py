"""The reader reranks the first stage's candidates: every passage of the fused top N is read
with the question (rag.core.reader_net) and the hits are put in the reader's order (its answer
logit plus ``prior`` times the log of the fused score: ``reader_key``), each carrying its
verdict (``Hit.reading``) for the answer stage, which then reads nothing again.

Usage: ``hits = Reranker(net).rerank("Who ...?", fused_hits)``
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace

from rag.core.reader_net import Passage, ReaderNet, header_of
from rag.core.types import Hit


class Reranker:
    """Reads the first ``candidates`` hits and puts them in the reader's order (``reader_key``);
    the hits past ``candidates`` follow unread, in their first-stage order."""

    def __init__(self, net: ReaderNet, candidates: int | None = None, prior: float = 0.0) -> None:
        self.net = net
        self.candidates = candidates or net.card.candidates
        self.prior = prior

    def rerank(self, question: str, hits: Sequence[Hit]) -> list[Hit]:
        head, tail = list(hits[: self.candidates]), list(hits[self.candidates :])
        read = read_hits(self.net, question, head)
        read.sort(key=lambda h: -reader_key(h, self.prior))
        return read + tail


def reader_key(hit: Hit, prior: float = 0.0) -> float:
    """The reader's order: its answer logit plus ``prior`` times the log of the first stage's
    fused score (a passage retrieval ranks far down needs a stronger reading to lead)."""
    if hit.reading is None:
        return float("-inf")
    return hit.reading.answer + (prior * math.log(max(hit.score, 1e-12)) if prior else 0.0)


def read_hits(net: ReaderNet, question: str, hits: Sequence[Hit]) -> list[Hit]:
    """``hits`` with the reader's verdict attached (hits already read keep theirs)."""
    todo = [h for h in hits if h.reading is None]
    if not todo:
        return list(hits)
    passages = [Passage(h.chunk.text, header_of(h.title, h.published)) for h in todo]
    verdicts = dict(zip((id(h) for h in todo), net.read(question, passages), strict=True))
    return [h if h.reading is not None else replace(h, reading=verdicts[id(h)]) for h in hits]
