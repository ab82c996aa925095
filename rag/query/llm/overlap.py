"""Word overlap between a question and candidate sentences, on stemmed terms (PyStemmer, as
BM25 stems): the idf-weighted share of the question's terms a sentence holds, and the same for
the terms its article's headline does not hold (the headline's restate the topic every
sentence of the story shares; the others tell its sentences apart).

Usage: ``word_overlap(tokenize([q])[0], tokenize(sentences))``;
``specific_overlap(q_terms, titles, tokens)``; ``off_headline(q_lemmas, title)``
"""

from __future__ import annotations

import math

from rag.core.lexical import tokenize


def word_overlap(query: list[str], texts: list[list[str]]) -> list[float]:
    """For each tokenised text, the idf-weighted share of the query's terms it holds (idf over
    ``texts``), 0..1."""
    df: dict[str, int] = {}
    for tokens in texts:
        for t in set(tokens):
            df[t] = df.get(t, 0) + 1
    idf = {t: math.log(1 + len(texts) / (1 + df.get(t, 0))) + 0.1 for t in set(query)}
    total = sum(idf.values()) or 1.0
    return [sum(w for t, w in idf.items() if t in set(tokens)) / total for tokens in texts]


def specific_overlap(q_terms: list[str], titles: list[str], tokens: list[list[str]]) -> list[float]:
    """``word_overlap`` of each text with the question's terms that its article's headline
    (``titles[i]``) does not hold; 0 where the headline holds them all."""
    out = [0.0] * len(tokens)
    for title in set(titles):
        headline = set(tokenize([title])[0])
        terms = [t for t in q_terms if t not in headline]
        if not terms:
            continue
        scores = word_overlap(terms, tokens)
        for i, t in enumerate(titles):
            if t == title:
                out[i] = scores[i]
    return out


def off_headline(lemmas: set[str], title: str) -> set[str]:
    """The lemmas whose stem the headline ``title`` does not hold."""
    headline = set(tokenize([title])[0])
    ordered = sorted(lemmas)
    return {
        lemma
        for lemma, stems in zip(ordered, tokenize(ordered), strict=True)
        if not set(stems) & headline
    }
