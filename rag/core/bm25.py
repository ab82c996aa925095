"""BM25 (Lucene's variant, as bm25s computes it) in a form that a new process loads and queries
without importing bm25s, which imports scipy (about 0.2 s of a cold ``newsrag ask``): the score
matrix is built here with numpy, bit for bit bm25s's, from documents read a page at a time; a
query adds the matrix columns of its terms, exactly as bm25s's ``get_scores`` does. The
tokenizer is bm25s's ``tokenize`` (lower-cased ``\\b\\w\\w+\\b`` words, its English stop words,
PyStemmer's English stemmer), written out here for the same reason; tests/rag/test_lexical.py
checks both against bm25s.

Usage: ``bm25 = Bm25.build(tokenize(texts))``; ``bm25.scores(tokenize([question])[0])``
"""

from __future__ import annotations

import pickle
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from rag.core.iters import pages

# bm25s.stopwords.STOPWORDS_EN (bm25s 0.3.16)
STOP_WORDS = frozenset(
    "a an and are as at be but by for if in into is it no not of on or such that the their "
    "then there these they this to was will with".split()
)
PAGE = 4096  # documents tokenised and counted at a time
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
    def build(cls, corpus: Iterable[list[str]], k1: float = 1.5, b: float = 0.75) -> Bm25:
        """Index ``corpus`` (one token list per document; a generator is read once, a page at a
        time, so the token lists are never all in memory) with the scores bm25s's default
        method (lucene, float32) gives, bit for bit: computed here with numpy instead of
        bm25s, which holds every document's tokens and scipy's intermediate matrices (about
        13 kB per chunk at its peak). Each page keeps its (term, document, count) triples
        sorted by term (12 bytes a pair); the columns are then filled page by page, each
        page's triples freed as they are placed, so the peak is about 20 bytes a (term,
        document) pair and no sort of the whole matrix is made."""
        vocab: dict[str, int] = {}
        parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []  # term, doc, tf per page
        lengths: list[np.ndarray] = []
        n_docs = 0
        for page in pages(corpus, PAGE):
            ids = [_ids(vocab, d) for d in page]
            sizes = np.array([len(i) for i in ids], dtype=np.int64)
            lengths.append(sizes)
            if sizes.sum():
                doc = np.repeat(np.arange(n_docs, n_docs + len(page), dtype=np.int64), sizes)
                keys, counts = np.unique((np.concatenate(ids) << 32) | doc, return_counts=True)
                term = (keys >> 32).astype(np.int32)  # sorted by term, then document
                parts.append(
                    (term, (keys & 0xFFFFFFFF).astype(np.int32), counts.astype(np.float32))
                )
            n_docs += len(page)
        doc_len = np.concatenate(lengths) if lengths else np.zeros(0, dtype=np.int64)
        df = np.zeros(len(vocab), dtype=np.int64)
        for term, _, _ in parts:
            df += np.bincount(term, minlength=len(vocab))
        idf = np.log(1 + (n_docs - df + 0.5) / (df + 0.5)).astype(np.float32)
        average = float(doc_len.mean()) if n_docs else 1.0
        norm = k1 * ((1 - b) + b * doc_len / average)  # float64, as bm25s's numpy scalars
        indptr = np.concatenate([[0], np.cumsum(df)]).astype(np.int32)
        data = np.empty(int(indptr[-1]), dtype=np.float32)
        indices = np.empty(int(indptr[-1]), dtype=np.int32)
        cursor = indptr[:-1].astype(np.int64)  # where each column's next entries go
        parts.reverse()  # popped in document order
        while parts:
            term, doc, tf = parts.pop()
            counts = np.bincount(term, minlength=len(vocab))
            first = np.concatenate([[0], np.cumsum(counts)[:-1]])  # the page's start of a term
            where = cursor[term] + np.arange(len(term)) - first[term]
            data[where] = idf[term] * (tf / (norm[doc] + tf))
            indices[where] = doc
            cursor += counts
        return cls(vocab, data, indices, indptr, n_docs)

    def save(self, folder: Path) -> None:
        """The arrays as ``.npy`` files and the vocabulary pickled, into ``folder``."""
        for name in ("data", "indices", "indptr"):
            np.save(folder / f"bm25-{name}.npy", getattr(self, name))
        with (folder / "bm25-vocab.pkl").open("wb") as out:
            pickle.dump((self.vocab, self.n_docs), out, protocol=pickle.HIGHEST_PROTOCOL)

    @classmethod
    def load(cls, folder: Path) -> Bm25:
        """What ``save`` wrote; the arrays memory-mapped (read from disk as queries touch
        them, shared by every process on the machine through the page cache)."""
        arrays = [
            np.load(folder / f"bm25-{n}.npy", mmap_mode="r") for n in ("data", "indices", "indptr")
        ]
        with (folder / "bm25-vocab.pkl").open("rb") as src:
            vocab, n_docs = pickle.load(src)
        return cls(vocab, *arrays, n_docs)

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


def _ids(vocab: dict[str, int], tokens: list[str]) -> np.ndarray:
    """The column of each token, new tokens getting the next ones."""
    return np.fromiter((vocab.setdefault(t, len(vocab)) for t in tokens), np.int64, len(tokens))
