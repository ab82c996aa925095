"""Polite, bounded HTTP fetching for web pages and feeds (httpx).

Usage::

    fetcher = Fetcher(FetchPolicy(allow_private=True))
    page = fetcher.fetch("https://example.org/story.html")      # Fetched, or raises FetchError
    for url, got in fetcher.fetch_all(urls): ...                 # got: Fetched | FetchError

Timeouts, a size limit (the body is streamed and dropped past it), allowed content types, a
user agent, redirects followed by hand up to a limit (each hop is checked again), a few requests
at a time per host, conditional requests (ETag / Last-Modified). With ``allow_private=False``
(the chat's default) a URL whose host resolves to a loopback, private, link-local (cloud
metadata), multicast, reserved or unspecified address is refused before any request.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

import httpx

from ingest.addresses import public
from rag.core.settings import Settings

if TYPE_CHECKING:
    from ingest.budget import FeedBudget

USER_AGENT = "newsrag/0.1 (+https://github.com/newsrag/newsrag; news question answering)"
TEXT_TYPES = (
    "text/html",
    "application/xhtml+xml",
    "application/rss+xml",
    "application/atom+xml",
    "application/xml",
    "text/xml",
    "application/feed+json",
)


class FetchError(Exception):
    """A URL that could not be fetched; the message names the reason (one line)."""


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    timeout: float = 15.0
    max_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 5
    per_host: int = 2
    workers: int = 8
    allow_private: bool = False
    user_agent: str = USER_AGENT
    feed_deadline: float = 120.0
    host_budget: float = 60.0


@dataclass(frozen=True, slots=True)
class Fetched:
    """A successful response: the URL asked for, the final URL after redirects, the body."""

    url: str
    final_url: str
    status: int
    content_type: str
    body: bytes = b""
    etag: str = ""
    last_modified: str = ""
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    def text(self) -> str:
        """The body decoded with the response's charset (else UTF-8, replacing bad bytes)."""
        charset = "utf-8"
        for part in self.content_type.split(";")[1:]:
            key, _, value = part.strip().partition("=")
            if key.lower() == "charset" and value:
                charset = value.strip("\"'")
        try:
            return self.body.decode(charset, errors="replace")
        except LookupError:
            return self.body.decode("utf-8", errors="replace")


