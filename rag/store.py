"""Chroma store: a chunk collection (embeddings) and an article collection (text + hashes).

Usage: ``store = open_store(settings, embedder.name, embedder.dimension)``
The chunk collection records the embedding model and dimension; opening it with another
model raises StoreMismatchError instead of mixing vectors.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from typing import Any

from rag.dates import day_number, parse_date
from rag.errors import NotFoundError, StoreError, StoreMismatchError
from rag.settings import Settings
from rag.types import Article, ArticleInfo, Chunk

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
        self.chunks = _get_collection(client, f"{name}-chunks")
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
    def article_records(self, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """Metadata of the stored articles among ``ids``."""
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

    def put_article(
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
        self.delete_chunks(chunk_ids)
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

    def put_chunks(
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

    def update_chunk_metadata(self, chunks: Sequence[Chunk], article: Article) -> None:
        for part in _parts(list(chunks), self._batch):
            self.chunks.update(
                ids=[c.id for c in part], metadatas=[chunk_metadata(c, article) for c in part]
            )

    def delete_chunks(self, ids: Iterable[str]) -> None:
        for part in _parts(sorted(ids), self._batch):
            self.chunks.delete(ids=part)

    def query(
        self, vector: Sequence[float], k: int, where: dict[str, Any] | None
    ) -> list[tuple[Chunk, float]]:
        """The ``k`` nearest chunks with their cosine similarity, best first."""
        got = self.chunks.query(
            query_embeddings=[list(vector)],
            n_results=k,
            where=where or None,
            include=["documents", "metadatas", "distances"],
        )
        rows = zip(
            got["ids"][0],
            got["documents"][0],
            got["metadatas"][0],
            got["distances"][0],
            strict=True,
        )
        return [(_chunk(i, d, m), 1.0 - float(dist)) for i, d, m, dist in rows]

    def counts(self) -> dict[str, int]:
        return {"articles": self.articles.count(), "chunks": self.chunks.count()}


def chunk_metadata(chunk: Chunk, article: Article) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "article_id": chunk.article_id,
        "index": chunk.index,
        "start": chunk.start,
        "end": chunk.end,
        "n_tokens": chunk.n_tokens,
        "source": article.source,
    }
    published = parse_date(article.published)
    if published is not None:
        meta["published_day"] = day_number(published)
    return meta


def open_store(settings: Settings, model: str, dimension: int) -> Store:
    """Open (or create) the store under ``settings.home``; StoreError when that fails."""
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    where = str(settings.home)
    try:
        settings.home.mkdir(parents=True, exist_ok=True)
        client = chromadb.PersistentClient(
            path=str(settings.home / "chroma"),
            settings=ChromaSettings(anonymized_telemetry=False),
        )
        return Store(client, settings.collection, model, dimension, where)
    except StoreError:
        raise
    except Exception as exc:  # chromadb raises many kinds; all mean "cannot use this store"
        raise StoreError(
            f"cannot open the store at {where} ({exc.__class__.__name__}: {exc}); "
            "move it aside or choose another --home"
        ) from exc


def _get_collection(client: Any, name: str) -> Any:
    """The existing collection ``name`` as stored (its metadata untouched), else None."""
    from chromadb.errors import NotFoundError as ChromaNotFound

    try:
        return client.get_collection(name, embedding_function=None)
    except (ChromaNotFound, ValueError):
        return None


def _chunk(chunk_id: str, text: str, meta: dict[str, Any]) -> Chunk:
    return Chunk(
        id=chunk_id,
        article_id=meta["article_id"],
        index=int(meta["index"]),
        text=text,
        start=int(meta["start"]),
        end=int(meta["end"]),
        n_tokens=int(meta["n_tokens"]),
    )


def _parts(items: list[Any], size: int) -> Iterable[list[Any]]:
    for lo in range(0, len(items), size):
        yield items[lo : lo + size]
