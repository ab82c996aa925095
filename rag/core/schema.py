"""The metadata schema of newsrag's Chroma records: what a chunk and an article record hold,
how rows become project types, and the ``where`` syntax of Filters. Pure functions, no client.

Usage: ``chunk_metadata(chunk, article, version)``; ``where_clause(Filters(source="VOA"))``
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rag.core.dates import day_number, parse_date
from rag.core.errors import StoreMismatchError
from rag.core.types import Article, ArticleInfo, ArticleRecord, Chunk, Filters, Hit


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
    """The Chroma ``where`` clause of ``filters`` (Chroma's translation of ``matches``); None
    when they restrict nothing. tests/rag/test_filters.py holds every translation to one table."""
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


def matches(meta: dict[str, Any], filters: Filters) -> bool:
    """Whether a chunk's metadata passes ``filters``: the reference meaning of Filters, which
    ``where_clause`` (Chroma) and ``LexicalIndex._allowed`` (the BM25 rows) translate."""
    if filters.source and meta.get("source") != filters.source:
        return False
    day = meta.get("published_day")
    if filters.since and (day is None or day < day_number(filters.since)):
        return False
    latest = filters.latest
    return not (latest and (day is None or day > day_number(latest)))


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


def current_hits(
    rows: Sequence[tuple[str, str, dict[str, Any], float]], articles: dict[str, dict[str, Any]]
) -> list[Hit]:
    """Hits of the search ``rows`` (id, text, metadata, cosine distance) whose chunks belong to
    their article's current version (``articles``: records by id), in order."""
    return [
        hit_from_row(chunk_from_row(i, d, m), 1.0 - float(dist), articles[m["article_id"]])
        for i, d, m, dist in rows
        if current(m, articles.get(m["article_id"]))
    ]


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
        "signature": "",
        **({"also": "\n".join(article.also)} if article.also else {}),
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
        also=tuple(also_of(meta)),
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
        also=tuple(also_of(meta)),
    )


def kept_fields(stored: dict[str, Any] | None, article: Article, signature: str) -> dict[str, Any]:
    """What a rewrite of an article record carries over: the other places it was published
    (merged with the article's own), and its signature unless a new one is given."""
    also = list(dict.fromkeys([*also_of(stored or {}), *article.also]))
    kept: dict[str, Any] = {"also": "\n".join(also)} if also else {}
    sig = signature or (stored or {}).get("signature", "")
    return kept | ({"signature": sig} if sig else {})


def also_of(meta: dict[str, Any]) -> list[str]:
    """The other outlets/URLs an article was published at (one per line in its metadata)."""
    return [line for line in str(meta.get("also", "")).split("\n") if line]


def check_model(meta: dict[str, Any], model: str, dimension: int, where: str) -> None:
    """StoreMismatchError unless the chunk collection's metadata names ``model``/``dimension``."""
    stored = (meta.get("embedding_model"), meta.get("embedding_dim"))
    if stored != (model, dimension):
        raise StoreMismatchError(
            f"the store at {where} was built with {stored[0]} ({stored[1]}-d vectors), "
            f"not {model} ({dimension}-d); unset NEWSRAG_EMBEDDING_MODEL (a running newsrag: "
            f"restart it), use another --home, or move the store with `newsrag reindex --model "
            f"{model}`"
        )


def check_dimension(vectors: Sequence[Sequence[float]], dimension: int, where: str) -> None:
    for vector in vectors:
        if len(vector) != dimension:
            raise StoreMismatchError(
                f"embedder returned {len(vector)}-d vectors but the store at {where} "
                f"holds {dimension}-d ones"
            )
