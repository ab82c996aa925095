"""Chroma store: a chunk collection (embeddings) and an article collection (text + hashes).

Usage: ``store = open_store(settings, embedder.name, embedder.dimension)``;
``store.write_article(article, chunks, vectors, content_hash, meta_hash)``;
``store.search(vector, k, Filters(source="VOA"))``.
Everything Chroma-specific lives here: the client, the metadata schema and the ``where``
syntax. Callers see the project's types only. The chunk collection records the embedding model
and dimension; opening it with another model raises StoreMismatchError instead of mixing vectors.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from rag.core.chroma import (
    chunk_from_row,
    chunk_metadata,
    get_collection,
    hit_from_row,
    make_client,
    record_from_meta,
    where_clause,
)
from rag.core.errors import NotFoundError, StoreError, StoreMismatchError
from rag.core.settings import Settings
from rag.core.types import Article, ArticleInfo, ArticleRecord, Chunk, Filters, Hit

SCHEMA = 1
_ARTICLE_VECTOR = [1.0]  # articles are looked up by id and metadata, never by similarity


class Store:
    """The two collections of one newsrag store and the operations the pipeline needs."""

    def __init__(self, client: Any, name: str, model: str, dimension: int, where: str) -> None:
        self.where = where
        self.model = model
        self.dimension = dimension
        self._batch = max(1, int(client.get_max_batch_size()))
        meta = {"embedding_model": model, "embedding_dim": dimension, "newsrag_schema": SCHEMA}
        self.chunks = get_collection(client, f"{name}-chunks")
        if self.chunks is None:
            self.chunks = client.get_or_create_collection(
                f"{name}-chunks",
                metadata=meta,
                configuration={"hnsw": {"space": "cosine"}},
                embedding_function=None,
            )
        self._check(self.chunks.metadata or {})
        self.articles = client.get_or_create_collection(
            f"{name}-articles", metadata={"newsrag_schema": SCHEMA}, embedding_function=None
        )

    def _check(self, meta: dict[str, Any]) -> None:
        stored = (meta.get("embedding_model"), meta.get("embedding_dim"))
        if stored != (self.model, self.dimension):
            raise StoreMismatchError(
                f"the store at {self.where} was built with {stored[0]} ({stored[1]}-d vectors), "
                f"not {self.model} ({self.dimension}-d); use another --home or the same "
                "NEWSRAG_EMBEDDING_MODEL"
            )

    # articles -----------------------------------------------------------------------------
    def records(self, ids: Sequence[str]) -> dict[str, ArticleRecord]:
        """What the store remembers of the articles among ``ids`` (missing ones are absent)."""
        return {i: record_from_meta(i, m) for i, m in self._article_metas(ids).items()}

    def _article_metas(self, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        found: dict[str, dict[str, Any]] = {}
        for part in _parts(list(dict.fromkeys(ids)), self._batch):
            got = self.articles.get(ids=part, include=["metadatas"])
            found.update(zip(got["ids"], got["metadatas"], strict=True))
        return found

    def ids_by_content_hash(self, hashes: Sequence[str]) -> dict[str, str]:
        """Map each stored content hash among ``hashes`` to the id of its article."""
        found: dict[str, str] = {}
        for part in _parts(list(dict.fromkeys(hashes)), 1000):
            got = self.articles.get(where={"content_hash": {"$in": part}}, include=["metadatas"])
            for article_id, meta in zip(got["ids"], got["metadatas"], strict=True):
                found.setdefault(meta["content_hash"], article_id)
        return found

    def write_article(
        self,
        article: Article,
        chunks: Sequence[Chunk],
        vectors: Mapping[str, Sequence[float]],
        content_hash: str,
        meta_hash: str,
    ) -> int:
        """Store ``article`` as exactly ``chunks``, in one operation; returns chunks removed.

        Chunks with a vector in ``vectors`` are written with it; the others must be stored
        already and get fresh metadata; stored chunks of the article that are not in ``chunks``
        go. The article record is written last, so it marks a finished write.
        """
        fresh = [c for c in chunks if c.id in vectors]
        self._put_chunks(fresh, [vectors[c.id] for c in fresh], article)
        self._update_chunk_metadata([c for c in chunks if c.id not in vectors], article)
        stale = self.chunk_ids_of(article.id) - {c.id for c in chunks}
        self._delete_chunks(stale)
        self._put_article(article, content_hash, meta_hash, len(chunks))
        return len(stale)

    def _put_article(
        self, article: Article, content_hash: str, meta_hash: str, n_chunks: int
    ) -> None:
        """Write the article record; it is written last, so it marks a finished ingest."""
        meta = {
            "title": article.title,
            "url": article.url,
            "published": article.published,
            "source": article.source,
            "author": article.author,
            "origin": article.origin,
            "content_hash": content_hash,
            "meta_hash": meta_hash,
            "n_chunks": n_chunks,
        }
        self.articles.upsert(
            ids=[article.id],
            documents=[article.text],
            metadatas=[meta],
            embeddings=[_ARTICLE_VECTOR],
        )

    def get_article(self, article_id: str) -> Article:
        got = self.articles.get(ids=[article_id], include=["metadatas", "documents"])
        if not got["ids"]:
            raise NotFoundError(f"no article with id {article_id!r}; `newsrag list` shows the ids")
        meta, text = got["metadatas"][0], got["documents"][0]
        return Article(
            id=article_id,
            text=text,
            title=meta.get("title", ""),
            url=meta.get("url", ""),
            published=meta.get("published", ""),
            source=meta.get("source", ""),
            author=meta.get("author", ""),
            origin=meta.get("origin", ""),
        )

    def list_articles(self) -> list[ArticleInfo]:
        got = self.articles.get(include=["metadatas"])
        infos = [
            ArticleInfo(
                id=i,
                title=m.get("title", ""),
                source=m.get("source", ""),
                published=m.get("published", ""),
                url=m.get("url", ""),
                n_chunks=int(m.get("n_chunks", 0)),
                content_hash=m.get("content_hash", ""),
                origin=m.get("origin", ""),
            )
            for i, m in zip(got["ids"], got["metadatas"], strict=True)
        ]
        return sorted(infos, key=lambda info: info.id)

    def delete_article(self, article_id: str) -> int:
        """Delete an article and its chunks; returns the number of chunks removed."""
        if not self.articles.get(ids=[article_id], include=[])["ids"]:
            raise NotFoundError(f"no article with id {article_id!r}; `newsrag list` shows the ids")
        chunk_ids = self.chunk_ids_of(article_id)
        self._delete_chunks(chunk_ids)
        self.articles.delete(ids=[article_id])
        return len(chunk_ids)

    # chunks -------------------------------------------------------------------------------
    def chunk_ids_of(self, article_id: str) -> set[str]:
        return set(self.chunks.get(where={"article_id": article_id}, include=[])["ids"])

    def existing_chunk_ids(self, ids: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for part in _parts(list(ids), self._batch):
            found.update(self.chunks.get(ids=part, include=[])["ids"])
        return found

    def _put_chunks(
        self, chunks: Sequence[Chunk], vectors: Sequence[Sequence[float]], article: Article
    ) -> None:
        """Upsert chunks with their vectors and the metadata filters use."""
        for vector in vectors[:1]:
            if len(vector) != self.dimension:
                raise StoreMismatchError(
                    f"embedder returned {len(vector)}-d vectors but the store at {self.where} "
                    f"holds {self.dimension}-d ones"
                )
        metas = [chunk_metadata(c, article) for c in chunks]
        for lo in range(0, len(chunks), self._batch):
            hi = lo + self._batch
            self.chunks.upsert(
                ids=[c.id for c in chunks[lo:hi]],
                documents=[c.text for c in chunks[lo:hi]],
                metadatas=metas[lo:hi],
                embeddings=[list(v) for v in vectors[lo:hi]],
            )

    def _update_chunk_metadata(self, chunks: Sequence[Chunk], article: Article) -> None:
        for part in _parts(list(chunks), self._batch):
            self.chunks.update(
                ids=[c.id for c in part], metadatas=[chunk_metadata(c, article) for c in part]
            )

    def _delete_chunks(self, ids: Iterable[str]) -> None:
        for part in _parts(sorted(ids), self._batch):
            self.chunks.delete(ids=part)

    def search(self, vector: Sequence[float], k: int, filters: Filters | None = None) -> list[Hit]:
        """The ``k`` chunks nearest to ``vector`` (cosine similarity), best first, with their
        article's metadata."""
        got = self.chunks.query(
            query_embeddings=[list(vector)],
            n_results=k,
            where=where_clause(filters or Filters()),
            include=["documents", "metadatas", "distances"],
        )
        rows = list(
            zip(
                got["ids"][0],
                got["documents"][0],
                got["metadatas"][0],
                got["distances"][0],
                strict=True,
            )
        )
        articles = self._article_metas([m["article_id"] for _, _, m, _ in rows])
        return [
            hit_from_row(
                chunk_from_row(i, d, m), 1.0 - float(dist), articles.get(m["article_id"], {})
            )
            for i, d, m, dist in rows
        ]

    def counts(self) -> dict[str, int]:
        return {"articles": self.articles.count(), "chunks": self.chunks.count()}


def open_store(settings: Settings, model: str, dimension: int) -> Store:
    """Open (or create) the store the settings name; StoreError when that fails."""
    where = str(settings.home)
    try:
        client = make_client(settings)
        return Store(client, settings.collection, model, dimension, where)
    except StoreError:
        raise
    except Exception as exc:  # chromadb raises many kinds; all mean "cannot use this store"
        raise StoreError(
            f"cannot open the store at {where} ({exc.__class__.__name__}: {exc}); "
            "move it aside or choose another --home"
        ) from exc


def _parts(items: list[Any], size: int) -> Iterable[list[Any]]:
    for lo in range(0, len(items), size):
        yield items[lo : lo + size]
