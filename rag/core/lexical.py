"""The lexical (BM25) index beside the Chroma collection: BM25 (rag.core.bm25) with PyStemmer's
English stemmer over each chunk's title and text. It follows the collection: it is built from
the store's own chunks and tagged with the store's generation (a token every write changes), so
a process that finds another generation rebuilds it — several processes, or Chroma server mode,
stay consistent without sharing anything but the store. A built index is kept on disk under
``home/lexical/`` so a new process loads it instead of rebuilding; it is kept as plain rows and
arrays (a Hit is made only for a result), which loads about ten times faster than Hit objects.

Usage::

    cache = LexicalCache(store, home / "lexical")
    cache.current().search("Who leads the delegation?", 50, Filters(source="Dawn"))  # [Hit]
"""

from __future__ import annotations

import pickle
import threading
from collections.abc import Iterable, Iterator
from dataclasses import fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from rag.core.bm25 import PAGE, Bm25, tokenize
from rag.core.dates import day_number, parse_date
from rag.core.iters import pages
from rag.core.types import Chunk, Filters, Hit

if TYPE_CHECKING:
    from rag.core.store import Store

__all__ = ["LexicalCache", "LexicalIndex", "tokenize"]

FORMAT = 2  # bump when the pickled layout changes
_CHUNK_FIELDS = tuple(f.name for f in fields(Chunk))
Row = tuple[Any, ...]  # the Chunk's fields, then title, url, published, source


class LexicalIndex:
    """BM25 over a fixed set of chunks (kept as rows: a chunk with its article's metadata)."""

    def __init__(
        self,
        rows: list[Row],
        bm25: Bm25 | None,
        generation: str,
        days: np.ndarray | None = None,
        sources: np.ndarray | None = None,
    ) -> None:
        self.rows = rows
        self.bm25 = bm25
        self.generation = generation
        if days is None:  # NaN: undated
            days = np.array([_day(r[-2]) for r in rows], dtype=np.float64)
        self.days = days
        self.sources = sources if sources is not None else np.array([r[-1] for r in rows], object)
        self._position: dict[str, int] | None = None  # chunk id -> row, built on first use
        self._articles: dict[str, list[int]] | None = None  # article id -> rows, on first use

    @classmethod
    def build(cls, hits: Iterable[Hit], generation: str) -> LexicalIndex:
        """The index of ``hits`` (read once: a generator's pages are tokenised and counted as
        they come, so only the rows and the score matrix are held)."""
        rows: list[Row] = []

        def tokens() -> Iterator[list[str]]:
            for page in pages(hits, PAGE):
                rows.extend(_row(h) for h in page)
                yield from tokenize([f"{h.title}\n{h.chunk.text}" for h in page])

        bm25 = Bm25.build(tokens())
        return cls(rows, bm25 if rows else None, generation)

    def search(self, question: str, n: int, filters: Filters | None = None) -> list[Hit]:
        """The ``n`` best BM25 chunks under ``filters`` (score > 0 only), best first; the score
        is in ``Hit.score`` and ``Hit.lexical``."""
        terms = tokenize([question])[0]
        if self.bm25 is None or not terms:
            return []
        scores = np.asarray(self.bm25.scores(terms), dtype=np.float64)
        scores[~self._allowed(filters or Filters())] = 0.0
        return [_hit(self.rows[i], float(scores[i])) for i in top_positive(scores, n)]

    def article_hits(self, article_id: str) -> list[Hit]:
        """Every chunk of one article, in article order (score 0)."""
        articles = self._articles
        if articles is None:  # built whole, then published: server threads share the index
            articles = {}
            for i, row in enumerate(self.rows):
                articles.setdefault(row[1], []).append(i)
            self._articles = articles
        rows = [self.rows[i] for i in articles.get(article_id, [])]
        return [_hit(r, 0.0) for r in sorted(rows, key=lambda r: r[2])]

    def dense_hits(
        self, ranked: list[tuple[str, float]], k: int, filters: Filters | None = None
    ) -> list[Hit] | None:
        """The hits ``Store.search`` makes of its neighbours ``ranked`` (chunk id, similarity),
        from this index's rows instead of Chroma's records (the first ``k`` under ``filters``):
        None when a chunk is not here or fewer than ``k`` pass, for the store to answer."""
        if self._position is None:
            self._position = {r[0]: i for i, r in enumerate(self.rows)}
        filters = filters or Filters()
        restricts = filters.source or filters.since or filters.latest  # as where_clause
        allowed = self._allowed(filters) if restricts else None
        hits: list[Hit] = []
        for chunk_id, similarity in ranked:
            i = self._position.get(chunk_id)
            if i is None:  # another version, an unfinished write, or an index behind the store
                return None
            if allowed is None or allowed[i]:
                hits.append(_hit(self.rows[i], similarity, dense=True))
            if len(hits) == k:
                return hits
        return hits if allowed is None else None

    def _allowed(self, filters: Filters) -> np.ndarray:
        """The rows ``schema.matches`` admits, as one mask (the index's translation)."""
        allowed = np.ones(len(self.rows), dtype=bool)
        if filters.source:
            allowed &= self.sources == filters.source
        if filters.since:
            allowed &= self.days >= day_number(filters.since)  # NaN (undated) fails
        if filters.latest:
            allowed &= self.days <= day_number(filters.latest)
        return allowed

    def save(self, folder: Path) -> None:
        """Keep the index as ``folder/<generation>.<format>.pkl`` (other generations and formats
        are removed; a newsrag of another format never reads this one)."""
        folder.mkdir(parents=True, exist_ok=True)
        target = _path(folder, self.generation)
        partial = target.with_suffix(".tmp")
        state = (self.rows, self.bm25, self.days, self.sources)
        with partial.open("wb") as out:
            pickle.dump((FORMAT, self.generation, state), out, protocol=pickle.HIGHEST_PROTOCOL)
        partial.replace(target)
        for old in folder.glob("*.pkl"):
            if old != target:
                old.unlink(missing_ok=True)

    @classmethod
    def load(cls, folder: Path, generation: str) -> LexicalIndex | None:
        """The index saved for ``generation``, or None when there is none (or it is unreadable,
        or of another format)."""
        path = _path(folder, generation)
        try:
            with path.open("rb") as src:
                fmt, saved, state = pickle.load(src)
            if fmt != FORMAT or saved != generation:
                return None
            rows, bm25, days, sources = state
        except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError):
            return None
        except ImportError:  # pickled by a newsrag with modules this one does not have
            return None
        return cls(rows, bm25, generation, days, sources)


