"""Chroma specifics, kept in one place: which client the settings ask for, the metadata schema
of chunk and article records, and the ``where`` syntax of Filters. Only ``rag.core.store``
imports this module.

Usage: ``client = make_client(settings)``; ``where_clause(Filters(source="VOA"))``
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from rag.core.dates import day_number, parse_date
from rag.core.settings import Settings
from rag.core.types import (
    Article,
    ArticleInfo,
    ArticleRecord,
    Census,
    Chunk,
    Filters,
    Hit,
    StoredChunk,
)


def chunk_metadata(chunk: Chunk, article: Article, version: str) -> dict[str, Any]:
    """A chunk's metadata; ``version`` names the article text its offsets belong to."""
    meta: dict[str, Any] = {
        "article_id": chunk.article_id,
        "version": version,
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


def where_clause(filters: Filters) -> dict[str, Any] | None:
    """The Chroma ``where`` clause of ``filters``; None when they restrict nothing."""
    clauses: list[dict[str, Any]] = []
    if filters.source:
        clauses.append({"source": filters.source})
    if filters.since:
        clauses.append({"published_day": {"$gte": day_number(filters.since)}})
    if filters.latest:
        clauses.append({"published_day": {"$lte": day_number(filters.latest)}})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def make_client(settings: Settings) -> Any:
    """The Chroma client for ``settings``: ``HttpClient`` when CHROMA_HOST is set (a
    ``chroma run`` server or a distributed deployment), else embedded on disk under home."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    if settings.chroma_host:
        token = settings.chroma_token
        auth: dict[str, Any] = {}
        if token is not None:
            auth = {
                "chroma_client_auth_provider": "chromadb.auth.token_authn.TokenAuthClientProvider",
                "chroma_client_auth_credentials": token.get_secret_value(),
            }
        return chromadb.HttpClient(
            host=settings.chroma_host,
            port=settings.chroma_port,
            ssl=settings.chroma_ssl,
            tenant=settings.chroma_tenant,
            database=settings.chroma_database,
            settings=ChromaSettings(anonymized_telemetry=False, **auth),
        )
    settings.home.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(
        path=str(settings.home / "chroma"),
        settings=ChromaSettings(anonymized_telemetry=False),
    )


def read_all(collection: Any, batch: int, include: list[str]) -> Iterator[tuple[str, Any, Any]]:
    """Every row of ``collection`` as (id, document, metadata), ``batch`` rows per request."""
    offset = 0
    while True:
        got = collection.get(include=include, limit=batch, offset=offset)
        yield from zip(got["ids"], got["documents"], got["metadatas"], strict=True)
        if len(got["ids"]) < batch:
            return
        offset += batch


def get_collection(client: Any, name: str) -> Any:
    """The existing collection ``name`` as stored (its metadata untouched), else None."""
    from chromadb.errors import NotFoundError as ChromaNotFound

    try:
        return client.get_collection(name, embedding_function=None)
    except (ChromaNotFound, ValueError):
        return None


def chunk_model(client: Any, name: str) -> str | None:
    """The embedding model recorded on the store ``name``'s chunk collection, if it exists."""
    collection = get_collection(client, f"{name}-chunks")
    model = ((collection.metadata if collection is not None else None) or {}).get("embedding_model")
    return str(model) if model else None


def chunk_from_row(chunk_id: str, text: str, meta: dict[str, Any]) -> Chunk:
    return Chunk(
        id=chunk_id,
        article_id=meta["article_id"],
        index=int(meta["index"]),
        text=text,
        start=int(meta["start"]),
        end=int(meta["end"]),
        n_tokens=int(meta["n_tokens"]),
    )


def current(meta: dict[str, Any], record: dict[str, Any] | None) -> bool:
    """Whether a chunk belongs to its article's finished, current version: the article record
    exists and (for chunks written since versions exist) names the same version."""
    if record is None:
        return False
    version = meta.get("version")
    return version is None or version == version_of(str(record.get("content_hash", "")))


def version_of(content_hash: str) -> str:
    return content_hash[:16]


def hit_from_row(chunk: Chunk, score: float, meta: dict[str, Any]) -> Hit:
    return Hit(
        chunk=chunk,
        score=score,
        title=meta.get("title", ""),
        url=meta.get("url", ""),
        published=meta.get("published", ""),
        source=meta.get("source", ""),
        dense=score,
    )


def record_from_meta(article_id: str, meta: dict[str, Any]) -> ArticleRecord:
    return ArticleRecord(
        id=article_id,
        content_hash=meta.get("content_hash", ""),
        meta_hash=meta.get("meta_hash", ""),
    )


def article_metadata(
    article: Article, content_hash: str, meta_hash: str, n_chunks: int
) -> dict[str, Any]:
    return {
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


def article_from_row(article_id: str, text: str, meta: dict[str, Any]) -> Article:
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


def info_from_row(article_id: str, meta: dict[str, Any]) -> ArticleInfo:
    return ArticleInfo(
        id=article_id,
        title=meta.get("title", ""),
        source=meta.get("source", ""),
        published=meta.get("published", ""),
        url=meta.get("url", ""),
        n_chunks=int(meta.get("n_chunks", 0)),
        content_hash=meta.get("content_hash", ""),
        origin=meta.get("origin", ""),
    )


def put_chunks(
    collection: Any,
    batch: int,
    chunks: Sequence[Chunk],
    vectors: Sequence[Sequence[float]],
    metas: Mapping[str, dict[str, Any]],
) -> None:
    """Upsert ``chunks`` with their vectors and metadata (by chunk id), ``batch`` at a time."""
    for lo in range(0, len(chunks), batch):
        part = chunks[lo : lo + batch]
        collection.upsert(
            ids=[c.id for c in part],
            documents=[c.text for c in part],
            metadatas=[metas[c.id] for c in part],
            embeddings=[list(v) for v in vectors[lo : lo + batch]],
        )


def update_chunks(
    collection: Any, batch: int, chunks: Sequence[Chunk], metas: Mapping[str, dict[str, Any]]
) -> None:
    """Refresh the metadata of stored ``chunks``."""
    for part in parts(list(chunks), batch):
        collection.update(ids=[c.id for c in part], metadatas=[metas[c.id] for c in part])


def delete_ids(collection: Any, batch: int, ids: Iterable[str]) -> None:
    for part in parts(sorted(ids), batch):
        collection.delete(ids=part)


def parts(items: list[Any], size: int) -> Iterator[list[Any]]:
    for lo in range(0, len(items), size):
        yield items[lo : lo + size]


def census(chunks: Any, articles: Any, batch: int) -> Census:
    """Every chunk (with its version) and every article record of a store."""
    stored = [
        StoredChunk(chunk_from_row(i, d, m), m.get("version"))
        for i, d, m in read_all(chunks, batch, ["documents", "metadatas"])
    ]
    records = {
        i: (article_from_row(i, d, m), record_from_meta(i, m), int(m.get("n_chunks", 0)))
        for i, d, m in read_all(articles, batch, ["documents", "metadatas"])
    }
    return Census(stored, records)


def vectors(collection: Any, batch: int, ids: Sequence[str]) -> dict[str, list[float]]:
    found: dict[str, list[float]] = {}
    for part in parts(list(ids), batch):
        got = collection.get(ids=part, include=["embeddings"])
        vecs = (list(map(float, v)) for v in got["embeddings"])
        found.update(zip(got["ids"], vecs, strict=True))
    return found
