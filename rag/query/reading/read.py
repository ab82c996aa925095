"""The offline reader of the answer path, on the project's reader model (rag.core.reader_net):
the passages are ranked in the reader's order (its answer logit plus NEWSRAG_READER_PRIOR times
the log of the fused retrieval score: rag.query.retrieval.rerank.reader_key; read once, at
retrieval, when the reranker ran), the quoted sentence is the one holding the first passage's
answer span, the short answer is that span when the model is sure of it (its calibrated span
probability at least the card's line, and its passage's answer probability at least the
threshold), and the confidence is the highest calibrated answer probability among the
passages: under the card's threshold the reply is a refusal.

Usage: ``reading = NetReader(ReaderNet()).read(retrieval)``; ``reading.confidence``
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rag.core.reader_net import ReaderNet
from rag.core.types import Hit, Retrieval
from rag.query.reading.candidates import Candidate, candidate_sentences
from rag.query.retrieval.rerank import read_hits, reader_key

_EDGE = re.compile(r"^[\s,;:.\"“”‘’'()\[\]—–-]+|[\s,;:\"“”‘’'()\[\]—–-]+$")


@dataclass(slots=True)
class Evidence:
    """A candidate sentence, its passage's answer logit (``score``) and the span's score."""

    candidate: Candidate
    features: dict[str, float]
    score: float = 0.0


@dataclass(slots=True)
class Reading:
    """What the reader found: sentences best first, the short answer, and the confidence."""

    ranked: list[Evidence]
    short: str = ""  # "" when the model is not sure enough of a span to lead the answer
    short_from: Evidence | None = None  # the sentence holding the best span, shown or not
    confidence: float = 0.0
    features: dict[str, float] = field(default_factory=dict)


class NetReader:
    """Ranks the retrieved passages by the reader model, quotes the sentence of its answer and
    leads with the answer span when the model is sure of it."""

    def __init__(
        self,
        net: ReaderNet,
        threshold: float | None = None,
        prior: float = 0.0,
        kind_penalty: float = 0.0,
    ) -> None:
        self.net = net
        self.threshold = net.card.answer_threshold if threshold is None else threshold
        self.prior = prior  # the first stage's weight in the order (rerank.reader_key)
        self.kind_penalty = kind_penalty  # rerank.of_kind, for hits the reranker did not read

    def read(self, retrieval: Retrieval) -> Reading:
        hits = read_hits(self.net, retrieval.question, retrieval.hits, self.kind_penalty)
        evidence = [e for e in (_evidence(h) for h in hits) if e is not None]
        if not evidence:
            return Reading([])
        evidence.sort(key=lambda e: -reader_key(e.candidate.hit, self.prior))
        best = evidence[0]
        card = self.net.card
        confidence = card.answer_probability(max(fit_score(e) for e in evidence))
        certainty = card.span_probability(best.features["span"])
        short = span_text(best)
        sure = card.answer_probability(fit_score(best)) >= self.threshold  # its own passage's
        shown = bool(short) and certainty >= card.span_threshold and sure
        features = {"answer": best.score, "span": best.features["span"], "certainty": certainty}
        return Reading(
            evidence,
            short=str(short) if shown else "",
            short_from=best if short else None,
            confidence=confidence,
            features=features,
        )


def fit_score(e: Evidence) -> float:
    """``e``'s answer logit, lowered when no span of its passage is of the kind the question
    asks for (``PassageReading.unfit``): what decides whether the question is answered."""
    reading = e.candidate.hit.reading
    return e.score - (reading.unfit if reading is not None else 0.0)


def _evidence(hit: Hit) -> Evidence | None:
    """The sentence of ``hit`` that holds the reader's span (else its first sentence, with no
    span), scored by the passage's answer logit."""
    reading = hit.reading
    candidates = candidate_sentences([hit])
    if reading is None or not candidates:
        return None
    chunk = hit.chunk
    at = chunk.start + reading.start if reading.start >= 0 else -1
    holding: Candidate | None = next((c for c in candidates if c.start <= at < c.end), None)
    features = {"span": reading.span if holding else float("-inf")}
    return Evidence(holding or candidates[0], features, score=reading.answer)


def span_text(e: Evidence) -> str:
    """The reader's answer span in ``e``'s passage ("" when it is not in the quoted sentence)."""
    reading = e.candidate.hit.reading
    if reading is None or e.features["span"] == float("-inf"):
        return ""
    return clean_span(e.candidate.hit.chunk.text[reading.start : reading.end])


def clean_span(text: str) -> str:
    """A span as a short answer: no stray punctuation or quotes at its edges, and no sentence's
    full stop (an abbreviation's stays: "U.S.", "Gen.")."""
    text = " ".join(text.split())
    previous = None
    while previous != text:
        previous, text = text, _EDGE.sub("", text)
        last = text.split()[-1] if text else ""
        if last.endswith(".") and last.count(".") == 1 and len(last) > 4:
            text = text[:-1]
    return text
