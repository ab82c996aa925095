"""Front matter: a plain-text or Markdown article may open with a block of ``key: value`` lines
between two ``---`` lines, giving what a text file cannot say otherwise::

    ---
    title: Pakistan, U.S. Defence Talks In Washington
    published: 2023-02-12
    source: Dawn
    url: https://example.org/pk-us-talks
    author: Staff reporter
    ---
    The foreign office in Islamabad has said ...

Usage: ``fields, body = split_front_matter(raw)``; ``fields`` holds the known keys only.
"""

from __future__ import annotations

import re
from datetime import date, datetime

KEYS = ("title", "published", "source", "url", "author")
ALIASES = {"date": "published", "outlet": "source", "byline": "author", "headline": "title"}
_BLOCK = re.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_LINE = re.compile(r"^([A-Za-z_][\w-]*)[ \t]*:[ \t]*(.*?)[ \t]*$")


DATE_KEYS = ("published",)
_OPENING = re.compile(r"\A\ufeff?---[ \t]*\r?\n")


class FrontMatterError(ValueError):
    """A front-matter block that cannot be read: ``line`` (1-based in the file) and what to
    write there."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


def split_front_matter(raw: str) -> tuple[dict[str, str], str]:
    """The known fields of a leading ``---`` block and the text after it; ({}, raw) without one.

    Values may be quoted; keys are case-insensitive; ``date``/``outlet``/``byline``/``headline``
    are accepted for published/source/author/title. Unknown keys are ignored.
    """
    match = _BLOCK.match(raw)
    if match is None:
        if _OPENING.match(raw) and _LINE.match(raw.splitlines()[1] if "\n" in raw else ""):
            raise FrontMatterError(
                1,
                "the front matter block opened with '---' is never closed; end it with a "
                "'---' line before the article text",
            )
        return {}, raw
    fields: dict[str, str] = {}
    for lineno, line in enumerate(match.group(1).splitlines(), start=2):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        found = _LINE.match(line)
        if found is None:
            raise FrontMatterError(
                lineno, f"front matter lines look like 'key: value', not {line.strip()!r}"
            )
        key = found.group(1).lower()
        key = ALIASES.get(key, key)
        value = _unquote(found.group(2))
        if key in DATE_KEYS and value and strict_date(value) is None:
            raise FrontMatterError(
                lineno,
                f"{found.group(1)}: {value!r} is not a date; write it as YYYY-MM-DD "
                "(e.g. 2023-02-12), or leave the line out",
            )
        if key in KEYS:
            fields[key] = value
    return fields, raw[match.end() :]


def strict_date(value: str) -> date | None:
    """The date ``value`` states, with nothing else in it: ISO (with or without a time),
    YYYY/MM/DD, or a written date ("12 February 2023", "Feb 12, 2023"); the year 1900-2100.
    None for anything else ("2023-13-45", "last Tuesday", "not before 2031 probably")."""
    from dateutil import parser as date_parser

    text = value.strip()
    try:
        found = datetime.fromisoformat(text).date()
    except ValueError:
        if not re.fullmatch(r"[\w ,./:+-]+", text) or not re.search(r"\b\d{4}\b", text):
            return None
        try:
            found = date_parser.parse(text, default=datetime(1900, 1, 1), fuzzy=False).date()
        except (ValueError, OverflowError):
            return None
    return found if 1900 <= found.year <= 2100 else None


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value
