"""URLs -> Articles: a page is fetched and read; a feed is fetched (conditionally) and each new
or changed item's page is fetched and read, a few at a time. What was seen of each feed (ETag,
Last-Modified, item versions) is kept in ``home/feeds.json`` so re-polling fetches only what is
new; content hashes in the indexer catch the rest.

Usage: ``for item in read_urls(urls, Fetcher(policy), FeedState(home / "feeds.json")): ...``
(each item an Article or a Skipped naming the URL and the reason).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from ingest.budget import NEXT_POLL, FeedBudget
from ingest.fetch import Fetched, Fetcher, FetchError
from ingest.web import FeedItem, looks_like_feed, page_article, parse_feed
from rag.core.types import Article, Skipped


class FeedState:
    """Per feed URL: its validators and the item versions already ingested."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.feeds: dict[str, dict] = {}
        if path is not None and path.exists():
            try:
                self.feeds = json.loads(path.read_text())
            except (OSError, ValueError):
                self.feeds = {}  # a damaged state only costs a full re-poll

    def validators(self, url: str) -> tuple[str, str]:
        feed = self.feeds.get(url, {})
        return feed.get("etag", ""), feed.get("last_modified", "")

    def seen(self, url: str) -> set[str]:
        return set(self.feeds.get(url, {}).get("items", []))

    def remember(
        self, url: str, fetched: Fetched, items: Sequence[str], complete: bool = True
    ) -> None:
        """Keep the items done; the feed's validators only when ``complete`` (else the next
        poll fetches the feed again and the items left over)."""
        self.feeds[url] = {
            "etag": fetched.etag if complete else "",
            "last_modified": fetched.last_modified if complete else "",
            "items": sorted(set(items)),
        }

    def save(self) -> None:
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.feeds, indent=1))
        os.replace(tmp, self.path)


def read_urls(
    urls: Sequence[str], fetcher: Fetcher, state: FeedState
) -> Iterator[Article | Skipped]:
    """Yield the articles of ``urls`` (pages and feeds) and a Skipped for each failure."""
    for url in urls:
        etag, modified = state.validators(url)
        try:
            fetched = fetcher.fetch(url, etag, modified)
        except FetchError as exc:
            yield Skipped(url, str(exc))
            continue
        if fetched.not_modified:
            continue  # a feed that has not changed since the last poll
        if looks_like_feed(fetched):
            yield from _feed_articles(url, fetched, fetcher, state)
        else:
            yield page_article(fetched)


def _feed_articles(
    url: str, fetched: Fetched, fetcher: Fetcher, state: FeedState
) -> Iterator[Article | Skipped]:
    feed = parse_feed(fetched)
    if not feed.items:
        yield Skipped(url, "a feed without items (or not a feed feedparser can read)")
        return
    seen = state.seen(url)
    todo = [item for item in feed.items if item.key not in seen]
    done = [item.key for item in feed.items if item.key in seen]
    by_link: dict[str, FeedItem] = {item.link: item for item in todo}
    policy = fetcher.policy
    budget = FeedBudget(policy.feed_deadline, policy.host_budget)
    complete = True
    for link, got in fetcher.fetch_all(list(by_link), budget):
        if isinstance(got, FetchError):
            complete = complete and NEXT_POLL not in str(got)
            yield Skipped(link, str(got))
            continue
        done.append(by_link[link].key)
        yield page_article(got, by_link[link], source=feed.title)
    state.remember(url, fetched, done, complete)
