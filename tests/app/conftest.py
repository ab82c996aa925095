"""The app tests' server: `newsrag serve` on a free loopback port over a home with the seed
article, one per test module (module-scoped fixtures)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO, SEED
from tests.rag.test_llm_server import free_port


@pytest.fixture(scope="module")
def serve_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("serve-home")


@pytest.fixture(scope="module")
def server(serve_home: Path) -> Iterator[str]:
    """`newsrag serve` over a home with the seed article ingested; yields its URL. The operator
    lets the chat fetch loopback URLs (the local test site)."""
    home = serve_home
    env = {**os.environ, "NEWSRAG_HOME": str(home), "GRADIO_ANALYTICS_ENABLED": "False"}
    env["NEWSRAG_ALLOW_PRIVATE_URLS"] = "1"
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL"):
        env.pop(name, None)
    cli = [sys.executable, "-m", "rag.faces.cli"]
    subprocess.run([*cli, "ingest", str(SEED)], env=env, cwd=REPO, check=True, timeout=300)
    port = free_port()
    log = (home / "serve.log").open("wb")
    process = subprocess.Popen(
        [*cli, "serve", "--port", str(port)], env=env, cwd=REPO, stdout=log, stderr=log
    )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 120
    while True:
        assert process.poll() is None, (home / "serve.log").read_text()
        try:
            urllib.request.urlopen(url, timeout=2).close()
            break
        except OSError:
            assert time.monotonic() < deadline, "newsrag serve did not come up in 120 s"
            time.sleep(0.5)
    yield url
    process.terminate()
    process.wait(timeout=30)
