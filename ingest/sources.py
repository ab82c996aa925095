"""Sources -> Articles: .txt / .md / .html files, folders (recursive) and JSONL corpora.

Usage: ``for item in read_sources(resolve_sources(["articles/", "c.jsonl"])): ...``
(each item is an Article or a Skipped)
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path

from ingest.clean import clean_text, html_to_fields, markdown_to_text, title_from_text
from ingest.decode import decode_text
from ingest.frontmatter import FrontMatterError, split_front_matter
from ingest.urls import is_url
from rag.core.errors import InputError
from rag.core.types import Article, Skipped

TEXT_SUFFIXES = frozenset({".txt", ".text"})
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
JSONL_SUFFIXES = frozenset({".jsonl"})
SUPPORTED = TEXT_SUFFIXES | MARKDOWN_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES
JSONL_FIELDS = ("id", "title", "url", "published", "source", "author", "text")
MAX_ARTICLE_BYTES = 2_000_000  # one news article is far smaller; NEWSRAG_MAX_ARTICLE_MB


def split_sources(sources: Sequence[str | Path]) -> tuple[list[Path], list[str]]:
    """Files/folders and http(s) URLs, every one checked before anything is read; InputError
    naming the first bad one."""
    if not sources:
        raise InputError("nothing to ingest: give at least one file, folder or URL")
    urls = [str(s).strip() for s in sources if is_url(str(s).strip())]
    for url in urls:
        if not re.match(r"^https?://[^/\s]+", url, re.IGNORECASE):
            raise InputError(f"{url}: only http:// and https:// URLs can be ingested")
    paths = [s for s in sources if not is_url(str(s).strip())]
    return (resolve_sources(paths) if paths else []), urls


def resolve_sources(sources: Sequence[str | Path]) -> list[Path]:
    """Check every path before anything is read; raise InputError naming the first bad one."""
    if not sources:
        raise InputError("nothing to ingest: give at least one file or folder")
    paths: list[Path] = []
    for source in sources:
        text = str(source)
        if is_url(text):
            raise InputError(f"{text}: a URL; ingest it with `newsrag ingest URL`")
        path = Path(text).expanduser()
        if not path.exists():
            raise InputError(f"{text}: no such file or folder; check the path")
        paths.append(path)
    return paths


def read_sources(
    paths: Sequence[Path], max_article_bytes: int = MAX_ARTICLE_BYTES, id_space: str = ""
) -> Iterator[Article | Skipped]:
    """Yield an Article for each readable article under ``paths`` (see ``resolve_sources``)
    and a Skipped for everything else. An article over ``max_article_bytes`` is refused.
    ``id_space``: a prefix for every article id ("space-id")."""
    for item in _read_all(paths, max_article_bytes):
        if id_space and isinstance(item, Article):
            item = replace(item, id=f"{id_space}-{item.id}")
        yield item


def _read_all(paths: Sequence[Path], max_article_bytes: int) -> Iterator[Article | Skipped]:
    for path in paths:
        if path.is_dir():
            files, unreadable = _walk(path)
            yield from unreadable
            for file in files:
                yield from _read_file(file, False, max_article_bytes)
        else:
            yield from _read_file(path, True, max_article_bytes)


def count_articles(paths: Sequence[Path]) -> int:
    """About how many items ``read_sources(paths)`` yields (for progress and ETA): one per
    file, but one per line with a "text" key for a JSONL corpus; cheap (JSONL is scanned, not
    parsed), so a question file (qa.jsonl) beside the articles counts as the one line that
    reports it skipped, not as its many lines."""
    total = 0
    for path in paths:
        for file in _walk(path)[0] if path.is_dir() else [path]:
            lines = _count_lines(file) if file.suffix.lower() in JSONL_SUFFIXES else 0
            total += max(1, lines)
    return total


def _count_lines(path: Path) -> int:
    try:
        with path.open("rb") as handle:
            return sum(1 for line in handle if b'"text"' in line)
    except OSError:
        return 0


def _walk(folder: Path) -> tuple[list[Path], list[Skipped]]:
    """The files under ``folder`` (hidden ones left out) and a Skipped per unreadable folder."""
    files: list[Path] = []
    unreadable: list[Skipped] = []

    def report(exc: OSError) -> None:
        reason = f"cannot read the folder ({exc.strerror or exc}); check its permissions"
        unreadable.append(Skipped(str(exc.filename or folder), reason))

    for root, dirs, names in os.walk(folder, onerror=report):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        files += [Path(root) / n for n in names if not n.startswith(".")]
    return sorted(f for f in files if f.is_file()), unreadable


def _read_file(path: Path, explicit: bool, max_bytes: int) -> Iterator[Article | Skipped]:
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        if explicit:
            yield Skipped(
                str(path),
                f"unsupported file type {suffix or '(none)'}; "
                f"use one of {', '.join(sorted(SUPPORTED))}",
            )
        else:
            yield Skipped(str(path), "not an article file type", error=False)
        return
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield Skipped(
            str(path), f"cannot read the file ({exc.strerror or exc}); check its permissions"
        )
        return
    if b"\x00" in data and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        yield Skipped(str(path), "a binary file (it contains NUL bytes), not text")
        return
    if suffix not in JSONL_SUFFIXES and len(data) > max_bytes:
        yield Skipped(str(path), _too_big(len(data), max_bytes))
        return
    raw, warning = decode_text(data)
    if raw is None:
        yield Skipped(str(path), "not UTF-8 text and no other encoding fits; convert it to UTF-8")
        return
    if warning:
        yield Skipped(str(path), warning, error=False)
    if suffix in JSONL_SUFFIXES:
        yield from _read_jsonl(path, raw, explicit, max_bytes)
        return
    try:
        article = _file_article(path, raw, suffix)
    except FrontMatterError as exc:
        yield Skipped(f"{path}:{exc.line}", f"{exc}; fix the front matter block")
        return
    if article is None:
        yield Skipped(str(path), "no article text found (empty file or page)")
    else:
        yield article


def _too_big(size: int, limit: int) -> str:
    return (
        f"too big for one article ({size / 1e6:.1f} MB; the limit is {limit / 1e6:g} MB, "
        "NEWSRAG_MAX_ARTICLE_MB)"
    )


def _file_article(path: Path, raw: str, suffix: str) -> Article | None:
    origin = str(path)
    article_id = _file_id(path)
    if suffix in HTML_SUFFIXES:
        fields = html_to_fields(raw)
        if fields is None:
            return None
        text = clean_text(fields.text)
        if not text:
            return None
        return Article(
            id=article_id,
            text=text,
            title=fields.title or title_from_text(text),
            url=fields.url,
            published=fields.published,
            source=fields.source,
            author=fields.author,
            origin=origin,
        )
    fields, body = split_front_matter(raw)
    text = clean_text(markdown_to_text(body) if suffix in MARKDOWN_SUFFIXES else body)
    if not text:
        return None
    return Article(
        id=article_id,
        text=text,
        title=fields.get("title") or title_from_text(text),
        url=fields.get("url", ""),
        published=fields.get("published", ""),
        source=fields.get("source", ""),
        author=fields.get("author", ""),
        origin=origin,
    )


def _file_id(path: Path) -> str:
    """A stable id for a file: its name plus a hash of its absolute path."""
    digest = hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:10]
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", path.stem).strip("-")[:60] or "article"
    return f"{stem}-{digest}"


def _read_jsonl(
    path: Path, raw: str, explicit: bool, max_bytes: int
) -> Iterator[Article | Skipped]:
    rows: list[tuple[int, object]] = []
    problems: list[Skipped] = []
    for lineno, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        if len(line) > max_bytes:
            problems.append(Skipped(f"{path}:{lineno}", _too_big(len(line), max_bytes)))
            continue
        try:
            rows.append((lineno, json.loads(line)))
        except RecursionError:
            problems.append(
                Skipped(f"{path}:{lineno}", "JSON nested too deeply; fix or remove the line")
            )
        except json.JSONDecodeError as exc:
            problems.append(
                Skipped(
                    f"{path}:{lineno}",
                    f"invalid JSON ({exc.msg} at column {exc.colno}); fix or remove the line",
                )
            )
    if rows and not any(isinstance(obj, dict) and "text" in obj for _, obj in rows):
        # a dataset's qa.jsonl inside a folder is benign; a file named on purpose is an error
        reason = "no 'text' field in any line: not an article corpus"
        yield Skipped(
            str(path), reason + ("; every line needs 'text'" if explicit else ""), error=explicit
        )
        return
    yield from problems
    for lineno, obj in rows:
        yield _jsonl_article(path, lineno, obj)


def _jsonl_article(path: Path, lineno: int, obj: object) -> Article | Skipped:
    where = f"{path}:{lineno}"
    if not isinstance(obj, dict):
        return Skipped(where, "expected a JSON object with a 'text' field")
    for name in JSONL_FIELDS:
        value = obj.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, str | int)):
            return Skipped(where, f"field '{name}' must be a string, not {type(value).__name__}")
    if not isinstance(obj.get("text"), str):
        return Skipped(where, "field 'text' is missing; every line needs the article text")
    text = clean_text(obj["text"])
    if not text:
        return Skipped(where, "field 'text' is empty")
    url = str(obj.get("url") or "")
    given = obj.get("id")
    article_id = str(given) if given not in (None, "") else _row_id(path, lineno, url)
    return Article(
        id=article_id,
        text=text,
        title=str(obj.get("title") or "") or title_from_text(text),
        url=url,
        published=str(obj.get("published") or ""),
        source=str(obj.get("source") or ""),
        author=str(obj.get("author") or ""),
        origin=where,
    )


def _row_id(path: Path, lineno: int, url: str) -> str:
    key = url or f"{path.resolve()}:{lineno}"
    return "a-" + hashlib.sha256(key.encode()).hexdigest()[:16]
