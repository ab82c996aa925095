"""Citations: quotes with offsets into the article text, and the check that they are exact.

Usage: ``c = make_citation(1, hit, start, end)``; ``verify_quote(c, article_text)``
"""

from __future__ import annotations

from rag.types import Citation, Hit


def make_citation(marker: int, hit: Hit, start: int, end: int) -> Citation:
    """Cite ``article.text[start:end]``; offsets are article offsets inside ``hit.chunk``."""
    chunk = hit.chunk
    if not chunk.start <= start < end <= chunk.end:
        raise ValueError(f"span {start}:{end} lies outside chunk {chunk.id}")
    return Citation(
        marker=marker,
        article_id=chunk.article_id,
        title=hit.title,
        url=hit.url,
        published=hit.published,
        chunk_id=chunk.id,
        quote=chunk.text[start - chunk.start : end - chunk.start],
        start=start,
        end=end,
    )


def verify_quote(citation: Citation, article_text: str) -> bool:
    """True when the quote is exactly the article text at the citation's offsets."""
    return article_text[citation.start : citation.end] == citation.quote


def format_sources(citations: list[Citation]) -> list[str]:
    """One human line per citation: ``[n] Title — "quote"``."""
    lines = []
    for c in citations:
        label = c.title or c.article_id
        extra = ", ".join(x for x in (c.published, c.url) if x)
        quote = c.quote if c.quote[:1] in "\"“‘'" else f"\u201c{c.quote}\u201d"
        lines.append(f"[{c.marker}] {label}{f' ({extra})' if extra else ''} — {quote}")
    return lines
