"""Chroma store: a chunk collection (embeddings) and an article collection (text + hashes).

Usage: ``store = open_store(settings, embedder.name, embedder.dimension)``; ``with
store.writing(): store.write_articles([ArticleWrite(...)])``; ``store.search(vector, k,
Filters(source="VOA"))``. Callers see the project's types only (Chroma calls: rag.core.chroma).
Every chunk records the article version (content hash) its offsets belong to; reads offer only
chunks of an article's current, finished version, whatever order concurrent writers ran in.
"""

from __future__ import annotations

import functools
import os
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from rag.core import chroma, schema
from rag.core.errors import NotFoundError, StoreError
from rag.core.locks import WriteLock
from rag.core.staging import Row, Staging
from rag.core.types import Article, ArticleInfo, ArticleRecord, Census, Chunk, Filters, Hit

SCHEMA = 1
T = TypeVar("T")
READ_PAGE = 1000  # rows per read of the whole collection (Chroma holds about 30 kB a row read)
OVERFETCH = 4  # filtered searches first look at this many times k unfiltered neighbours


@dataclass(frozen=True, slots=True)
class ArticleWrite:
    """An article to store as exactly ``chunks``; ``vectors``: the new chunks' (by id)."""

    article: Article
    chunks: Sequence[Chunk]
    vectors: Mapping[str, Sequence[float]]
    content_hash: str
    meta_hash: str
    signature: str = ""  # near-duplicate signature (web articles)


def _live(method: Callable[..., T]) -> Callable[..., T]:
    """Chroma's "no such collection" in the middle of ``method`` means `newsrag reindex` has
    just replaced the chunks: one line (the model's mismatch, else "ask again")."""

    @functools.wraps(method)
    def checked(self: Store, *args: Any, **kwargs: Any) -> T:
        try:
            return method(self, *args, **kwargs)
        except Exception as exc:
            self._replaced(exc)
            raise

    return checked


