"""Candidate sentences: the sentences of retrieved chunks that an answer may quote, with their
article offsets, once each even where chunks overlap (headlines left out).

Usage: ``for c in candidate_sentences(retrieval.hits): c.text, c.start, c.quote_span()``
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from rag.core.text import sentence_spans
from rag.core.types import Hit

MIN_WORDS = 3
# A quote that opens with one of these needs the sentence before it to say who or what.
_NEEDS_CONTEXT = re.compile(
    r"^[\"“‘']?(?:He|She|They|It|His|Her|Their|Its|This|That|These|Those|"
    r"We|Both|The two|Such)\b"
)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A sentence of a retrieved chunk; ``start``/``end`` are article offsets."""

    hit: Hit
    start: int
    end: int
    text: str
    context_start: int | None = None  # start of the previous sentence in the same chunk

    def quote_span(self) -> tuple[int, int]:
        """The span to quote: the sentence, with the one before when it opens with a pronoun."""
        if self.context_start is not None and _NEEDS_CONTEXT.match(self.text):
            return self.context_start, self.end
        return self.start, self.end


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