def top_positive(scores: np.ndarray, n: int) -> np.ndarray:
    """Positions of the ``n`` highest positive ``scores``, highest first, ties in position
    order: ``np.argsort(-scores, kind="stable")[:n]`` without its positive-only filter, but
    sorting only the scores that can make the cut (a full sort takes ms at 100k chunks)."""
    candidates = np.flatnonzero(scores > 0)
    if len(candidates) > n:  # the n-th best score; everything at or above it, ties included
        cut = np.partition(scores[candidates], len(candidates) - n)[len(candidates) - n]
        candidates = candidates[scores[candidates] >= cut]
    return candidates[np.argsort(-scores[candidates], kind="stable")][:n]


def _path(folder: Path, generation: str) -> Path:
    return folder / f"{generation}.f{FORMAT}.pkl"


def _row(hit: Hit) -> Row:
    chunk = hit.chunk
    return (
        *(getattr(chunk, f) for f in _CHUNK_FIELDS),
        hit.title,
        hit.url,
        hit.published,
        hit.source,
    )


def _hit(row: Row, score: float, dense: bool = False) -> Hit:
    n = len(_CHUNK_FIELDS)
    title, url, published, source = row[n:]
    if dense:  # as rag.core.schema.hit_from_row makes it
        return Hit(Chunk(*row[:n]), score, title, url, published, source, dense=score)
    return Hit(Chunk(*row[:n]), score, title, url, published, source, lexical=score)


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

    def current(self, generation: str | None = None) -> LexicalIndex:
        """The index of ``generation`` (a token the caller has just read from the store, such
        as ``store.seen`` after a search), else of the generation read now."""
        generation = self.store.generation() if generation is None else generation
        with self._lock:
            if self._index is None or self._index.generation != generation:
                self._index = self._open(generation)
            return self._index

    def _open(self, generation: str) -> LexicalIndex:
        if self.folder is not None:
            saved = LexicalIndex.load(self.folder, generation)
            if saved is not None:
                return saved
        index = LexicalIndex.build(self.store.iter_hits(), generation)
        if self.folder is not None:
            try:
                index.save(self.folder)
            except OSError:
                pass  # a read-only home still answers; the next process rebuilds
        return index
