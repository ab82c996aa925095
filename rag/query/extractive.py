"""Answerers turn retrieved chunks into an Answer. The offline default is extractive: it quotes
the sentences that best answer the question, verbatim, with [n] markers, or refuses.

Usage: ``ExtractiveAnswerer(embedder, refusal, min_support=0.45).answer(retrieval)``
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

import numpy as np

from rag.core.citations import make_citation
from rag.core.embeddings import Embedder
from rag.core.text import sentence_spans
from rag.core.types import Answer, Hit, Retrieval
from rag.query.scoring import Features, SentenceScorer

MIN_WORDS = 3
# A quote that opens with one of these needs the sentence before it to say who or what.
_NEEDS_CONTEXT = re.compile(
    r"^[\"“‘']?(?:He|She|They|It|His|Her|Their|Its|This|That|These|Those|"
    r"We|Both|The two|Such)\b"
)


@dataclass(frozen=True, slots=True)
class Weights:
    """How the sentence features combine into one support score.

    Defaults from a grid search over all five weights on the seed and quail-news dev sets
    (answer-type, novelty and retrieval weights came out 0).
    """

    cosine: float = 0.3
    overlap: float = 0.3
    type_match: float = 0.0
    novelty: float = 0.0
    retrieval: float = 0.0

    def score(self, f: Features, retrieval_score: float) -> float:
        return (
            self.cosine * f.cosine
            + self.overlap * f.overlap
            + self.type_match * f.type_match
            + self.novelty * f.novelty
            + self.retrieval * max(0.0, retrieval_score)
        )


@dataclass(frozen=True, slots=True)
class Candidate:
    """A sentence of a retrieved chunk; ``start``/``end`` are article offsets."""

    hit: Hit
    start: int
    end: int
    text: str
    score: float = 0.0
    features: Features | None = None
    context_start: int | None = None  # start of the previous sentence in the same chunk

    def quote_span(self) -> tuple[int, int]:
        """The span to quote: the sentence, with the one before when it opens with a pronoun."""
        if self.context_start is not None and _NEEDS_CONTEXT.match(self.text):
            return self.context_start, self.end
        return self.start, self.end


class ExtractiveAnswerer:
    """Quotes the best-supported sentence(s); refuses below ``min_support``."""

    mode = "extractive"

    def __init__(
        self,
        embedder: Embedder,
        refusal: str,
        min_support: float,
        max_quotes: int = 2,
        margin: float = 0.06,
        weights: Weights | None = None,
    ) -> None:
        self.embedder = embedder
        self.refusal = refusal
        self.min_support = min_support
        self.max_quotes = max_quotes
        self.margin = margin
        self.weights = weights or Weights()

    def rank(self, retrieval: Retrieval) -> list[Candidate]:
        """Every candidate sentence with its features and score, best first."""
        candidates = candidate_sentences(retrieval.hits)
        if not candidates:
            return []
        vectors = unit_rows(np.asarray(self.embedder.embed_documents([c.text for c in candidates])))
        cosines = vectors @ unit_rows(np.asarray(retrieval.vector)[None, :])[0]
        scorer = SentenceScorer(retrieval.question, [c.text for c in candidates])
        ranked = []
        for i, c in enumerate(candidates):
            features = scorer.features(i, float(cosines[i]))
            score = self.weights.score(features, c.hit.score)
            ranked.append(replace(c, score=score, features=features))
        return sorted(ranked, key=lambda c: (-c.score, c.hit.chunk.article_id, c.start))

    def stream(self, retrieval: Retrieval) -> Iterator[str | Answer]:
        yield from stream_answer(self.answer(retrieval))

    def answer(self, retrieval: Retrieval) -> Answer:
        ranked = self.rank(retrieval)
        best = ranked[0].score if ranked else 0.0
        if best < self.min_support:
            return Answer(
                question=retrieval.question,
                text=self.refusal,
                refused=True,
                mode=self.mode,
                model=self.embedder.name,
                support=best,
            )
        chosen = [c for c in ranked[: self.max_quotes] if c.score >= best - self.margin]
        lead = chosen[0].hit.chunk.article_id
        chosen.sort(
            key=lambda c: (c.hit.chunk.article_id != lead, c.hit.chunk.article_id, c.quote_span())
        )
        citations = [
            make_citation(i, c.hit, *span) for i, (c, span) in enumerate(_merge_spans(chosen), 1)
        ]
        text = " ".join(f"{c.quote} [{c.marker}]" for c in citations)
        return Answer(
            question=retrieval.question,
            text=text,
            refused=False,
            citations=citations,
            mode=self.mode,
            model=self.embedder.name,
            support=best,
        )


def stream_answer(answer: Answer) -> Iterator[str | Answer]:
    """A finished extractive answer as pieces (one quote each), then the Answer itself."""
    if answer.refused or not answer.citations:
        yield answer.text
    for i, c in enumerate(answer.citations):
        yield f"{c.quote} [{c.marker}]" + (" " if i < len(answer.citations) - 1 else "")
    yield answer


def candidate_sentences(hits: list[Hit], min_words: int = MIN_WORDS) -> list[Candidate]:
    """Sentences of the hit chunks, once each even where chunks overlap, in hit order."""
    seen: set[tuple[str, int]] = set()
    out: list[Candidate] = []
    for hit in hits:
        chunk = hit.chunk
        previous: int | None = None
        for s, e in sentence_spans(chunk.text):
            key = (chunk.article_id, chunk.start + s)
            text = chunk.text[s:e]
            headline = hit.title and " ".join(text.split()) == " ".join(hit.title.split())
            if key not in seen and len(text.split()) >= min_words and not headline:
                seen.add(key)
                out.append(
                    Candidate(hit, chunk.start + s, chunk.start + e, text, context_start=previous)
                )
            previous = chunk.start + s
    return out


def unit_rows(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to length 1, so any embedder's dot products are cosines."""
    return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)


def _merge_spans(chosen: list[Candidate]) -> list[tuple[Candidate, tuple[int, int]]]:
    """Quote spans in order; a span overlapping an earlier one of the same article is merged
    into it (when one chunk holds both) or dropped, so no sentence is quoted twice."""
    merged: list[tuple[Candidate, tuple[int, int]]] = []
    for c in chosen:
        start, end = c.quote_span()
        for i, (last, (lo, hi)) in enumerate(merged):
            if last.hit.chunk.article_id != c.hit.chunk.article_id or start > hi or end < lo:
                continue
            union = (min(lo, start), max(hi, end))
            owner = next(
                (
                    x
                    for x in (last, c)
                    if x.hit.chunk.start <= union[0] and union[1] <= x.hit.chunk.end
                ),
                None,
            )
            merged[i] = (owner, union) if owner else (last, (lo, hi))  # else drop the repeat
            break
        else:
            merged.append((c, (start, end)))
    return merged
