"""Index articles idempotently: skip unchanged ones before embedding, embed only new chunks,
replace a changed article's chunks, skip exact duplicates under another id.

Usage: ``report = Indexer(store, embedder, chunker).index(read_sources(paths))``
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ingest.chunk import Chunker, embedding_text
from ingest.urls import is_url
from rag.core.embeddings import Embedder
from rag.core.store import ArticleWrite, Store
from rag.core.types import Article, ArticleRecord, Chunk, IngestReport, Skipped

if TYPE_CHECKING:
    from ingest.dedup import StoryDedup

ARTICLES_PER_BATCH = 64  # articles whose records are read (and lock held) at once
EMBED_WAVE = 32  # about this many chunks are embedded before their articles are written


@dataclass(slots=True)
class _Pending:
    article: Article
    content_hash: str
    meta_hash: str
    chunks: list[Chunk]
    is_update: bool


class Indexer:
    """Moves Articles into the store in batches, doing as little embedding as possible."""

    def __init__(
        self,
        store: Store,
        embedder: Embedder,
        chunker: Chunker,
        progress: Callable[[IngestReport], None] | None = None,
        notice: Callable[[str], None] | None = None,
    ) -> None:
        self.store = store
        self.embedder = embedder
        self.chunker = chunker
        self.progress = progress
        self.notice = notice  # told when another process holds the store's write lock
        self.dedup: StoryDedup | None = None  # set per index() call with stories=True
        self.embedder_batch = EMBED_WAVE

    def index(
        self,
        items: Iterable[Article | Skipped],
        force: bool = False,
        expected: int = 0,
        stories: bool = False,
    ) -> IngestReport:
        """Index every Article of ``items``; Skipped items go straight into the report.
        ``force`` rewrites articles whose stored record looks up to date (repair);
        ``expected`` (about how many items come) is passed on to ``progress``; ``stories``
        stores a wire story once (web articles whose text nearly matches another's)."""
        report = IngestReport(expected=expected)
        self.dedup = None
        if stories:  # datasketch (and scipy) load only for web ingests
            from ingest.dedup import StoryDedup

            self.dedup = StoryDedup(self.store)
        started = time.perf_counter()
        seen: dict[str, str] = {}  # content hash -> article id, within this run
        seen_ids: set[str] = set()
        batch: list[Article] = []
        for item in items:
            if isinstance(item, Skipped):
                report.skipped.append(item)
                continue
            batch.append(item)
            if len(batch) >= ARTICLES_PER_BATCH:
                self._locked_batch(batch, report, seen, seen_ids, force)
                batch = []
        if batch:
            self._locked_batch(batch, report, seen, seen_ids, force)
        report.seconds = time.perf_counter() - started
        return report

    def embedding_text(self, article: Article, chunk: Chunk) -> str:
        """What is embedded for a chunk (its id is derived from the same text)."""
        return embedding_text(article.title, chunk.text)

    def _locked_batch(
        self,
        batch: list[Article],
        report: IngestReport,
        seen: dict[str, str],
        seen_ids: set[str],
        force: bool,
    ) -> None:
        """One batch from reading the records to the last write, with no other writer between
        (the store's write lock; a server store relies on chunk versions instead)."""
        with self.store.writing(self.notice):
            self._index_batch(batch, report, seen, seen_ids, force)
        if self.progress:
            self.progress(report)

    def _index_batch(
        self,
        batch: list[Article],
        report: IngestReport,
        seen: dict[str, str],
        seen_ids: set[str],
        force: bool,
    ) -> None:
        stored = self.store.records([a.id for a in batch])
        if force:
            stored = {i: ArticleRecord(i, "", "") for i in stored}
        hashes = [self._content_hash(a) for a in batch]
        new_hashes = [h for a, h in zip(batch, hashes, strict=True) if a.id not in stored]
        stored_by_hash = self.store.ids_by_content_hash(new_hashes) if new_hashes else {}
        pending: list[_Pending] = []
        refresh: list[ArticleWrite] = []  # same text, new url/date/outlet: metadata only
        for article, content_hash in zip(batch, hashes, strict=True):
            meta_hash = _meta_hash(article)
            skip = self._duplicate(article, content_hash, seen, seen_ids, stored_by_hash, stored)
            if skip is None and self.dedup is not None and article.id not in stored:
                skip = self.dedup.check(article)
            if skip is not None:
                report.skipped.append(skip)
                continue
            seen[content_hash] = article.id
            seen_ids.add(article.id)
            record = stored.get(article.id)
            if record and record.content_hash == content_hash:
                if record.meta_hash != meta_hash:
                    chunks = self.chunker.split(article)
                    sig = self._sig(article)
                    refresh.append(ArticleWrite(article, chunks, {}, content_hash, meta_hash, sig))
                    report.updated.append(article.id)
                else:
                    report.unchanged.append(article.id)
                continue
            pending.append(
                _Pending(
                    article,
                    content_hash,
                    meta_hash,
                    self.chunker.split(article),
                    record is not None,
                )
            )
        self.store.write_articles(refresh)
        if pending:
            self._store(pending, report)
        if self.dedup is not None:
            self.dedup.flush()

    @staticmethod
    def _duplicate(
        article: Article,
        content_hash: str,
        seen: dict[str, str],
        seen_ids: set[str],
        stored_by_hash: dict[str, str],
        stored: dict[str, ArticleRecord],
    ) -> Skipped | None:
        """Why ``article`` must not be stored (a repeated id or text), else None."""
        where = article.origin or article.id
        if article.id in seen_ids and article.url and is_url(article.origin):
            same = f"the same page as {article.url} (one canonical URL)"
            return Skipped(where, same, error=False, duplicate=True)
        if article.id in seen_ids:
            return Skipped(
                where, f"id {article.id} appears twice in this ingest; the first was kept"
            )
        other = seen.get(content_hash)
        if other is None and article.id not in stored:
            other = stored_by_hash.get(content_hash)
        if other is not None and other != article.id:
            return Skipped(where, f"same text as article {other}; not stored twice", False, True)
        return None

    def _store(self, pending: list[_Pending], report: IngestReport) -> None:
        """Embed and write ``pending`` in waves of about one embedding batch, each article
        written (and reported to ``progress``) as soon as its chunks have vectors. A wave is
        written by a second thread while the next one is embedded (both release the GIL)."""
        existing = self.store.existing_chunk_ids([c.id for p in pending for c in p.chunks])
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsrag-write") as writer:
            inflight: tuple[list[_Pending], list[ArticleWrite], Future[list[int]]] | None = None
            for wave in self._waves(pending, existing):
                writes = self._embed_wave(wave, existing, report)
                if inflight:
                    self._written(*inflight, report)
                inflight = (wave, writes, writer.submit(self.store.write_articles, writes))
            if inflight:
                self._written(*inflight, report)

    def _waves(self, pending: list[_Pending], existing: set[str]) -> Iterator[list[_Pending]]:
        wave: list[_Pending] = []
        size = 0
        for p in pending:
            wave.append(p)
            size += sum(c.id not in existing for c in p.chunks)
            if size >= self.embedder_batch:
                yield wave
                wave, size = [], 0
        if wave:
            yield wave

    def _embed_wave(
        self, wave: list[_Pending], existing: set[str], report: IngestReport
    ) -> list[ArticleWrite]:
        todo = [(p, c) for p in wave for c in p.chunks if c.id not in existing]
        vectors = self.embedder.embed_documents(
            [self.embedding_text(p.article, c) for p, c in todo]
        )
        report.chunks_embedded += len(todo)
        vector_of = {c.id: v for (_, c), v in zip(todo, vectors, strict=True)}
        return [
            ArticleWrite(
                p.article,
                p.chunks,
                {c.id: vector_of[c.id] for c in p.chunks if c.id in vector_of},
                p.content_hash,
                p.meta_hash,
                self._sig(p.article),
            )
            for p in wave
        ]

    def _written(
        self,
        wave: list[_Pending],
        writes: list[ArticleWrite],
        future: Future[list[int]],
        report: IngestReport,
    ) -> None:
        removed = future.result()  # a write error surfaces here, in the ingesting thread
        for p, w, gone in zip(wave, writes, removed, strict=True):
            report.chunks_added += len(w.vectors)
            report.chunks_deleted += gone
            (report.updated if p.is_update else report.added).append(p.article.id)
        if self.progress:
            self.progress(report)

    def _sig(self, article: Article) -> str:
        return self.dedup.signature_of(article.id) if self.dedup is not None else ""

    def _content_hash(self, article: Article) -> str:
        key = f"{self.chunker.fingerprint}\0{self.embedder.name}\0{article.title}\0{article.text}"
        return hashlib.sha256(key.encode()).hexdigest()


def _meta_hash(article: Article) -> str:
    key = "\0".join((article.url, article.published, article.source, article.author))
    return hashlib.sha256(key.encode()).hexdigest()[:16]
