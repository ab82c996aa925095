"""Stores of a chosen size for latency and memory figures, copied from a real store.

Usage: ``n = scaled_copy(source_store, target_store, 100_000, seed=0)``
The copy repeats the source's articles under new ids (``<id>~<r>``) until it holds ``chunks``
chunks; each copy's vectors are the source's plus small Gaussian noise (re-normalised), so the
index has distinct points of the real distribution and nothing is embedded again. The recipe's
store gets the same texts and vectors (``recipe_copy``) so both answer over the same corpus.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np

from eval.baseline import COLLECTION
from rag.core.store import ArticleWrite, Store
from rag.core.types import Article, Chunk

NOISE = 0.01
BATCH = 64


def scaled_copy(source: Store, target: Store, chunks: int, seed: int = 0) -> int:
    """Fill ``target`` with copies of ``source``'s articles up to ``chunks`` chunks."""
    census = source.census()
    by_article: dict[str, list[Chunk]] = {}
    for stored in census.chunks:
        by_article.setdefault(stored.chunk.article_id, []).append(stored.chunk)
    ids = sorted(a for a in by_article if a in census.articles)
    vectors = source.vectors([c.id for a in ids for c in by_article[a]])
    rng = np.random.default_rng(seed)
    written, copy, pending = 0, 0, []
    while written < chunks:
        for article_id in ids:
            article, record, _ = census.articles[article_id]
            own = sorted(by_article[article_id], key=lambda c: c.index)
            new_id = f"{article_id}~{copy}"
            new = [replace(c, id=f"{c.id}~{copy}", article_id=new_id) for c in own]
            noisy = _noisy(np.array([vectors[c.id] for c in own]), rng)
            pending.append(
                ArticleWrite(
                    replace(article, id=new_id),
                    new,
                    {c.id: v for c, v in zip(new, noisy, strict=True)},
                    record.content_hash,
                    record.meta_hash,
                )
            )
            written += len(new)
            if len(pending) >= BATCH or written >= chunks:
                target.write_articles(pending)
                pending = []
            if written >= chunks:
                break
        copy += 1
    return written


def recipe_copy(target: Store, home: Path) -> int:
    """The recipe's Chroma collection with ``target``'s chunks (texts, vectors, metadata)."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    client = chromadb.PersistentClient(
        path=str(home / "baseline-chroma"), settings=ChromaSettings(anonymized_telemetry=False)
    )
    collection = client.get_or_create_collection(
        COLLECTION, configuration={"hnsw": {"space": "cosine"}}, embedding_function=None
    )
    census = target.census()
    articles = {i: a for i, (a, _, _) in census.articles.items()}
    step = int(client.get_max_batch_size())
    for lo in range(0, len(census.chunks), step):
        part = [s.chunk for s in census.chunks[lo : lo + step]]
        vectors = target.vectors([c.id for c in part])
        collection.upsert(
            ids=[c.id for c in part],
            documents=[c.text for c in part],
            embeddings=[vectors[c.id] for c in part],
            metadatas=[_recipe_meta(c, articles[c.article_id]) for c in part],
        )
    return collection.count()


def _recipe_meta(chunk: Chunk, article: Article) -> dict[str, object]:
    return {
        "article_id": chunk.article_id,
        "title": article.title,
        "url": article.url,
        "published": article.published,
        "source": article.source,
        "start_index": chunk.start,
        "chunk_index": chunk.index,
    }


def _noisy(vectors: np.ndarray, rng: np.random.Generator) -> list[list[float]]:
    moved = vectors + rng.normal(0.0, NOISE, vectors.shape)
    return (moved / np.linalg.norm(moved, axis=1, keepdims=True)).tolist()
