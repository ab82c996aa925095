"""Citations: [n] markers in answer text, quotes with offsets into the article text, and the
check that they are exact.

Usage: ``c = make_citation(1, hit, start, end)``; ``verify_quote(c, article_text)``;
``parse_markers("A [1]. B [2, 3][4].")``; ``MarkerFilter(n_sources)`` cleans a token stream.
This is the one marker grammar: the answerers, the renderer and eval all use it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rag.core.types import Citation, Hit

# [1]  [1, 2]  [1,2; 3]  — one bracket; adjacent brackets ([1][2]) are separate markers.
MARKER = re.compile(r"\[\s*(\d{1,4}(?:\s*[,;]\s*\d{1,4}){0,11})\s*\]")
_MARKER_PREFIX = re.compile(r"\[[\d\s,;]*\Z")
_MAX_MARKER_CHARS = 120  # longer than any MARKER match: the filter never gives up on one


@dataclass(frozen=True, slots=True)
class Marker:
    """One bracket of source numbers at ``text[start:end]``."""

    start: int
    end: int
    numbers: tuple[int, ...]


def parse_markers(text: str) -> list[Marker]:
    """Every [n] / [n, m] bracket in ``text`` ([n][m] gives two)."""
    return [
        Marker(m.start(), m.end(), tuple(int(x) for x in re.split(r"[,;]", m.group(1))))
        for m in MARKER.finditer(text)
    ]


def strip_markers(text: str) -> str:
    """The text without its markers and the spaces before them."""
    return re.sub(r"\s*" + MARKER.pattern, "", text).strip()


@dataclass(slots=True)
class MarkerFilter:
    """Cleans streamed answer text as it arrives: markers citing no source are dropped (with the
    space before them) and recorded, valid ones pass unchanged, and leading and trailing
    whitespace never goes out, so the pieces it returns join to exactly the final text.

    Usage: ``out = f.feed(piece)`` for each piece, then ``out = f.flush()``; ``f.text``.
    """

    n_sources: int
    dropped: list[int] = field(default_factory=list)
    _buffer: str = ""
    _space: str = ""  # whitespace held back until something follows it
    _started: bool = False
    _emitted: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(self._emitted)

    def feed(self, piece: str) -> str:
        self._buffer += piece
        return self._drain(final=False)

    def flush(self) -> str:
        out = self._drain(final=True)
        self._space = ""
        return out

    def _drain(self, final: bool) -> str:
        out: list[str] = []
        while self._buffer:
            at = self._buffer.find("[")
            if at < 0:
                out.append(self._plain(self._buffer))
                self._buffer = ""
                break
            if at:
                out.append(self._plain(self._buffer[:at]))
                self._buffer = self._buffer[at:]
            match = MARKER.match(self._buffer)
            if match:
                out.append(self._marker(match))
                self._buffer = self._buffer[match.end() :]
                continue
            maybe = _MARKER_PREFIX.match(self._buffer) and len(self._buffer) < _MAX_MARKER_CHARS
            if maybe and not final:
                break  # wait for the rest of the bracket
            out.append(self._plain("["))
            self._buffer = self._buffer[1:]
        piece = "".join(out)
        if piece:
            self._emitted.append(piece)
        return piece

    def _plain(self, text: str) -> str:
        text = self._space + text
        body = text.rstrip()
        self._space = text[len(body) :]
        if not self._started:
            body = body.lstrip()
            if not body:
                self._space = ""  # no leading whitespace
                return ""
            self._started = True
        return body

    def _marker(self, match: re.Match[str]) -> str:
        numbers = [int(x) for x in re.split(r"[,;]", match.group(1))]
        valid = [n for n in numbers if 1 <= n <= self.n_sources]
        self.dropped.extend(n for n in numbers if not 1 <= n <= self.n_sources)
        if not valid:
            self._space = ""  # "claim [9]." -> "claim."
            return ""
        token = match.group(0) if len(valid) == len(numbers) else f"[{', '.join(map(str, valid))}]"
        out = (self._space if self._started else "") + token
        self._space = ""
        self._started = True
        return out


def make_citation(
    marker: int, hit: Hit, start: int, end: int, claim: str = "", support: float = 0.0
) -> Citation:
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
        claim=claim,
        support=round(support, 3),
    )


def verify_quote(citation: Citation, article_text: str) -> bool:
    """True when the quote is exactly the article text at the citation's offsets."""
    return article_text[citation.start : citation.end] == citation.quote
