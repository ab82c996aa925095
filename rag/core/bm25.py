"""BM25 (Lucene's variant, as bm25s computes it) in a form that a new process loads and
queries without importing bm25s, which imports scipy (about 0.2 s of a cold ``newsrag ask``):
bm25s builds the score matrix once; a query adds the matrix columns of its terms with numpy,
exactly as bm25s's ``get_scores`` does. The tokenizer is bm25s's ``tokenize`` (lower-cased
``\\b\\w\\w+\\b`` words, its English stop words, PyStemmer's English stemmer), written out here
for the same reason; tests/rag/test_lexical.py checks both against bm25s.

Usage: ``bm25 = Bm25.build(tokenize(texts))``; ``bm25.scores(tokenize([question])[0])``
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

# bm25s.stopwords.STOPWORDS_EN (bm25s 0.3.16)
STOP_WORDS = frozenset(
    "a an and are as at be but by for if in into is it no not of on or such that the their "
    "then there these they this to was will with".split()
)
_WORD = re.compile(r"(?u)\b\w\w+\b")  # bm25s's (and scikit-learn's) default token pattern


def tokenize(texts: Sequence[str]) -> list[list[str]]:
    """Lower-cased, stop-word-free, Snowball-stemmed tokens of each text, in order; the same
    as ``bm25s.tokenize(texts, stopwords="en", stemmer=Stemmer.Stemmer("english"),
    return_ids=False)``."""
    import Stemmer

    stemmer = Stemmer.Stemmer("english")
    words = ([w for w in _WORD.findall(text.lower()) if w not in STOP_WORDS] for text in texts)
    return [stemmer.stemWords(w) for w in words]


@dataclass(frozen=True, slots=True)
class Bm25:
    """The BM25 score of every (term, document) pair, column by term (CSC arrays)."""

    vocab: dict[str, int]
    data: np.ndarray
    indices: np.ndarray
    indptr: np.ndarray
    n_docs: int

    @classmethod
    def build(cls, corpus: list[list[str]]) -> Bm25:
        """Index ``corpus`` (one token list per document) with bm25s's defaults."""
        import bm25s

        model = bm25s.BM25()
        model.index(corpus, show_progress=False)
        if model.nonoccurrence_array is not None:  # only BM25L / BM25+ have one
            raise ValueError("Bm25 supports bm25s's default method (lucene) only")
        s = model.scores
        data = np.asarray(s["data"], dtype=np.dtype(model.dtype))
        return cls(dict(model.vocab_dict), data, s["indices"], s["indptr"], int(s["num_docs"]))

    def scores(self, terms: Sequence[str]) -> np.ndarray:
        """The score of every document for the query ``terms`` (repeats count again; unknown
        terms add nothing), as ``bm25s.BM25.get_scores`` computes it."""
        scores = np.zeros(self.n_docs, dtype=self.data.dtype)
        for term in terms:
            column = self.vocab.get(term)
            if column is not None:
                start, end = self.indptr[column], self.indptr[column + 1]
                np.add.at(scores, self.indices[start:end], self.data[start:end])
        return scores
