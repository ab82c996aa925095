"""The chat in a real browser: `newsrag serve` on a free loopback port, Debian's chromium driven
by Playwright. Screenshots go to tests/artifacts/ (or NEWSRAG_TEST_ARTIFACTS)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from tests.conftest import REPO, need
from tests.ingest.web_site import Site, serve_site

pytestmark = pytest.mark.integration

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
NEW_ARTICLE = """Tidewater Ferry Terminal Opens In Port Halden

Mayor Ines Okafor opened the Tidewater Ferry Terminal in Port Halden on Tuesday morning.

The terminal cost 42 million dollars and will carry 3,000 passengers a day to the islands.
"""


def chromium_path() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    need(found, "Debian chromium", "apt-get install -y chromium (see the README)")
    assert found
    return found


def artifacts() -> Path:
    folder = Path(os.environ.get("NEWSRAG_TEST_ARTIFACTS", REPO / "tests" / "artifacts"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    """A news site on 127.0.0.1 for the URL box (tests/ingest/web_site.py)."""
    with serve_site() as s:
        yield s


@pytest.fixture(scope="module")
def page(server: str) -> Iterator[Page]:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(server, wait_until="domcontentloaded")
        yield page
        browser.close()


def new_conversation(page: Page) -> None:
    page.locator("#new").click()
    expect(page.locator("#sources")).to_contain_text("Sources of the answer appear here")
    expect(page.locator("#chat .message")).to_have_count(0)


def ask(page: Page, question: str) -> None:
    page.locator("#question textarea").fill(question)
    page.locator("#ask").click()


def test_sample_question_streams_an_answer_with_linked_sources(page: Page) -> None:
    expect(page.locator("#mode")).to_contain_text("offline extractive")
    ask(page, "Who leads the Pakistani delegation?")
    answer = page.locator("#chat .message-row, #chat [data-testid='bot']").last
    expect(page.locator("#chat")).to_contain_text("Mohammed Saeed", timeout=60_000)
    marker = page.locator("#chat a[href='#source-1']")
    expect(marker.first).to_have_text("[1]", timeout=30_000)
    source = page.locator("#sources #source-1")  # the reader quotes the sentence naming him
    expect(source).to_contain_text("Pakistan, U.S. Defence Talks In Washington To Improve Security")
    quote = source.locator("mark").first
    expect(quote).to_have_text(
        "The Pakistani team, led by Lt. Gen. Mohammed Saeed, Chief of General Staff, arrived in "
        "the U.S. capital on Sunday afternoon."
    )
    # the quote sits inside its paragraph: the next sentence of the article is shown too
    expect(source).to_contain_text("Two major generals, two brigadiers")
    assert answer.count() >= 1
    page.screenshot(path=str(artifacts() / "answer-sample-question.png"), full_page=True)


def test_uploaded_article_is_answerable_at_once(
    page: Page, tmp_path: Path, serve_home: Path
) -> None:
    article = tmp_path / "tidewater-ferry.txt"
    article.write_text(NEW_ARTICLE, encoding="utf-8")
    page.locator("#add-articles").get_by_text("Add articles").first.click()
    page.locator("#upload input[type=file]").set_input_files(str(article))
    uploaded = page.locator("#upload").get_by_role("cell", name="tidewater-ferry.txt")
    expect(uploaded).to_be_visible(timeout=30_000)  # name and suffix render in two spans
    page.locator("#add").click()
    expect(page.locator("#ingest-report")).to_contain_text("Added 1", timeout=120_000)
    # Gradio staged the upload under NEWSRAG_HOME, not in the machine-wide temp folder
    assert list((serve_home / "uploads" / "incoming").rglob("tidewater-ferry.txt"))
    new_conversation(page)
    # (the reader refuses "Who opened the Tidewater Ferry Terminal?": answer probability 0.04
    # on this three-sentence article, under its 0.06 line; a known weakness, issue 21's note)
    ask(page, "How much did the Tidewater Ferry Terminal cost?")
    expect(page.locator("#chat")).to_contain_text("42 million dollars", timeout=60_000)
    expect(page.locator("#sources #source-1")).to_contain_text(
        "Tidewater Ferry Terminal Opens In Port Halden"
    )
    marks = page.locator("#sources mark")
    expect(marks.filter(has_text="The terminal cost 42 million dollars")).to_have_count(1)
    page.screenshot(path=str(artifacts() / "answer-uploaded-article.png"), full_page=True)
    # the same file name again, edited: the article is updated, not added a second time
    edited = tmp_path / "edited" / "tidewater-ferry.txt"
    edited.parent.mkdir()
    edited.write_text(NEW_ARTICLE.replace("Tuesday morning", "Wednesday morning"), "utf-8")
    page.locator("#upload input[type=file]").set_input_files(str(edited))
    uploaded = page.locator("#upload").get_by_role("cell", name="tidewater-ferry.txt")
    expect(uploaded).to_be_visible(timeout=30_000)  # name and suffix render in two spans
    page.locator("#add").click()
    expect(page.locator("#ingest-report")).to_contain_text("updated 1", timeout=120_000)
    expect(page.locator("#ingest-report")).to_contain_text("Added 0")


def test_a_bad_filter_warns_and_the_chat_keeps_working(page: Page) -> None:
    new_conversation(page)
    page.get_by_text("Filters").first.click()
    page.locator("#since input, #since textarea").first.fill("not a date")
    ask(page, "Who leads the Pakistani delegation?")
    expect(page.locator("#chat")).to_contain_text("since: not a date: 'not a date'")
    expect(page.locator("body")).not_to_contain_text("Traceback")
    page.locator("#since input, #since textarea").first.fill("")
    ask(page, "Who leads the Pakistani delegation?")
    expect(page.locator("#chat")).to_contain_text("Mohammed Saeed", timeout=60_000)


def test_a_feed_added_by_url_is_answerable_with_its_canonical_url_and_date(
    page: Page, site: Site
) -> None:
    if not page.locator("#url-box textarea").is_visible():
        page.locator("#add-articles").get_by_text("Add articles").first.click()
    page.locator("#url-box textarea").fill(site.url("/world/atom.xml"))
    page.locator("#fetch").click()
    expect(page.locator("#ingest-report")).to_contain_text("Added 1", timeout=120_000)
    new_conversation(page)
    ask(page, "How long does the charger take to refill a ferry's batteries?")
    expect(page.locator("#chat")).to_contain_text("seven minutes", timeout=60_000)
    source = page.locator("#sources #source-1")
    expect(source).to_contain_text("Oslo switches on battery ferry charger")
    expect(source).to_contain_text("2024-09-03")
    link = source.locator(".nr-url a")
    expect(link).to_have_attribute("href", site.url("/science/oslo-ferry-charger.html"))
    page.screenshot(path=str(artifacts() / "answer-from-feed.png"), full_page=True)


def stored(home: Path) -> str:
    """`newsrag list --json` of ``home``, from another process."""
    cli = [sys.executable, "-m", "rag.faces.cli", "list", "--json"]
    env = {**os.environ, "NEWSRAG_HOME": str(home)}
    return subprocess.run(cli, env=env, cwd=REPO, capture_output=True, text=True).stdout


def test_the_url_box_refuses_server_paths_without_telling_whether_they_exist(
    page: Page, server: str, serve_home: Path
) -> None:
    """Even with private URLs allowed by the operator, a path typed into the URL box reads no
    server file: existing file, missing file, folder and file:// all get the same refusal, and
    no article is added."""
    secret = serve_home / "secret"
    secret.mkdir(exist_ok=True)
    (secret / "creds.txt").write_text("The vault password is Tangerine-Falcon-77.\n")
    before = stored(serve_home)
    assert before.startswith("{") and "Pakistan" in before
    if not page.locator("#url-box textarea").is_visible():
        page.locator("#add-articles").get_by_text("Add articles").first.click()
    for entry in [
        str(secret / "creds.txt"),
        str(secret / "nothing-here.txt"),
        str(secret),
        "../" * 8 + str(secret / "creds.txt").lstrip("/"),
        "file://" + str(secret / "creds.txt"),
    ]:
        page.locator("#url-box textarea").fill(entry)
        page.locator("#fetch").click()
        expect(page.locator("#ingest-report")).to_contain_text(
            f"{entry[:80]}: not a web address; only http:// and https:// URLs can be added here"
        )
        expect(page.locator("#ingest-report")).not_to_contain_text("no such file")
    new_conversation(page)
    ask(page, "What is the vault password?")
    reply = re.compile(r"\[1\]|I cannot answer that from the ingested articles")
    expect(page.locator("#chat")).to_contain_text(reply, timeout=60_000)
    expect(page.locator("#chat")).not_to_contain_text("Tangerine", timeout=60_000)
    after = stored(serve_home)
    assert after == before


def upload(page: Page, path: Path) -> None:
    if not page.locator("#upload").is_visible():  # the accordion toggles: open it only once
        page.locator("#add-articles").get_by_text("Add articles").first.click()
    page.locator("#upload input[type=file]").set_input_files(str(path))
    cell = page.locator("#upload").get_by_role("cell", name=path.name)
    expect(cell).to_be_visible(timeout=30_000)  # name and suffix render in two spans
    page.locator("#add").click()


def stored_sources(home: Path) -> list[str]:
    """The outlets of the articles in ``home``, read by a second process beside the server."""
    env = {**os.environ, "NEWSRAG_HOME": str(home)}
    cli = [sys.executable, "-m", "rag.faces.cli", "list", "--json"]
    done = subprocess.run(cli, env=env, cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return sorted(row["source"] for row in json.loads(done.stdout)["articles"])


def test_two_users_uploading_one_file_name_keep_both_articles(
    page: Page, server: str, serve_home: Path, tmp_path: Path
) -> None:
    """Issue 25 item 4: another session's upload of the same name is another article; a name
    that starts with "." is an ordinary upload, and a file named only ".md" is one clear line,
    not Gradio's generic error with a traceback in the server log."""
    before = stored_sources(serve_home)
    browser = page.context.browser
    assert browser is not None
    pages = [browser.new_page(viewport={"width": 1400, "height": 1000}) for _ in range(2)]
    try:  # two users: two sessions of the same server
        for n, user in enumerate(pages):
            user.goto(server, wait_until="domcontentloaded")
            notes = tmp_path / f"user{n}" / "notes.txt"
            notes.parent.mkdir()
            notes.write_text(
                f"---\nsource: Outlet {n}\n---\nHarbour Notes {n}\n\nThe harbour board met on "
                f"day {n + 1} and approved {n + 5} new moorings for the marina.\n",
                encoding="utf-8",
            )
            upload(user, notes)
            report = user.locator("#ingest-report")
            expect(report).to_contain_text("Added 1", timeout=120_000)
            expect(report).to_contain_text("updated 0")
        hidden = tmp_path / ".hidden-notes.txt"
        hidden.write_text("Dot Notes\n\nThe dot club elected Mara Quill as its chair.\n", "utf-8")
        upload(pages[0], hidden)
        expect(pages[0].locator("#ingest-report")).to_contain_text("Added 1", timeout=120_000)
        bare = tmp_path / ".md"
        bare.write_text("Bare Notes\n\nThe bare club elected Ivo Penn as its chair.\n", "utf-8")
        upload(pages[1], bare)
        expect(pages[1].locator("#ingest-report")).to_contain_text(
            ".md: the file has no name before its extension; rename it (e.g. notes.md) and "
            "upload it again",
            timeout=30_000,
        )
    finally:
        for user in pages:
            user.close()
    assert stored_sources(serve_home) == sorted([*before, "Outlet 0", "Outlet 1", ""])
    assert "Traceback" not in (serve_home / "serve.log").read_text(encoding="utf-8")


