"""The command line on web sources (real model, real local HTTP server): a question answered
from an article ingested by URL cites its canonical URL and date; --every re-polls a feed."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ingest.urls import web_id
from tests.conftest import terminal_signals
from tests.ingest.web_site import TALKS_PATH, serve_site

pytestmark = pytest.mark.slow


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSRAG_", "CHROMA_"))}
    return env | {"NEWSRAG_HOME": str(home), "HF_HUB_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False"}


def _cli(home: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "rag.faces.cli", *argv],
        env=_env(home),
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_an_answer_from_a_url_cites_the_canonical_url_and_date(tmp_path: Path) -> None:
    with serve_site() as site:
        done = _cli(tmp_path, "ingest", site.url(TALKS_PATH + "?utm_source=rss"))
        assert done.returncode == 0, done.stderr
        assert "added 1, updated 0, unchanged 0, duplicate 0, failed 0" in done.stdout
        asked = _cli(tmp_path, "ask", "Who leads the Pakistani team?", "--json")
        assert asked.returncode == 0, asked.stderr
        answer = json.loads(asked.stdout)
        assert not answer["refused"] and "Mohammed Saeed" in answer["answer"]
        cited = answer["citations"][0]
        assert cited["article_id"] == web_id(site.url(TALKS_PATH))
        assert (cited["url"], cited["published"]) == (site.url(TALKS_PATH), "2023-02-12")
        shown = _cli(tmp_path, "ask", "Who leads the Pakistani team?")
        assert f"(2023-02-12, {site.url(TALKS_PATH)})" in shown.stdout


def test_every_repolls_the_feed_until_interrupted_and_adds_nothing_new(tmp_path: Path) -> None:
    with serve_site() as site:
        poller = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "rag.faces.cli",
                "ingest",
                site.url("/world/rss.xml"),
                "--every",
                "1s",
            ],
            env=_env(tmp_path),
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            preexec_fn=terminal_signals,
        )
        assert poller.stdout is not None
        first = poller.stdout.readline()
        second = poller.stdout.readline()
        deadline = time.monotonic() + 10
        while site.hits["/world/rss.xml"] < 3 and time.monotonic() < deadline:
            time.sleep(0.1)
        poller.send_signal(signal.SIGINT)
        assert poller.wait(timeout=30) == 130
    assert first.startswith("added 2, updated 0, unchanged 0, duplicate 1, failed 2")
    assert second.startswith("added 0, updated 0, unchanged 0, duplicate 0, failed 0")
    assert site.hits["/world/rss.xml"] >= 3 and site.hits[TALKS_PATH] == 1
