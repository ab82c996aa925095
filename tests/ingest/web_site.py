"""A small news site served on 127.0.0.1 for the web-ingest tests: article pages with the
clutter real ones have (navigation, cookie banner, scripts, related stories, subscribe box,
footer, JSON-LD dates), an RSS 2.0 and an Atom feed, a redirect, a 404, a slow page, an
oversized page, a binary file, two outlets' copies of one wire story, and a feed of six pages
that each trickle their body over ``site.trickle`` seconds (/trickle/rss.xml).

Usage: ``with serve_site() as site: site.url("/world/rss.xml"); site.hits["/world/rss.xml"]``
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TALKS_PATH = "/world/2023/02/12/pakistan-us-talks.html"
TALKS_BODY = [
    "Pakistan and the United States began two days of defence talks in Washington on Monday, "
    "the foreign office in Islamabad said.",
    "The Pakistani team, led by Lt. Gen. Mohammed Saeed, Chief of General Staff, arrived in the "
    "U.S. capital on Sunday afternoon.",
    "Officials said the talks would cover counter-terrorism, border security and the sale of "
    "spare parts for the F-16 fleet.",
]
WIRE_BODY = [
    "GENEVA (Wire) - A glacier in the Swiss Alps lost nearly a tenth of its volume in the past "
    "two summers, researchers at the Federal Institute of Technology said on Thursday.",
    "The Rhone glacier shrank by 9.2 percent between 2022 and 2024, the team reported, the "
    "fastest loss since measurements began in 1874.",
    "Lead researcher Anna Keller said warmer nights and less winter snow were to blame, and "
    "that the ice tunnel dug for tourists each year would have to move higher.",
    "Regional officials plan to cover parts of the glacier with white fleece blankets again "
    "this summer to slow the melt near the tourist grotto.",
]
SCIENCE_BODY = [
    "Engineers in Oslo switched on the city's first battery ferry charger on Tuesday, the port "
    "authority said, cutting the harbour's diesel use by a fifth.",
    "The charger, built by a local firm, refills a ferry's batteries in seven minutes while "
    "passengers board.",
]


def article_page(
    title: str,
    body: list[str],
    *,
    canonical: str,
    site: str,
    date: str | None,
    extra: str = "",
) -> str:
    """A news page the way sites really build them."""
    ld = (
        f'<script type="application/ld+json">{json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": title, "datePublished": date, "author": {"@type": "Person", "name": "Staff Reporter"}})}</script>'  # noqa: E501
        if date
        else ""
    )
    paragraphs = "\n".join(f"<p>{p}</p>" for p in body)
    return f"""<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8"><title>{title} | {site}</title>
<link rel="canonical" href="{canonical}">
<meta property="og:site_name" content="{site}">
<meta property="og:title" content="{title}">
{ld}
<script>window.dataLayer = window.dataLayer || [];
function track() {{ return "tracking pixel"; }}</script>
<style>.cookie {{ position: fixed; }}</style>
</head><body>
<div class="cookie-banner" id="cookie-consent">We use cookies to improve your experience.
 <button>Accept all cookies</button> <a href="/privacy">Privacy policy</a></div>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/science">Science</a></li><li><a href="/sport">Sport</a></li></ul></nav></header>
<main><article>
<h1>{title}</h1>
<div class="byline">By Staff Reporter</div>
{paragraphs}
{extra}
</article>
<aside class="related"><h2>Related stories</h2><ul>
<li><a href="/world/other-1.html">Floods close roads in the north</a></li>
<li><a href="/world/other-2.html">Markets rally after rate decision</a></li></ul></aside>
<div class="newsletter">Subscribe to our daily newsletter for the latest headlines.
 <form><input type="email"><button>Sign up</button></form></div>