def test_conflicting_reports_and_a_timeline_are_shown_plainly(
    page: Page, tmp_path: Path, serve_home: Path
) -> None:
    from tests.rag.test_news_answers import ARTICLES
    from tests.rag.test_timeline import STORY

    corpus = tmp_path / "news.jsonl"
    corpus.write_text("".join(json.dumps(a) + "\n" for a in ARTICLES + STORY), encoding="utf-8")
    env = {**os.environ, "NEWSRAG_HOME": str(serve_home)}
    cli = [sys.executable, "-m", "rag.faces.cli", "ingest", str(corpus)]
    subprocess.run(cli, env=env, cwd=REPO, check=True, timeout=300)  # beside the server
    new_conversation(page)
    ask(page, "What was the turnout in the Kestrel Bay mayoral election?")
    chat = page.locator("#chat")
    expect(chat.locator("strong").filter(has_text="Reports differ")).to_have_count(
        1, timeout=60_000
    )
    expect(chat).to_contain_text(
        "46 percent [1] (Northern Ledger, 12 May 2026); 38 percent [2] (Bay Herald, 11 May 2026)"
    )
    expect(page.locator("#sources #source-2")).to_contain_text("Kestrel Bay elects Ada Morrow")
    page.screenshot(path=str(artifacts() / "answer-reports-differ.png"), full_page=True)

    new_conversation(page)
    page.locator("#question textarea").fill("Harwick wildfire")
    page.locator("#timeline").click()
    expect(chat).to_contain_text(
        "2026-07-13 — A wildfire broke out on the moorland above Harwick on July 13", timeout=60_000
    )
    text = chat.inner_text()
    days = [text.index(d) for d in ("2026-07-13 —", "2026-07-16 —", "2026-07-22 —")]
    assert days == sorted(days) and "2026-07-19" not in text  # oldest first; not the library
    expect(page.locator("#sources #source-3")).to_contain_text("Harwick wildfire declared out")
    expect(
        page.locator("#sources mark").filter(has_text="Police evacuated the hamlet")
    ).to_have_count(1)
    page.screenshot(path=str(artifacts() / "timeline.png"), full_page=True)