class Store:
    """The two collections of one newsrag store and the operations the pipeline needs."""

    def __init__(
        self,
        client: Any,
        name: str,
        model: str,
        dimension: int,
        where: str,
        lock: WriteLock | None = None,
        reopen: Callable[[], Any] | None = None,
    ) -> None:
        self.where = where
        self._lock = lock
        self._reopen = reopen  # a fresh client when another process wrote (embedded stores)
        self.model = model
        self.dimension = dimension
        self._batch = max(1, int(client.get_max_batch_size()))
        self._name = name
        self._meta = {"embedding_model": model, "embedding_dim": dimension}
        self._meta["newsrag_schema"] = SCHEMA
        self._cache: dict[str, dict[str, Any]] = {}
        self._cache_generation = ""
        self._attach(client)
        schema.check_model(self.chunks.metadata or {}, model, dimension, where)
        self.seen = self.generation()  # the generation last read (search) or written here

    def _attach(self, client: Any) -> None:
        self._client = client
        self.chunks = chroma.live_chunks(client, self._name)
        if self.chunks is None:
            self.chunks = client.get_or_create_collection(
                f"{self._name}-chunks",
                metadata=self._meta,
                configuration={"hnsw": {"space": "cosine"}},
                embedding_function=None,
            )
        self.articles = client.get_or_create_collection(
            f"{self._name}-articles", metadata={"newsrag_schema": SCHEMA}, embedding_function=None
        )

    def _replaced(self, exc: Exception) -> None:
        """When ``exc`` is Chroma's "no such collection", say in one line that `newsrag
        reindex` replaced the chunks (the model's mismatch, else "try again")."""
        if chroma.is_missing(exc):
            self._sync()  # StoreMismatchError when the new chunks are another model's
            raise StoreError(
                f"the chunks of the store at {self.where} were replaced meanwhile (newsrag "
                "reindex); try again"
            ) from None

    def _sync(self) -> None:
        """Reopen when another process wrote (the embedded client's index misses its vectors)."""
        live = chroma.get_collection(self._client, f"{self._name}-chunks")
        current = str(((live.metadata if live is not None else None) or {}).get("generation", ""))
        if current != self.seen:
            other = current.split(":", 1)[0] != str(os.getpid()) and self._reopen is not None
            if other or live is None or live.id != self.chunks.id:  # `newsrag reindex` swapped
                self._attach(self._reopen() if other and self._reopen else self._client)
                meta = self.chunks.metadata or {}  # ... and may have changed the model
                schema.check_model(meta, self.model, self.dimension, self.where)
        self.seen = current

    @contextmanager
    def writing(self, notice: Callable[[str], None] | None = None) -> Iterator[None]:
        """Hold the store's write lock (embedded stores; a server store has none) for a
        read-decide-write sequence, so two writers never interleave inside one."""
        if self._lock is None:
            self._sync()
            yield
        else:
            with self._lock.held(notice):
                self._sync()  # the chunks may have moved (`newsrag reindex`) while it waited
                yield

    # articles -----------------------------------------------------------------------------
    def records(self, ids: Sequence[str]) -> dict[str, ArticleRecord]:
        """What the store remembers of the articles among ``ids`` (missing ones are absent)."""
        return {i: schema.record_from_meta(i, m) for i, m in self._article_metas(ids).items()}

    def _article_metas(self, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        found: dict[str, dict[str, Any]] = {}
        for part in chroma.parts(list(dict.fromkeys(ids)), self._batch):
            got = self.articles.get(ids=part, include=["metadatas"])
            found.update(zip(got["ids"], got["metadatas"], strict=True))
        return found

    def _read_metas(self, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """Article records for reads, cached until the generation changes (writes read fresh)."""
        if self._cache_generation != self.seen:
            self._cache, self._cache_generation = {}, self.seen
        missing = [i for i in dict.fromkeys(ids) if i not in self._cache]
        if missing:
            self._cache.update(self._article_metas(missing))
        return {i: self._cache[i] for i in ids if i in self._cache}

    def ids_by_content_hash(self, hashes: Sequence[str]) -> dict[str, str]:
        """Map each stored content hash among ``hashes`` to the id of its article."""
        found: dict[str, str] = {}
        for part in chroma.parts(list(dict.fromkeys(hashes)), 1000):
            got = self.articles.get(where={"content_hash": {"$in": part}}, include=["metadatas"])
            for article_id, meta in zip(got["ids"], got["metadatas"], strict=True):
                found.setdefault(meta["content_hash"], article_id)
        return found

    @_live
    def write_articles(self, writes: Sequence[ArticleWrite]) -> list[int]:
        """Store each article as exactly its chunks; returns the chunks removed per article.

        Chunks with a vector in ``vectors`` are written with it; the others must be stored
        already and get fresh metadata; stored chunks of an article that are not in its
        ``chunks`` go; the article records are written last, so each marks a finished write
        (reads ignore chunks until then). One call per step for the whole batch (Chroma's cost
        is per call), and the store's generation changes once.
        """
        if not writes:
            return []
        metas: dict[str, dict[str, Any]] = {}
        fresh: list[Chunk] = []
        vectors: list[Sequence[float]] = []
        kept: list[Chunk] = []
        for w in writes:
            version = schema.version_of(w.content_hash)
            for c in w.chunks:
                metas[c.id] = schema.chunk_metadata(c, w.article, version)
                if c.id in w.vectors:
                    fresh.append(c)
                    vectors.append(w.vectors[c.id])
                else:
                    kept.append(c)
        schema.check_dimension(vectors[:1], self.dimension, self.where)
        chroma.put_chunks(self.chunks, self._batch, fresh, vectors, metas)
        chroma.update_chunks(self.chunks, self._batch, kept, metas)
        stale = self._superseded(writes)
        chroma.delete_ids(self.chunks, self._batch, {i for ids in stale for i in ids})
        self._put_articles(writes)
        self._bump()
        return [len(ids) for ids in stale]

    def _superseded(self, writes: Sequence[ArticleWrite]) -> list[set[str]]:
        """Per write, the article's chunks it replaces: under the write lock all others; on a
        server (no lock) only those of the version its record names now, so a concurrent
        writer's unfinished chunks are left invisible (for `check --repair`), not cut short."""
        ids = [w.article.id for w in writes]
        by_article: dict[str, list[tuple[str, Any]]] = {i: [] for i in ids}
        for part in chroma.parts(ids, 100):
            got = self.chunks.get(where={"article_id": {"$in": part}}, include=["metadatas"])
            for i, m in zip(got["ids"], got["metadatas"], strict=True):
                by_article[m["article_id"]].append((i, m.get("version")))
        records = self._article_metas(ids) if self._lock is None else {}
        out: list[set[str]] = []
        for w in writes:
            mine = {c.id for c in w.chunks}
            record = records.get(w.article.id)
            allowed = (None, schema.version_of(record["content_hash"]) if record else None)
            out.append(
                {
                    i
                    for i, version in by_article[w.article.id]
                    if i not in mine and (self._lock is not None or version in allowed)
                }
            )
        return out

    def generation(self) -> str:
        """A token that every write and delete changes, in this process or any other: indexes
        derived from the chunks (the lexical index) rebuild when it differs from theirs."""
        meta = chroma.collection_meta(self._client, f"{self._name}-chunks")
        return str(meta.get("generation", ""))

    def _bump(self) -> None:
        self.seen = f"{os.getpid()}:{uuid.uuid4().hex}"  # who wrote: see _sync
        self.chunks.modify(metadata={**self._meta, "generation": self.seen})

    def iter_hits(self) -> Iterator[Hit]:
        """Every current chunk with its article's metadata, read a page at a time (the lexical
        index is built from it without holding Chroma's rows twice)."""
        self._sync()
        try:
            articles = chroma.read_metas(self.articles, self._batch)
            pages = chroma.read_all(self.chunks, READ_PAGE, ["documents", "metadatas"])
            for i, d, m in pages:
                record = articles.get(m["article_id"])
                if schema.current(m, record):  # not a chunk of an unfinished or old write
                    yield schema.hit_from_row(schema.chunk_from_row(i, d, m), 0.0, record)
        except Exception as exc:
            self._replaced(exc)
            raise

    def census(self) -> Census:
        """Everything stored, current or not, for ``rag.core.integrity``."""
        self._sync()
        return chroma.census(self.chunks, self.articles, self._batch)

    def vectors(self, ids: Sequence[str]) -> dict[str, list[float]]:
        """The stored vectors of the chunks among ``ids`` (benchmarks copy stores with them)."""
        return chroma.vectors(self.chunks, self._batch, ids)

    def delete_chunks(self, ids: Iterable[str]) -> None:
        """Remove chunks by id (repair); bumps the generation."""
        chroma.delete_ids(self.chunks, self._batch, ids)
        self._bump()

    def _put_articles(self, writes: Sequence[ArticleWrite]) -> None:
        """Write the article records; written last, each marks a finished write."""
        stored = self._article_metas([w.article.id for w in writes])  # keeps their "also"
        metas = [
            schema.article_metadata(w.article, w.content_hash, w.meta_hash, len(w.chunks))
            | schema.kept_fields(stored.get(w.article.id), w.article, w.signature)
            for w in writes
        ]
        chroma.put_articles(self.articles, self._batch, [w.article for w in writes], metas)

    def signatures(self) -> dict[str, str]:
        """The near-duplicate signature of every article that has one (web articles)."""
        got = self.articles.get(where={"signature": {"$ne": ""}}, include=["metadatas"])
        return {i: m["signature"] for i, m in zip(got["ids"], got["metadatas"], strict=True)}

    def add_also(self, article_id: str, entry: str) -> None:
        """List ``entry`` (an outlet and URL) as another place the article was published."""
        meta = self._article_metas([article_id]).get(article_id)
        if meta is not None and entry not in schema.also_of(meta):
            also = [*schema.also_of(meta), entry]
            self.articles.update(ids=[article_id], metadatas=[{**meta, "also": "\n".join(also)}])

    def get_article(self, article_id: str) -> Article:
        got = self.articles.get(ids=[article_id], include=["metadatas", "documents"])
        if not got["ids"]:
            raise NotFoundError(f"no article with id {article_id!r}; `newsrag list` shows the ids")
        return schema.article_from_row(article_id, got["documents"][0], got["metadatas"][0])

    def list_articles(self) -> list[ArticleInfo]:
        got = self.articles.get(include=["metadatas"])
        infos = [
            schema.info_from_row(i, m) for i, m in zip(got["ids"], got["metadatas"], strict=True)
        ]
        return sorted(infos, key=lambda info: info.id)

    def delete_article(self, article_id: str) -> int:
        """Delete an article and its chunks; returns the number of chunks removed."""
        self._sync()
        if not self.articles.get(ids=[article_id], include=[])["ids"]:
            raise NotFoundError(f"no article with id {article_id!r}; `newsrag list` shows the ids")
        chunk_ids = self.chunk_ids_of(article_id)
        chroma.delete_ids(self.chunks, self._batch, chunk_ids)
        self.articles.delete(ids=[article_id])
        self._bump()
        return len(chunk_ids)

    # chunks -------------------------------------------------------------------------------
    def chunk_ids_of(self, article_id: str) -> set[str]:
        return set(self.chunks.get(where={"article_id": article_id}, include=[])["ids"])

    def existing_chunk_ids(self, ids: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for part in chroma.parts(list(ids), self._batch):
            found.update(self.chunks.get(ids=part, include=[])["ids"])
        return found

    @_live
    def search(self, vector: Sequence[float], k: int, filters: Filters | None = None) -> list[Hit]:
        """The ``k`` chunks nearest to ``vector`` (cosine similarity), best first, with their
        article's metadata."""
        self._sync()
        filters = filters or Filters()
        where = schema.where_clause(filters)
        rows = []
        if where is not None:  # Chroma's filtered search is slow (127 ms at 33k chunks): try
            wide = chroma.nearest(self.chunks, vector, k * OVERFETCH, None)  # unfiltered first
            rows = [r for r in wide if schema.matches(r[2], filters)][:k]
        if len(rows) < k:
            rows = chroma.nearest(self.chunks, vector, k, where)
        articles = self._read_metas([m["article_id"] for _, _, m, _ in rows])
        return schema.current_hits(rows, articles)

    @_live
    def nearest_ids(
        self, vector: Sequence[float], k: int, filters: Filters | None = None
    ) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity) of the neighbours ``search`` reads first, best first."""
        self._sync()
        wide = k if schema.where_clause(filters or Filters()) is None else k * OVERFETCH
        return chroma.nearest_ids(self.chunks, vector, wide)

    # re-embedding (`newsrag reindex`) ------------------------------------------------------
    def staging(self, model: str, dimension: int) -> Staging:
        """The collection a re-embedding with ``model`` fills (resumed when one was begun)."""
        return Staging(lambda: self._client, self._name, model, dimension, self._batch)

    def live_rows(self) -> Iterator[Row]:
        """Every stored chunk row (id, text, metadata), current or not, to embed again."""
        self._sync()
        return chroma.read_all(self.chunks, self._batch, ["documents", "metadatas"])

    def titles(self) -> dict[str, str]:
        """Every article's headline by id (a chunk is embedded with its headline)."""
        metas = chroma.read_metas(self.articles, self._batch)
        return {i: str((m or {}).get("title", "")) for i, m in metas.items()}

    def swap_in(self, staging: Staging) -> None:
        """Make the complete ``staging`` the chunk collection (one delete and a rename, and an
        open finishes a swap cut short); the store then holds ``staging.model``'s vectors."""
        self.seen = f"{os.getpid()}:{uuid.uuid4().hex}"
        staging.complete(self.seen)
        chroma.delete_collection(self._client, f"{self._name}-chunks")
        self.model, self.dimension = staging.model, staging.dimension
        self._meta = {"embedding_model": self.model, "embedding_dim": self.dimension}
        self._meta["newsrag_schema"] = SCHEMA
        self._attach(self._client)
        self._bump()

    def counts(self) -> dict[str, int]:
        self._sync()
        return {"articles": self.articles.count(), "chunks": self.chunks.count()}
