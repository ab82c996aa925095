"""The lexical (BM25) index beside the Chroma collection: BM25 (rag.core.bm25) with PyStemmer's
English stemmer over each chunk's title and text. It follows the collection: it is built from
the store's own chunks and tagged with the store's generation (a token every write changes), so
a process that finds another generation rebuilds it — several processes, or Chroma server mode,
stay consistent without sharing anything but the store.

A built index is kept on disk under ``home/lexical/<collection>/`` (rag.core.lexical_files) so
a new process loads it instead of rebuilding. It is kept so that a million chunks fit in memory:
the chunk texts are one UTF-8 file and the BM25 columns ``.npy`` arrays, both memory-mapped (read
from disk as a question touches them and shared by every process through the page cache); the
rest is per-row numbers and ids, and each article's metadata once (not once per chunk). A Hit is
made only for a result. When the index is built with a folder, the texts are written to it as
they are read from the store, so they are never all in memory either.

Usage::

    cache = LexicalCache(store, home / "lexical")
    cache.current().search("Who leads the delegation?", 50, Filters(source="Dawn"))  # [Hit]
"""

from __future__ import annotations

import io
import shutil
import threading
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import numpy as np

from rag.core import lexical_files as files
from rag.core.bm25 import PAGE, Bm25, tokenize
from rag.core.dates import day_number, parse_date
from rag.core.iters import pages
from rag.core.lexical_files import Article, Rows
from rag.core.types import Chunk, Filters, Hit

if TYPE_CHECKING:
    from rag.core.store import Store

__all__ = ["LexicalCache", "LexicalIndex", "tokenize"]


class LexicalIndex:
    """BM25 over a fixed set of chunks."""

    def __init__(self, rows: Rows, bm25: Bm25 | None, generation: str) -> None:
        self.rows = rows
        self.bm25 = bm25
        self.generation = generation
        self._position: dict[str, int] | None = None  # chunk id -> row, built on first use
        self._numbers: dict[str, int] | None = None  # article id -> article, on first use

    @classmethod
    def build(
        cls, hits: Iterable[Hit], generation: str, folder: Path | None = None
    ) -> LexicalIndex:
        """The index of ``hits`` (read once: a generator's pages are tokenised and counted as
        they come). With ``folder`` the index is written there as it is built and returned
        memory-mapped from it (as ``load`` would); without, it is held in memory."""
        if folder is None:
            texts = io.BytesIO()
            rows, bm25 = _build(hits, texts)
            data = np.frombuffer(texts.getbuffer(), dtype=np.uint8).copy()
            return cls(replace(rows, texts=data), bm25, generation)
        partial = files.begin(folder, generation)
        try:
            with (partial / "texts.bin").open("wb") as out:
                rows, bm25 = _build(hits, out)
            files.write(partial, generation, rows, bm25)
            kept = files.read_at(partial, generation)  # mapped before the folder moves
            if kept is None:
                raise OSError(f"{partial}: the lexical index just written could not be read")
            files.publish(partial, folder, generation)
        finally:
            shutil.rmtree(partial, ignore_errors=True)  # a build that was not placed
        return cls(*kept, generation)

    def search(self, question: str, n: int, filters: Filters | None = None) -> list[Hit]:
        """The ``n`` best BM25 chunks under ``filters`` (score > 0 only), best first; the score
        is in ``Hit.score`` and ``Hit.lexical``."""
        terms = tokenize([question])[0]
        if self.bm25 is None or not terms:
            return []
        scores = np.asarray(self.bm25.scores(terms), dtype=np.float64)
        scores[~self._allowed(filters or Filters())] = 0.0
        return [self._hit(int(i), float(scores[i])) for i in top_positive(scores, n)]

    def article_ids(self) -> np.ndarray:
        """The article id of every row, in row order."""
        ids = np.array([a[0] for a in self.rows.articles], dtype=object)
        return ids[self.rows.article]

    def article_hits(self, article_id: str) -> list[Hit]:
        """Every chunk of one article, in article order (score 0)."""
        numbers = self._numbers
        if numbers is None:  # built whole, then published: server threads share the index
            numbers = {a[0]: n for n, a in enumerate(self.rows.articles)}
            self._numbers = numbers
        number = numbers.get(article_id)
        if number is None:
            return []
        found = np.flatnonzero(self.rows.article == number)
        found = found[np.argsort(self.rows.numbers[found, 0], kind="stable")]
        return [self._hit(int(i), 0.0) for i in found]

    def dense_hits(
        self, ranked: list[tuple[str, float]], k: int, filters: Filters | None = None
    ) -> list[Hit] | None:
        """The hits ``Store.search`` makes of its neighbours ``ranked`` (chunk id, similarity),
        from this index's rows instead of Chroma's records (the first ``k`` under ``filters``):
        None when a chunk is not here or fewer than ``k`` pass, for the store to answer."""
        if self._position is None:
            self._position = {c: i for i, c in enumerate(self.rows.ids)}
        filters = filters or Filters()
        restricts = filters.source or filters.since or filters.latest  # as where_clause
        allowed = self._allowed(filters) if restricts else None
        hits: list[Hit] = []
        for chunk_id, similarity in ranked:
            i = self._position.get(chunk_id)
            if i is None:  # another version, an unfinished write, or an index behind the store
                return None
            if allowed is None or allowed[i]:
                hits.append(self._hit(i, similarity, dense=True))
            if len(hits) == k:
                return hits
        return hits if allowed is None else None

    def _allowed(self, filters: Filters) -> np.ndarray:
        """The rows ``schema.matches`` admits, as one mask (the index's translation), decided
        once per article."""
        rows = self.rows
        allowed = np.ones(len(rows.articles), dtype=bool)
        if filters.source:
            allowed &= rows.sources == filters.source
        if filters.since:
            allowed &= rows.days >= day_number(filters.since)  # NaN (undated) fails
        if filters.latest:
            allowed &= rows.days <= day_number(filters.latest)
        return allowed[rows.article]

    def _hit(self, i: int, score: float, dense: bool = False) -> Hit:
        rows = self.rows
        article_id, title, url, published, source = rows.articles[rows.article[i]]
        index, start, end, n_tokens = (int(x) for x in rows.numbers[i])
        chunk = Chunk(rows.ids[i], article_id, index, rows.text(i), start, end, n_tokens)
        if dense:  # as rag.core.schema.hit_from_row makes it
            return Hit(chunk, score, title, url, published, source, dense=score)
        return Hit(chunk, score, title, url, published, source, lexical=score)

    def save(self, folder: Path) -> None:
        """Keep the index in ``folder`` (rag.core.lexical_files; other generations and formats
        are removed; a newsrag of another format never reads this one)."""
        partial = files.begin(folder, self.generation)
        try:
            self.rows.texts.tofile(partial / "texts.bin")
            files.write(partial, self.generation, self.rows, self.bm25)
            files.publish(partial, folder, self.generation)
        finally:
            shutil.rmtree(partial, ignore_errors=True)

    @classmethod
    def load(cls, folder: Path, generation: str) -> LexicalIndex | None:
        """The index saved for ``generation``, or None when there is none (or it is unreadable,
        or of another format)."""
        kept = files.read(folder, generation)
        return None if kept is None else cls(*kept, generation)


