"""The lexical (BM25) index beside the Chroma collection: bm25s with PyStemmer's English
stemmer over each chunk's title and text. It follows the collection: it is built from the
store's own chunks and tagged with the store's generation (a token every write changes), so a
process that finds another generation rebuilds it — several processes, or Chroma server mode,
stay consistent without sharing anything but the store. A built index is kept on disk under
``home/lexical/`` so a new process loads it instead of rebuilding.

Usage::

    cache = LexicalCache(store, home / "lexical")
    cache.current().search("Who leads the delegation?", 50, Filters(source="Dawn"))  # [Hit]
"""

from __future__ import annotations

import pickle
import threading
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from rag.core.dates import day_number, parse_date
from rag.core.types import Filters, Hit

if TYPE_CHECKING:
    from rag.core.store import Store

FORMAT = 1  # bump when the pickled layout changes


def tokenize(texts: Sequence[str]) -> list[list[str]]:
    """Lower-cased, stop-word-free, Snowball-stemmed tokens (bm25s's tokenizer)."""
    import bm25s
    import Stemmer

    return bm25s.tokenize(
        list(texts),
        stopwords="en",
        stemmer=Stemmer.Stemmer("english"),
        return_ids=False,
        show_progress=False,
    )


class LexicalIndex:
    """BM25 over a fixed set of chunks (as Hits with their article's metadata)."""

    def __init__(self, hits: list[Hit], model: object, generation: str) -> None:
        self.hits = hits
        self.model = model
        self.generation = generation
        self.days = np.array([_day(h.published) for h in hits], dtype=np.float64)  # NaN: undated
        self.sources = np.array([h.source for h in hits], dtype=object)

    @classmethod
    def build(cls, hits: list[Hit], generation: str) -> LexicalIndex:
        import bm25s

        model = bm25s.BM25()
        if hits:
            tokens = tokenize([f"{h.title}\n{h.chunk.text}" for h in hits])
            model.index(tokens, show_progress=False)
        return cls(hits, model, generation)

    def search(self, question: str, n: int, filters: Filters | None = None) -> list[Hit]:
        """The ``n`` best BM25 chunks under ``filters`` (score > 0 only), best first; the score
        is in ``Hit.score`` and ``Hit.lexical``."""
        terms = tokenize([question])[0]
        if not self.hits or not terms:
            return []
        scores = np.asarray(self.model.get_scores(terms), dtype=np.float64)
        scores[~self._allowed(filters or Filters())] = 0.0
        top = np.argsort(-scores, kind="stable")[:n]
        return [
            replace(self.hits[i], score=float(scores[i]), lexical=float(scores[i]))
            for i in top
            if scores[i] > 0
        ]

    def _allowed(self, filters: Filters) -> np.ndarray:
        allowed = np.ones(len(self.hits), dtype=bool)
        if filters.source:
            allowed &= self.sources == filters.source
        if filters.since:
            allowed &= self.days >= day_number(filters.since)  # NaN (undated) fails
        if filters.latest:
            allowed &= self.days <= day_number(filters.latest)
        return allowed

    def save(self, folder: Path) -> None:
        """Keep the index as ``folder/<generation>.pkl`` (older generations are removed)."""
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{self.generation}.pkl"
        partial = target.with_suffix(".tmp")
        with partial.open("wb") as out:
            pickle.dump((FORMAT, self.generation, self.hits, self.model), out)
        partial.replace(target)
        for old in folder.glob("*.pkl"):
            if old != target:
                old.unlink(missing_ok=True)

    @classmethod
    def load(cls, folder: Path, generation: str) -> LexicalIndex | None:
        """The index saved for ``generation``, or None when there is none (or it is unreadable)."""
        path = folder / f"{generation}.pkl"
        try:
            with path.open("rb") as src:
                fmt, saved, hits, model = pickle.load(src)
        except (OSError, EOFError, pickle.UnpicklingError, ValueError, AttributeError):
            return None
        if fmt != FORMAT or saved != generation:
            return None
        return cls(hits, model, generation)


def _day(published: str) -> float:
    parsed = parse_date(published)
    return float(day_number(parsed)) if parsed else float("nan")


class LexicalCache:
    """The lexical index of one store, always of the store's current generation: reused while
    the generation holds, else loaded from ``folder`` or rebuilt from the store (and saved)."""

    def __init__(self, store: Store, folder: Path | None) -> None:
        self.store = store
        self.folder = folder
        self._index: LexicalIndex | None = None
        self._lock = threading.Lock()

    def current(self) -> LexicalIndex:
        generation = self.store.generation()
        with self._lock:
            if self._index is None or self._index.generation != generation:
                self._index = self._open(generation)
            return self._index

    def _open(self, generation: str) -> LexicalIndex:
        if self.folder is not None:
            saved = LexicalIndex.load(self.folder, generation)
            if saved is not None:
                return saved
        index = LexicalIndex.build(self.store.all_hits(), generation)
        if self.folder is not None:
            try:
                index.save(self.folder)
            except OSError:
                pass  # a read-only home still answers; the next process rebuilds
        return index
