"""Ranking pieces of hybrid retrieval, as pure functions of ranked hit lists: reciprocal rank
fusion of the dense and lexical rankings, a recency prior for questions asked on a given day,
and a diversity cap so the top k are not copies of one article.

Usage::

    fused = reciprocal_rank_fusion([(dense_hits, 1.0), (lexical_hits, 1.0)], k0=60)
    fused = recency_prior(fused, as_of=date(2022, 6, 17), weight=0.5, days=7)
    top = per_article_cap(fused, cap=2, k=5)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from rag.core.dates import parse_date
from rag.core.types import Hit


def reciprocal_rank_fusion(rankings: Sequence[tuple[Sequence[Hit], float]], k0: int) -> list[Hit]:
    """Hits of every ranking, scored sum(weight / (k0 + rank)), best first. A chunk found by
    both keeps the dense and the lexical score of each."""
    merged: dict[str, Hit] = {}
    fused: dict[str, float] = {}
    for hits, weight in rankings:
        for rank, hit in enumerate(hits, start=1):
            key = hit.chunk.id
            fused[key] = fused.get(key, 0.0) + weight / (k0 + rank)
            seen = merged.get(key)
            merged[key] = (
                hit
                if seen is None
                else replace(
                    seen, dense=max(seen.dense, hit.dense), lexical=max(seen.lexical, hit.lexical)
                )
            )
    ranked = sorted(merged, key=lambda key: (-fused[key], key))
    return [replace(merged[key], score=fused[key]) for key in ranked]


def recency_prior(hits: Sequence[Hit], as_of: date, weight: float, days: float) -> list[Hit]:
    """Multiply each score by 1 + weight * exp(-age / days) for articles published on or before
    ``as_of`` (undated ones get no boost), and re-rank."""
    boosted = []
    for hit in hits:
        published = parse_date(hit.published)
        age = (as_of - published).days if published else None
        factor = 1.0 + weight * math.exp(-age / days) if age is not None and age >= 0 else 1.0
        boosted.append(replace(hit, score=hit.score * factor))
    return sorted(boosted, key=lambda h: (-h.score, h.chunk.id))


def per_article_cap(hits: Sequence[Hit], cap: int, k: int) -> list[Hit]:
    """The best ``k`` hits with at most ``cap`` chunks of one article (0: no cap); when the cap
    leaves fewer than ``k``, the capped-out hits fill the rest in order."""
    if cap <= 0:
        return list(hits[:k])
    kept: list[Hit] = []
    spare: list[Hit] = []
    count: dict[str, int] = {}
    for hit in hits:
        article = hit.chunk.article_id
        if count.get(article, 0) < cap:
            count[article] = count.get(article, 0) + 1
            kept.append(hit)
        else:
            spare.append(hit)
        if len(kept) == k:
            break
    return kept + spare[: k - len(kept)]
