"""Web pages and feeds from a real HTTP server on 127.0.0.1 (tests/ingest/web_site.py):
extraction, canonical URLs, wire-story dedup, per-item errors, polite limits, re-polling, and
the chat's refusal of private addresses."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from ingest.fetch import Fetcher, FetchError, FetchPolicy
from ingest.urls import web_id
from rag.assistant import Assistant
from rag.core.settings import Settings
from tests.fakes import HashingEmbedder
from tests.ingest.web_site import TALKS_BODY, TALKS_PATH, TRICKLE_ITEMS, Site, serve_site


@pytest.fixture
def site() -> Iterator[Site]:
    with serve_site() as s:
        yield s


@pytest.fixture
def web(settings: Settings) -> Assistant:
    limited = settings.model_copy(update={"fetch_timeout": 1.0, "max_fetch_mb": 1.0})
    return Assistant(limited, embeddings=HashingEmbedder())


def test_a_page_gives_its_headline_date_outlet_canonical_url_and_clean_body(
    web: Assistant, site: Site
) -> None:
    report = web.ingest([site.url(TALKS_PATH + "?utm_source=newsletter#comments")])
    canonical = site.url(TALKS_PATH)
    assert report.added == [web_id(canonical)] and not report.skipped
    article = web.get_article(web_id(canonical))
    assert article.title == "Pakistan, U.S. Defence Talks Open In Washington"
    assert (article.published, article.source, article.url) == (
        "2023-02-12",
        "Daily Planet",
        canonical,
    )
    assert article.author == "Staff Reporter"
    for paragraph in TALKS_BODY:
        assert paragraph in article.text
    for clutter in (
        "cookies",
        "Home",
        "Sport",
        "Related stories",
        "Subscribe",
        "analytics",
        "tracking",
        "All rights reserved",
        "Privacy policy",
    ):
        assert clutter not in article.text, clutter


def test_a_feed_ingests_each_item_once_reports_failures_and_repolls_nothing(
    web: Assistant, site: Site
) -> None:
    report = web.ingest([site.url("/world/rss.xml")])
    talks, glacier = web_id(site.url(TALKS_PATH)), web_id(site.url("/wire/glacier.html"))
    assert sorted(report.added) == sorted([talks, glacier])
    reasons = {s.where: s.reason for s in report.errors}
    assert reasons == {
        site.url("/gone.html"): "HTTP 404 Not Found",
        site.url("/photo.jpg"): "not a web page or feed (Content-Type image/jpeg)",
    }
    (dup,) = report.duplicates
    assert dup.where == site.url("/alps/rhone-glacier-retreat")
    assert dup.reason.startswith(f"the same story as article {glacier} (near-duplicate text)")
    stored = web.get_article(glacier)
    assert stored.source == "Daily Planet"
    assert stored.also == ("Mountain Herald " + site.url("/alps/rhone-glacier-retreat"),)
    assert "added 2, updated 0, unchanged 0, duplicate 1, failed 2" in report.summary()
    assert len(web.list_articles()) == 2

    pages_before = sum(n for p, n in site.hits.items() if not p.endswith(".xml"))
    again = web.ingest([site.url("/world/rss.xml")])  # the server answers 304 Not Modified
    assert (again.added, again.updated, again.skipped) == ([], [], [])
    assert sum(n for p, n in site.hits.items() if not p.endswith(".xml")) == pages_before

    site.etag = '"feed-v2"'  # the feed changed (new ETag) but its items did not
    third = web.ingest([site.url("/world/rss.xml")])
    assert (third.added, third.updated) == ([], [])
    assert {s.where for s in third.errors} == {site.url("/gone.html"), site.url("/photo.jpg")}
    assert len(web.list_articles()) == 2


def test_the_same_page_under_two_urls_and_a_redirect_is_one_article(
    web: Assistant, site: Site
) -> None:
    report = web.ingest(
        [
            site.url(TALKS_PATH),
            site.url(TALKS_PATH + "?utm_source=twitter&fbclid=abc"),
            site.url("/alias/talks"),  # 301 to the page with a tracking parameter
        ]
    )
    assert report.added == [web_id(site.url(TALKS_PATH))]
    assert len(report.duplicates) == 2 and not report.errors
    assert all("the same page as" in s.reason for s in report.duplicates)
    assert web.ingest([site.url("/alias/talks")]).unchanged == [web_id(site.url(TALKS_PATH))]


def test_an_atom_item_fills_the_date_its_page_lacks(web: Assistant, site: Site) -> None:
    report = web.ingest([site.url("/world/atom.xml")])
    article = web.get_article(web_id(site.url("/science/oslo-ferry-charger.html")))
    assert report.added == [article.id]
    assert (article.title, article.published) == (
        "Oslo switches on battery ferry charger",
        "2024-09-03",
    )
    assert article.source == "Daily Planet"


def test_slow_big_binary_and_missing_urls_fail_one_line_each_and_the_batch_goes_on(
    web: Assistant, site: Site
) -> None:
    urls = ["/slow.html", "/huge.html", "/photo.jpg", "/gone.html", TALKS_PATH]
    report = web.ingest([site.url(u) for u in urls])
    assert report.added == [web_id(site.url(TALKS_PATH))]
    assert [(s.where, s.reason) for s in report.errors] == [
        (site.url("/slow.html"), "timed out"),
        (site.url("/huge.html"), "too big (7,200,012 bytes; the limit is 1 MB)"),
        (site.url("/photo.jpg"), "not a web page or feed (Content-Type image/jpeg)"),
        (site.url("/gone.html"), "HTTP 404 Not Found"),
    ]


def test_private_addresses_are_refused_unless_allowed(web: Assistant, site: Site) -> None:
    report = web.ingest([site.url(TALKS_PATH)], allow_private=False)
    (error,) = report.errors
    assert error.reason == (
        "127.0.0.1 resolves to a private or local address (127.0.0.1); refused (the operator "
        "can allow it with NEWSRAG_ALLOW_PRIVATE_URLS=1)"
    )
    assert site.hits[TALKS_PATH] == 0 and web.list_articles() == []
    for url in (
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:8080/",
        "http://10.0.0.7/",
    ):
        with pytest.raises(FetchError, match="private or local address"):
            Fetcher(FetchPolicy()).fetch(url)
    with pytest.raises(FetchError, match="only http:// and https://"):
        Fetcher(FetchPolicy(allow_private=True)).fetch("file:///etc/passwd")


def test_the_chats_url_box_refuses_a_private_address_unless_the_operator_allows_it(
    settings: Settings, site: Site
) -> None:
    from rag.faces.app import add_urls

    def progress(*args: object, **kwargs: object) -> None:
        return None

    chat = Assistant(settings, embeddings=HashingEmbedder())
    text, _, box = add_urls(chat, site.url(TALKS_PATH), progress)
    assert "**Added 0**" in text and "1 failed" in text
    assert r"resolves to a private or local address \(127\.0\.0\.1\); refused" in text
    assert site.hits[TALKS_PATH] == 0 and chat.list_articles() == []

    allowed = settings.model_copy(update={"allow_private_urls": True})
    operator = Assistant(allowed, embeddings=HashingEmbedder())
    text, _, box = add_urls(operator, site.url(TALKS_PATH), progress)
    assert text.startswith("**Added 1**") and box == ""
    assert [a.url for a in operator.list_articles()] == [site.url(TALKS_PATH)]


def _feed_reader(settings: Settings, **limits: float) -> Assistant:
    limited = settings.model_copy(update={"fetch_timeout": 5.0, **limits})
    return Assistant(limited, embeddings=HashingEmbedder())


def test_a_feed_of_trickling_pages_stops_at_its_deadline_and_the_next_poll_fetches_the_rest(
    settings: Settings, site: Site
) -> None:
    feed = site.url("/trickle/rss.xml")  # six pages, each 1 s to read, two at a time: 3 s
    started = time.monotonic()
    first = _feed_reader(settings, feed_deadline=1.5).ingest([feed])
    assert time.monotonic() - started < 2.6
    reasons = [s.reason for s in first.errors]
    assert len(first.added) + len(reasons) == TRICKLE_ITEMS and first.added
    assert all(r.endswith("; the next poll fetches it") for r in reasons), reasons
    unstarted = "not fetched: the feed used its 1.5 s (NEWSRAG_FEED_DEADLINE); the next poll "
    assert sum(r.startswith(unstarted) for r in reasons) >= 2, reasons  # 5 and 6 never started

    second = _feed_reader(settings, feed_deadline=30.0).ingest([feed])
    assert not second.errors and sorted(second.added + first.added) == sorted(
        web_id(site.url(f"/trickle/{n}.html")) for n in range(1, TRICKLE_ITEMS + 1)
    )
    assert all(site.hits[f"/trickle/{n}.html"] <= 2 for n in range(1, TRICKLE_ITEMS + 1))
    assert sum(site.hits[f"/trickle/{n}.html"] for n in range(1, 7)) < 2 * TRICKLE_ITEMS


def test_one_slow_host_stops_at_its_budget_and_each_item_left_says_so(
    settings: Settings, site: Site
) -> None:
    reader = _feed_reader(settings, feed_deadline=30.0, feed_host_budget=1.5)
    report = reader.ingest([site.url("/trickle/rss.xml")])
    assert len(report.added) == 2  # the first two pages spend 2 s of the host's 1.5
    host = f"127.0.0.1:{site.port}"
    assert [s.reason for s in report.errors] == [
        f"not fetched: {host} used its 1.5 s for this feed (NEWSRAG_FEED_HOST_BUDGET); "
        "the next poll fetches it"
    ] * (TRICKLE_ITEMS - 2)
    assert "failed 4" in report.summary()