def top_positive(scores: np.ndarray, n: int) -> np.ndarray:
    """Positions of the ``n`` highest positive ``scores``, highest first, ties in position
    order: ``np.argsort(-scores, kind="stable")[:n]`` without its positive-only filter, but
    sorting only the scores that can make the cut (a full sort takes ms at 100k chunks)."""
    candidates = np.flatnonzero(scores > 0)
    if len(candidates) > n:  # the n-th best score; everything at or above it, ties included
        cut = np.partition(scores[candidates], len(candidates) - n)[len(candidates) - n]
        candidates = candidates[scores[candidates] >= cut]
    return candidates[np.argsort(-scores[candidates], kind="stable")][:n]


def _build(hits: Iterable[Hit], texts: BinaryIO) -> tuple[Rows, Bm25 | None]:
    """The rows of ``hits`` (their texts written to ``texts``) and their BM25 columns."""
    ids: list[str] = []
    article: list[int] = []
    numbers: list[tuple[int, int, int, int]] = []
    offsets = [0]
    articles: dict[str, Article] = {}
    numbered: dict[str, int] = {}

    def tokens() -> Iterator[list[str]]:
        for page in pages(hits, PAGE):
            for h in page:
                c = h.chunk
                if c.article_id not in numbered:
                    numbered[c.article_id] = len(numbered)
                    articles[c.article_id] = (c.article_id, h.title, h.url, h.published, h.source)
                ids.append(c.id)
                article.append(numbered[c.article_id])
                numbers.append((c.index, c.start, c.end, c.n_tokens))
                offsets.append(offsets[-1] + texts.write(c.text.encode("utf-8", "surrogatepass")))
            yield from tokenize([f"{h.title}\n{h.chunk.text}" for h in page])

    bm25 = Bm25.build(tokens())
    table = list(articles.values())
    rows = Rows(
        ids=ids,
        article=np.array(article, dtype=np.int32),
        numbers=np.array(numbers, dtype=np.int32).reshape(-1, 4),
        offsets=np.array(offsets, dtype=np.int64),
        texts=np.zeros(0, np.uint8),
        articles=table,
        days=np.array([_day(a[3]) for a in table], dtype=np.float64),
        sources=np.array([a[4] for a in table], dtype=object),
    )
    return rows, bm25 if ids else None


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
            try:
                return LexicalIndex.build(self.store.iter_hits(), generation, self.folder)
            except OSError:
                pass  # a read-only or full home still answers, from memory
        return LexicalIndex.build(self.store.iter_hits(), generation)