</main>
<footer><p>© 2023 {site}. All rights reserved.</p><a href="/terms">Terms</a></footer>
<script>track(); console.log("analytics loaded");</script>
</body></html>"""


@dataclass
class Site:
    port: int
    hits: Counter = field(default_factory=Counter)
    etag: str = '"feed-v1"'
    trickle: float = 1.0

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


def _pages(site: Site) -> dict[str, tuple[int, str, bytes]]:
    base = site.url("")
    talks = article_page(
        "Pakistan, U.S. Defence Talks Open In Washington",
        TALKS_BODY,
        canonical=base + TALKS_PATH,
        site="Daily Planet",
        date="2023-02-12T09:30:00Z",
    )
    wire_a = article_page(
        "Swiss glacier loses a tenth of its ice in two summers",
        WIRE_BODY,
        canonical=base + "/wire/glacier.html",
        site="Daily Planet",
        date="2024-08-22",
    )
    wire_b = article_page(
        "Alpine ice in rapid retreat, scientists warn",
        WIRE_BODY[:3] + ["This story was edited for length by the Mountain Herald desk."],
        canonical=base + "/alps/rhone-glacier-retreat",
        site="Mountain Herald",
        date="2024-08-22",
        extra="<p>Copyright 2024 Wire. All rights reserved.</p>",
    )
    science = article_page(
        "Oslo switches on battery ferry charger",
        SCIENCE_BODY,
        canonical=base + "/science/oslo-ferry-charger.html",
        site="Daily Planet",
        date=None,  # the Atom feed's date fills it
    )
    html = "text/html; charset=utf-8"
    return {
        TALKS_PATH: (200, html, talks.encode()),
        "/wire/glacier.html": (200, html, wire_a.encode()),
        "/alps/rhone-glacier-retreat": (200, html, wire_b.encode()),
        "/science/oslo-ferry-charger.html": (200, html, science.encode()),
        "/photo.jpg": (200, "image/jpeg", b"\xff\xd8\xff\xe0" + bytes(2048)),
        "/huge.html": (200, html, b"<html><body>" + b"<p>filler text</p>" * 400_000),
        "/world/rss.xml": (200, "application/rss+xml; charset=utf-8", _rss(base).encode()),
        "/world/atom.xml": (200, "application/atom+xml; charset=utf-8", _atom(base).encode()),
        "/trickle/rss.xml": (200, "application/rss+xml", _trickle_rss(base).encode()),
        **{
            f"/trickle/{n}.html": (200, html, _trickle_page(base, n).encode())
            for n in range(1, TRICKLE_ITEMS + 1)
        },
    }


TRICKLE_ITEMS = 6  # len(TRICKLE_STORIES)


TRICKLE_STORIES = [
    "The harbour board approved twelve new mooring berths for fishing boats on Friday.",
    "A bakery on Quay Street won the regional sourdough prize after a blind tasting.",
    "Volunteers cleared four tonnes of plastic from the northern dunes over the weekend.",
    "The ferry to Skerry Island will run hourly from May, the operator announced.",
    "Councillors voted to rename the old customs house after a local lifeboat captain.",
    "A storm surge flooded the lower car park, and the coastguard closed the slipway.",
]


def _trickle_page(base: str, n: int) -> str:
    return article_page(
        f"Harbour Gazette story {n}",
        [TRICKLE_STORIES[n - 1]],
        canonical=f"{base}/trickle/{n}.html",
        site="Harbour Gazette",
        date=f"2024-03-{n:02d}",
    )


def _trickle_rss(base: str) -> str:
    entries = "".join(
        f"<item><title>Meeting {n}</title><link>{base}/trickle/{n}.html</link>"
        f"<guid>{base}/trickle/{n}.html</guid></item>"
        for n in range(1, TRICKLE_ITEMS + 1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>Harbour Gazette</title><link>{base}/</link>{entries}</channel></rss>"
    )


def _rss(base: str) -> str:
    items = [
        (f"{TALKS_PATH}?utm_source=rss&utm_medium=feed", "Defence talks open", "Sun, 12 Feb 2023"),
        ("/wire/glacier.html", "Swiss glacier loses a tenth", "Thu, 22 Aug 2024"),
        ("/alps/rhone-glacier-retreat", "Alpine ice in rapid retreat", "Thu, 22 Aug 2024"),
        ("/gone.html", "A story that was taken down", "Fri, 23 Aug 2024"),
        ("/photo.jpg", "Photo of the day", "Fri, 23 Aug 2024"),
    ]
    entries = "".join(
        f"<item><title>{t}</title><link>{base}{p}</link><guid>{base}{p}</guid>"
        f"<pubDate>{d} 08:00:00 GMT</pubDate><description>{t}.</description></item>"
        for p, t, d in items
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>Daily Planet - World</title><link>{base}/world</link>"
        f"<description>World news</description>{entries}</channel></rss>"
    )


def _atom(base: str) -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>Daily Planet - Science</title><id>{base}/science</id>"
        "<updated>2024-09-03T10:00:00Z</updated>"
        f"<entry><title>Oslo switches on battery ferry charger</title>"
        f'<link href="{base}/science/oslo-ferry-charger.html"/>'
        f"<id>{base}/science/oslo-ferry-charger.html</id>"
        "<updated>2024-09-03T10:00:00Z</updated><published>2024-09-03T08:00:00Z</published>"
        "<summary>A charger refills ferries in seven minutes.</summary></entry></feed>"
    )


@contextmanager
def serve_site() -> Iterator[Site]:
    site = Site(port=0)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            path = self.path.split("?", 1)[0]
            site.hits[path] += 1
            if path == "/alias/talks":
                self._send(301, "", b"", {"Location": TALKS_PATH + "?utm_campaign=alias"})
                return
            if path == "/slow.html":
                time.sleep(3)
            pages = _pages(site)
            if path not in pages:
                self._send(404, "text/html", b"<h1>Not found</h1>")
                return
            status, kind, body = pages[path]
            headers = {}
            if path.endswith(".xml"):
                headers["ETag"] = site.etag
                if self.headers.get("If-None-Match") == site.etag:
                    self._send(304, "", b"", headers)
                    return
            if path.startswith("/trickle/") and path.endswith(".html"):
                self._trickle(kind, body)
                return
            self._send(status, kind, body, headers)

        def _trickle(self, kind: str, body: bytes) -> None:
            """The body in four pieces over ``site.trickle`` seconds."""
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            step = -(-len(body) // 4)
            try:
                for at in range(0, len(body), step):
                    time.sleep(site.trickle / 4)
                    self.wfile.write(body[at : at + step])
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                pass

        def _send(self, status: int, kind: str, body: bytes, headers: dict | None = None) -> None:
            self.send_response(status)
            if kind:
                self.send_header("Content-Type", kind)
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            try:
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def log_message(self, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    site.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