class Fetcher:
    """Fetches URLs under one FetchPolicy; safe to share between threads."""

    def __init__(self, policy: FetchPolicy | None = None) -> None:
        self.policy = policy or FetchPolicy()
        self._hosts: dict[str, threading.Semaphore] = defaultdict(
            lambda: threading.Semaphore(self.policy.per_host)
        )
        self._guard = threading.Lock()

    def fetch(
        self,
        url: str,
        etag: str = "",
        last_modified: str = "",
        budget: FeedBudget | None = None,
    ) -> Fetched:
        """GET ``url`` (conditionally when ``etag``/``last_modified`` are given; within
        ``budget`` when given); FetchError with a one-line reason when it cannot be had."""
        try:
            return self._fetch(url, etag, last_modified, budget)
        except httpx.HTTPError as exc:
            timed_out = isinstance(exc, httpx.TimeoutException)
            if timed_out and budget is not None and budget.remaining() <= 0:
                raise budget.expired_while_reading() from None
            raise translate(exc) from None

    def _fetch(self, url: str, etag: str, last_modified: str, budget: FeedBudget | None) -> Fetched:
        headers = {"User-Agent": self.policy.user_agent, "Accept": ", ".join(TEXT_TYPES)}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        with httpx.Client(follow_redirects=False, headers=headers) as client:
            current = url
            for _ in range(self.policy.max_redirects + 1):
                self._check_address(current)
                with self._slot(current):
                    if budget is not None:
                        budget.check(current)
                        started = budget.start(current)
                    try:
                        timeout = self._timeout(budget)
                        with client.stream("GET", current, timeout=timeout) as response:
                            if response.status_code in (301, 302, 303, 307, 308):
                                current = _location(current, response)
                                continue
                            return self._read(url, current, response, budget)
                    finally:
                        if budget is not None:
                            budget.finish(current, started)
        raise FetchError(f"more than {self.policy.max_redirects} redirects")

    def _timeout(self, budget: FeedBudget | None) -> float:
        return self.policy.timeout if budget is None else budget.cap(self.policy.timeout)

    def fetch_all(
        self, urls: Iterable[str], budget: FeedBudget | None = None
    ) -> Iterator[tuple[str, Fetched | FetchError]]:
        """Fetch ``urls`` a few at a time (per host too), within ``budget`` when given; yields
        in the given order."""
        with ThreadPoolExecutor(self.policy.workers, thread_name_prefix="newsrag-fetch") as pool:
            futures = [(u, pool.submit(self._safe_fetch, u, budget)) for u in urls]
            for url, future in futures:
                yield url, future.result()

    def _safe_fetch(self, url: str, budget: FeedBudget | None) -> Fetched | FetchError:
        try:
            return self.fetch(url, budget=budget)
        except FetchError as exc:
            return exc

    def _slot(self, url: str) -> threading.Semaphore:
        with self._guard:
            return self._hosts[urlsplit(url).netloc.lower()]

    def _read(
        self, url: str, final: str, response: httpx.Response, budget: FeedBudget | None
    ) -> Fetched:
        status = response.status_code
        if status == 304:
            return Fetched(url, final, status, "")
        if status >= 400:
            raise FetchError(f"HTTP {status} {response.reason_phrase}".strip())
        content_type = response.headers.get("content-type", "")
        kind = content_type.split(";")[0].strip().lower()
        if kind and kind not in TEXT_TYPES:
            raise FetchError(f"not a web page or feed (Content-Type {kind})")
        declared = int(response.headers.get("content-length") or 0)
        if declared > self.policy.max_bytes:
            raise FetchError(f"too big ({declared:,} bytes; the limit is {self._limit()})")
        body = bytearray()
        deadline = time.monotonic() + self._timeout(budget)  # a trickling server times out too
        for piece in response.iter_bytes():
            body += piece
            if len(body) > self.policy.max_bytes:
                raise FetchError(f"too big (over {self._limit()})")
            if time.monotonic() > deadline:
                if budget is not None and budget.remaining() <= 0:
                    raise budget.expired_while_reading()
                raise FetchError(f"timed out (still reading after {self.policy.timeout:g} s)")
        return Fetched(
            url,
            final,
            status,
            content_type,
            bytes(body),
            response.headers.get("etag", ""),
            response.headers.get("last-modified", ""),
            dict(response.headers),
        )

    def _limit(self) -> str:
        return f"{self.policy.max_bytes / 1024 / 1024:g} MB"

    def _check_address(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError("only http:// and https:// URLs can be fetched")
        if self.policy.allow_private:
            return
        for address in _addresses(parts.hostname, parts.port or 443):
            if not public(address):
                raise FetchError(
                    f"{parts.hostname} resolves to a private or local address ({address}); "
                    "refused (the operator can allow it with NEWSRAG_ALLOW_PRIVATE_URLS=1)"
                )


def _location(current: str, response: httpx.Response) -> str:
    location = response.headers.get("location", "")
    if not location:
        raise FetchError(f"HTTP {response.status_code} without a Location")
    return urljoin(current, location)


def _addresses(host: str, port: int) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    """The addresses ``host`` names: itself when it is an address (no resolver asked), else
    what the resolver returns."""
    try:
        return [ipaddress.ip_address(host.split("%")[0])]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise FetchError(f"cannot resolve {host} ({exc.strerror or exc})") from None
    return [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]


def translate(exc: Exception) -> FetchError:
    """One line for an httpx failure."""
    if isinstance(exc, httpx.TimeoutException):
        return FetchError("timed out")
    if isinstance(exc, httpx.TooManyRedirects):
        return FetchError("too many redirects")
    if isinstance(exc, httpx.HTTPError):
        return FetchError(f"request failed ({exc.__class__.__name__}: {exc})")
    return FetchError(str(exc))


def fetch_policy(settings: Settings, allow_private: bool) -> FetchPolicy:
    """The fetch policy of ``settings``; ``allow_private`` is the caller's (CLI: yes, chat: the
    operator's NEWSRAG_ALLOW_PRIVATE_URLS)."""
    return FetchPolicy(
        timeout=settings.fetch_timeout,
        max_bytes=int(settings.max_fetch_mb * 1024 * 1024),
        allow_private=allow_private,
        feed_deadline=settings.feed_deadline,
        host_budget=settings.feed_host_budget,
    )
