"""Token-aware, sentence-aware chunks that keep their character offsets into the article.

Usage: ``Chunker(load_encoding("cl100k_base"), max_tokens=160, overlap_tokens=40).split(a)``
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rag.core.text import sentence_spans
from rag.core.types import Article, Chunk

if TYPE_CHECKING:
    import tiktoken


@dataclass(frozen=True, slots=True)
class _Unit:
    start: int
    end: int
    n_tokens: int


class Chunker:
    """Packs whole sentences into chunks of at most ``max_tokens`` tokens.

    A sentence longer than the budget is cut at token boundaries. Each new chunk repeats the
    trailing sentences of the previous one, up to ``overlap_tokens`` tokens.
    """

    def __init__(self, encoding: tiktoken.Encoding, max_tokens: int, overlap_tokens: int) -> None:
        if overlap_tokens >= max_tokens:
            raise ValueError("overlap_tokens must be smaller than max_tokens")
        self.encoding = encoding
        self.max_tokens = max_tokens
        self.overlap_tokens = overlap_tokens

    @property
    def fingerprint(self) -> str:
        """Identifies the chunking rules, so a change of settings re-chunks stored articles."""
        return f"sent-v1/{self.encoding.name}/{self.max_tokens}/{self.overlap_tokens}"

    def split(self, article: Article) -> list[Chunk]:
        """Chunk ``article``; every chunk satisfies ``article.text[c.start:c.end] == c.text``."""
        text = article.text
        units = self._units(text)
        groups: list[list[_Unit]] = []
        current: list[_Unit] = []
        used = 0
        for unit in units:
            if current and used + unit.n_tokens > self.max_tokens:
                groups.append(current)
                current = self._overlap(current, unit.n_tokens)
                used = sum(u.n_tokens for u in current)
            current.append(unit)
            used += unit.n_tokens
        if current:
            groups.append(current)
        chunks = []
        seen: Counter[str] = Counter()
        for i, group in enumerate(groups):
            text = article.text[group[0].start : group[-1].end]
            chunks.append(self._chunk(article, i, group, seen[text]))
            seen[text] += 1
        return chunks

    def count(self, text: str) -> int:
        """Number of tokens of ``text``."""
        return len(self.encoding.encode_ordinary(text))

    def _units(self, text: str) -> list[_Unit]:
        spans = sentence_spans(text)
        # one call per sentence: encode_ordinary_batch starts a thread pool on every call
        counts = [self.encoding.encode_ordinary(text[s:e]) for s, e in spans]
        units: list[_Unit] = []
        for (start, end), tokens in zip(spans, counts, strict=True):
            if len(tokens) <= self.max_tokens:
                units.append(_Unit(start, end, len(tokens)))
            else:
                units.extend(self._cut(text, start, tokens))
        return units

    def _cut(self, text: str, start: int, tokens: list[int]) -> list[_Unit]:
        """Cut an over-long sentence into pieces of ``max_tokens`` tokens at token boundaries."""
        decoded, offsets = self.encoding.decode_with_offsets(tokens)
        pieces: list[_Unit] = []
        for i in range(0, len(tokens), self.max_tokens):
            lo = offsets[i]
            hi = offsets[i + self.max_tokens] if i + self.max_tokens < len(tokens) else len(decoded)
            piece = decoded[lo:hi]
            stripped_lo = lo + (len(piece) - len(piece.lstrip()))
            stripped_hi = hi - (len(piece) - len(piece.rstrip()))
            if stripped_hi > stripped_lo:
                pieces.append(
                    _Unit(
                        start + stripped_lo,
                        start + stripped_hi,
                        min(self.max_tokens, len(tokens) - i),
                    )
                )
        return pieces

    def _overlap(self, previous: list[_Unit], incoming: int) -> list[_Unit]:
        """Trailing units of ``previous`` worth at most ``overlap_tokens``, leaving room to grow."""
        kept: list[_Unit] = []
        budget = min(self.overlap_tokens, self.max_tokens - incoming)
        for unit in reversed(previous[1:]):
            if unit.n_tokens > budget:
                break
            kept.insert(0, unit)
            budget -= unit.n_tokens
        return kept

    def _chunk(self, article: Article, index: int, group: list[_Unit], repeat: int) -> Chunk:
        start, end = group[0].start, group[-1].end
        text = article.text[start:end]
        return Chunk(
            id=chunk_id(article.id, embedding_text(article.title, text), repeat),
            article_id=article.id,
            index=index,
            text=text,
            start=start,
            end=end,
            n_tokens=self.count(text),
        )


def chunk_id(article_id: str, embedded: str, repeat: int = 0) -> str:
    """Deterministic id from the article id, the text that is embedded and which repeat of that
    text it is; not the offset, so an edit early in an article keeps later chunks' ids."""
    digest = hashlib.sha256(f"{article_id}\0{repeat}\0{embedded}".encode()).hexdigest()[:16]
    return f"{article_id}:{digest}"


def embedding_text(title: str, text: str) -> str:
    """What is embedded for a chunk: the headline gives every chunk its context."""
    return f"{title}\n{text}" if title and not text.startswith(title) else text
