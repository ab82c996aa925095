"""What is wrong with a store, from a census of everything it holds.

Usage: ``health = examine(store.census())``; ``health.problems`` lists each finding with the
chunks to drop and whether the article must be indexed again (``newsrag check [--repair]``).

Findings: chunks with no article record (a write that died before its last step), chunks of a
superseded version (a concurrent writer lost), current chunks whose text is not the article's
text at their offsets, two current chunks at one position, and articles whose record promises
more chunks than are current. Reads never offer the first two (rag.core.store), so they cost
space, not wrong answers; the others make an article incomplete until it is indexed again.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from rag.core.types import Article, ArticleRecord, Census, StoredChunk


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding: what, about which article, the chunks to drop, whether to re-index."""

    kind: str
    article_id: str
    detail: str
    drop: tuple[str, ...] = ()
    reindex: bool = False


@dataclass(slots=True)
class Health:
    articles: int = 0
    chunks: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_reindex(self) -> list[str]:
        return sorted({p.article_id for p in self.problems if p.reindex})

    def to_drop(self) -> list[str]:
        return sorted({c for p in self.problems for c in p.drop})


def examine(census: Census) -> Health:
    """Every problem of the store ``census`` describes."""
    health = Health(articles=len(census.articles), chunks=len(census.chunks))
    by_article: dict[str, list[StoredChunk]] = defaultdict(list)
    for stored in census.chunks:
        by_article[stored.chunk.article_id].append(stored)
    for article_id, chunks in sorted(by_article.items()):
        entry = census.articles.get(article_id)
        if entry is None:
            ids = tuple(s.chunk.id for s in chunks)
            health.problems.append(
                Problem("orphan", article_id, f"{len(ids)} chunks without an article record", ids)
            )
            continue
        health.problems += _article_problems(*entry, chunks)
    for article_id, (_, _, promised) in sorted(census.articles.items()):
        if promised and article_id not in by_article:
            health.problems.append(
                Problem("missing", article_id, f"0 of {promised} chunks stored", reindex=True)
            )
    return health


def _article_problems(
    article: Article, record: ArticleRecord, promised: int, chunks: list[StoredChunk]
) -> list[Problem]:
    version = record.content_hash[:16]
    stale = tuple(s.chunk.id for s in chunks if s.version not in (None, version))
    found: list[Problem] = []
    if stale:
        found.append(
            Problem("stale", article.id, f"{len(stale)} chunks of a superseded version", stale)
        )
    live = [s.chunk for s in chunks if s.chunk.id not in stale]
    wrong = tuple(c.id for c in live if article.text[c.start : c.end] != c.text)
    if wrong:
        detail = f"{len(wrong)} chunks whose text is not the article's text at their offsets"
        found.append(Problem("offsets", article.id, detail, wrong, reindex=True))
    positions = [c.index for c in live]
    if len(set(positions)) != len(positions):
        found.append(Problem("duplicate", article.id, "two chunks at one position", reindex=True))
    elif not wrong and len(live) < promised:
        detail = f"{len(live)} of {promised} chunks stored"
        found.append(Problem("missing", article.id, detail, reindex=True))
    return found
