"""Cleaning: HTML -> main text with metadata, Markdown -> text, whitespace and boilerplate.

Usage: ``text = clean_text(raw)``; ``fields = html_to_fields(html)``
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Whole lines that are site furniture, not article text (matched case-insensitively).
BOILERPLATE_LINES = (
    r"exit mobile version",
    r"skip to (main )?content",
    r"advertisement",
    r"sponsored content",
    r"share (this|on) (article|story|facebook|twitter|x)",
    r"(sign up|subscribe) (for|to) (our|the) newsletter.*",
    r"click here to subscribe.*",
    r"follow us on (twitter|facebook|instagram|x).*",
    r"read more:?",
    r"related (articles|stories|posts):?",
    r"print this (page|article)",
    r"all rights reserved\.?",
    r"copyright ©.*",
    r"back to top",
)
_BOILERPLATE = re.compile(r"^\s*(?:" + "|".join(BOILERPLATE_LINES) + r")\s*$", re.IGNORECASE)
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1")


@dataclass(frozen=True, slots=True)
class HtmlFields:
    """What the HTML extractor found."""

    text: str
    title: str
    published: str
    author: str
    url: str
    source: str


def clean_text(raw: str) -> str:
    """Normalise Unicode and whitespace, drop boilerplate lines, keep paragraph breaks."""
    text = unicodedata.normalize("NFC", raw).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u00a0", " ").replace("\u200b", "").replace("\ufeff", "")
    lines = [re.sub(r"[ \t\f\v]+", " ", line).strip() for line in text.split("\n")]
    lines = [line for line in lines if not _BOILERPLATE.match(line)]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def markdown_to_text(raw: str) -> str:
    """Strip the Markdown that is not prose: heading marks, emphasis, links, images."""
    out = []
    for line in raw.splitlines():
        heading = _MD_HEADING.match(line)
        if heading:
            line = heading.group(1)
        line = _MD_LINK.sub(r"\1", line)
        line = _MD_EMPHASIS.sub(r"\2", line)
        out.append(line)
    return "\n".join(out)


def title_from_text(text: str) -> str:
    """The first line when it looks like a headline (short, not a full paragraph)."""
    first = text.split("\n", 1)[0].strip()
    return first if 0 < len(first) <= 200 else ""


def html_to_fields(html: str, url: str = "") -> HtmlFields | None:
    """Main text and metadata of an HTML page (trafilatura); None when no text is found."""
    import trafilatura  # imported here: it is slow to import and only HTML needs it

    doc = trafilatura.bare_extraction(
        html,
        url=url or None,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        # dates from the page's metadata (JSON-LD, meta tags, <time>) only: the extensive
        # search turns a footer's "© 2023" into a publication date of 2023-01-01
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if doc is None or not (doc.text or "").strip():
        return None
    paragraphs = "\n\n".join(line for line in doc.text.split("\n") if line.strip())
    return HtmlFields(
        text=paragraphs,
        title=doc.title or "",
        published=doc.date or "",
        author=doc.author or "",
        url=doc.url or url,
        source=doc.sitename or doc.hostname or "",
    )
