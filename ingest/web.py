"""Web pages and feeds -> Articles: trafilatura for a page's main text and metadata (headline,
author, outlet, date from JSON-LD / meta tags, canonical URL), feedparser for RSS 2.0 and Atom.

Usage: ``page_article(fetched)`` -> Article | Skipped; ``feed = parse_feed(fetched)`` when
``looks_like_feed(fetched)``; each ``feed.items`` link is fetched and read as a page, the item's
own title, date and summary filling what the page lacks.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from ingest.clean import clean_text, html_to_fields
from ingest.fetch import Fetched
from ingest.urls import canonical, web_id
from rag.core.dates import parse_date
from rag.core.types import Article, Skipped

FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json")


@dataclass(frozen=True, slots=True)
class FeedItem:
    link: str
    title: str = ""
    published: str = ""
    summary: str = ""
    key: str = ""  # what identifies this version of the item: guid/link and its date


@dataclass(frozen=True, slots=True)
class Feed:
    title: str
    items: list[FeedItem]


def page_article(
    fetched: Fetched, item: FeedItem | None = None, source: str = ""
) -> Article | Skipped:
    """The article on a fetched HTML page; Skipped (with the URL and why) when it has none."""
    fields = html_to_fields(fetched.text(), url=fetched.final_url)
    text = clean_text(fields.text) if fields else ""
    if not text and item and item.summary:
        text = clean_text(
            html_to_fields(f"<p>{item.summary}</p>").text if "<" in item.summary else item.summary
        )
    if not text:
        return Skipped(fetched.url, "no article text found on the page")
    url = canonical((fields.url if fields else "") or fetched.final_url)
    host = urlsplit(url).hostname or ""
    published = (fields.published if fields else "") or (item.published if item else "")
    day = parse_date(published)
    return Article(
        id=web_id(url),
        text=text,
        title=(fields.title if fields else "") or (item.title if item else ""),
        url=url,
        published=day.isoformat() if day else "",
        source=(fields.source if fields else "") or source or host,
        author=fields.author if fields else "",
        origin=fetched.url,
    )


def looks_like_feed(fetched: Fetched) -> bool:
    kind = fetched.content_type.split(";")[0].strip().lower()
    if kind in FEED_TYPES:
        return True
    head = fetched.body[:1024].lstrip().lower()
    return kind in ("application/xml", "text/xml", "") and (b"<rss" in head or b"<feed" in head)


def parse_feed(fetched: Fetched) -> Feed:
    """The feed's title and items (RSS 2.0, Atom, anything feedparser reads)."""
    import feedparser

    parsed = feedparser.parse(
        fetched.body, response_headers={"content-location": fetched.final_url}
    )
    items = []
    for entry in parsed.entries:
        link = entry.get("link", "")
        if not link:
            continue
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        published = time.strftime("%Y-%m-%d", stamp) if stamp else ""
        version = entry.get("updated", "") or entry.get("published", "")
        items.append(
            FeedItem(
                link=link,
                title=entry.get("title", ""),
                published=published,
                summary=entry.get("summary", ""),
                key=f"{entry.get('id', link)}|{version}",
            )
        )
    return Feed(parsed.feed.get("title", ""), items)
