"""The chat's HTTP API as API callers use it: gradio_client against a real `newsrag serve` on
loopback. The README's example is the code run here (taken from README.md, with this server's
address and a loopback feed put in), so the documentation cannot drift from the endpoints."""

from __future__ import annotations

import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from gradio_client import Client

from tests.conftest import REPO
from tests.ingest.web_site import Site, serve_site

pytestmark = pytest.mark.integration

README_SERVER = "http://127.0.0.1:7860/"
README_FEED = "https://example.org/world/rss.xml"


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    with serve_site() as s:
        yield s


def readme_example() -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text[text.index("### The chat's HTTP API") :]
    section = section[: section.index("\n#", 10)]
    blocks = re.findall(r"```python\n(.*?)```", section, re.S)
    assert len(blocks) == 2, "README: the HTTP API section's two python examples"
    return "\n".join(blocks)


def reply_text(turn: dict[str, Any]) -> str:
    """A chat turn's Markdown (Gradio gives content as a list of parts)."""
    content = turn["content"]
    return content if isinstance(content, str) else "".join(p["text"] for p in content)


def ask(client: Client, question: str, turns: list[Any]) -> tuple[list[Any], str]:
    turns, sources, _ = client.predict(question, turns, "All sources", "", "", 5, api_name="/ask")
    return turns, sources


def test_the_readme_example_asks_follows_up_and_adds_a_feed(server: str, site: Site) -> None:
    code = readme_example()
    assert README_SERVER in code and README_FEED in code
    code = code.replace(README_SERVER, server).replace(README_FEED, site.url("/world/rss.xml"))
    scope: dict[str, Any] = {}
    exec(compile(code, "README.md (HTTP API example)", "exec"), scope)  # noqa: S102
    first, follow = reply_text(scope["first"][-1]), scope["follow"]
    assert "Mohammed Saeed" in first and "[\\[1\\]](#source-1)" in first
    assert [t["role"] for t in follow] == ["user", "assistant"] * 2
    assert "Searched for: How long will they stay? (leads Pakistani delegation)" in scope["sources"]
    report = scope["report"]
    assert report.startswith("**Added 2**, updated 0, unchanged 0, skipped 3 (1 duplicate, 2 fail")
    assert "- error: " in report and "gone\\.html: HTTP 404 Not Found" in report
    data, later = scope["data"], scope["later"]
    assert not data["refused"] and data["citations"][0]["quote"] == (
        "The Pakistani team, led by Lt. Gen. Mohammed Saeed, Chief of General Staff, arrived in "
        "the U.S. capital on Sunday afternoon."
    )
    assert data["answer"].startswith(data["citations"][0]["quote"])
    assert later["condensed_question"] == "How long will they stay? (leads Pakistani delegation)"


def test_the_plain_answer_endpoint_reports_bad_input_in_one_line(server: str) -> None:
    client = Client(server, verbose=False)
    bad = client.predict("Who?", None, "", "2023-13-45", "", 5, api_name="/answer")
    assert bad == {"error": "since: not a date: '2023-13-45' (use YYYY-MM-DD)"}
    empty = client.predict("   ", api_name="/answer")
    assert set(empty) == {"error"} and "\n" not in empty["error"]


def test_an_empty_conversation_is_a_standalone_question_whatever_the_session_asked(
    server: str,
) -> None:
    """An API caller's session keeps server-side state; the history is the chat it sends."""
    client = Client(server, verbose=False)
    turns, _ = ask(client, "Who leads the Pakistani delegation?", [])
    _, with_history = ask(client, "How long will they stay?", turns)
    assert "Searched for: How long will they stay? (leads Pakistani delegation)" in with_history
    _, alone = ask(client, "How long will they stay?", [])
    assert "Searched for" not in alone
    _, again = ask(client, "Why are they in Washington?", [])
    assert "Searched for" not in again


def test_gradio_serves_no_server_file_by_path(server: str, serve_home: Path) -> None:
    """Gradio's file route serves uploads and its own assets only: not /etc/passwd, not the
    store or the uploads folder under NEWSRAG_HOME."""
    for target in ("/etc/passwd", str(serve_home / "serve.log"), str(serve_home / "feeds.json")):
        for route in ("gradio_api/file=", "file="):
            url = server + route + urllib.parse.quote(target)
            try:
                with urllib.request.urlopen(url, timeout=10) as response:
                    body = response.read()
                    status = response.status
            except urllib.error.HTTPError as exc:
                status, body = exc.code, b""
            assert status in (403, 404), (url, status)
            assert b"root:" not in body and b"Running on" not in body
