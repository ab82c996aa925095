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

KEYS = ("title", "published", "source", "url", "author")
ALIASES = {"date": "published", "outlet": "source", "byline": "author", "headline": "title"}
_BLOCK = re.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_LINE = re.compile(r"^([A-Za-z_][\w-]*)[ \t]*:[ \t]*(.*?)[ \t]*$")


class FrontMatterError(ValueError):
    """A front-matter block that cannot be read; the message names the line."""


def split_front_matter(raw: str) -> tuple[dict[str, str], str]:
    """The known fields of a leading ``---`` block and the text after it; ({}, raw) without one.

    Values may be quoted; keys are case-insensitive; ``date``/``outlet``/``byline``/``headline``
    are accepted for published/source/author/title. Unknown keys are ignored.
    """
    match = _BLOCK.match(raw)
    if match is None:
        return {}, raw
    fields: dict[str, str] = {}
    for lineno, line in enumerate(match.group(1).splitlines(), start=2):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        found = _LINE.match(line)
        if found is None:
            raise FrontMatterError(
                f"line {lineno}: front matter lines look like 'key: value', not {line.strip()!r}"
            )
        key = found.group(1).lower()
        key = ALIASES.get(key, key)
        if key in KEYS:
            fields[key] = _unquote(found.group(2))
    return fields, raw[match.end() :]


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value
