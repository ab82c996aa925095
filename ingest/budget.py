"""Time limits for fetching the items of one feed: a deadline for the whole feed and a budget of
request seconds per host, so a feed of 500 trickling items cannot hold an ingest for an hour.

Usage::

    budget = FeedBudget(deadline=120, per_host=60)
    budget.check(url)                    # FetchError when the feed or the host has used its time
    timeout = budget.cap(15.0)           # a request never outlives the feed's deadline
    started = budget.start(url)          # a request's time counts while it runs...
    budget.finish(url, started)          # ...and after it

An item stopped by the budget is reported as its own Skipped line and is fetched at the next
poll (the feed's validators are not kept, see ingest/web_sources.py).
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Callable
from urllib.parse import urlsplit

from ingest.fetch import FetchError

NEXT_POLL = "the next poll fetches it"


class FeedBudget:
    """The time one feed's items may take; safe to share between fetch threads."""

    def __init__(
        self,
        deadline: float,
        per_host: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.deadline = deadline
        self.per_host = per_host
        self._clock = clock
        self._end = clock() + deadline
        self._spent: dict[str, float] = defaultdict(float)
        self._running: dict[str, list[float]] = defaultdict(list)
        self._guard = threading.Lock()

    def remaining(self) -> float:
        return self._end - self._clock()

    def check(self, url: str) -> None:
        """Raise FetchError (one line) when the feed's deadline passed or the host is spent."""
        if self.remaining() <= 0:
            raise FetchError(
                f"not fetched: the feed used its {self.deadline:g} s "
                f"(NEWSRAG_FEED_DEADLINE); {NEXT_POLL}"
            )
        host = _host(url)
        now = self._clock()
        with self._guard:
            spent = self._spent[host] + sum(now - t for t in self._running[host])
        if spent >= self.per_host:
            raise FetchError(
                f"not fetched: {host} used its {self.per_host:g} s for this feed "
                f"(NEWSRAG_FEED_HOST_BUDGET); {NEXT_POLL}"
            )

    def cap(self, timeout: float) -> float:
        """``timeout``, shortened so a request ends by the feed's deadline (never below 0.01)."""
        return max(0.01, min(timeout, self.remaining()))

    def expired_while_reading(self) -> FetchError:
        return FetchError(
            f"timed out (the feed's {self.deadline:g} s deadline passed while reading); {NEXT_POLL}"
        )

    def start(self, url: str) -> float:
        """Count a request to ``url``'s host from now; give the result to ``finish``."""
        started = self._clock()
        with self._guard:
            self._running[_host(url)].append(started)
        return started

    def finish(self, url: str, started: float) -> None:
        host = _host(url)
        with self._guard:
            self._running[host].remove(started)
            self._spent[host] += self._clock() - started


def _host(url: str) -> str:
    return urlsplit(url).netloc.lower()
