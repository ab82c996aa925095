"""Shared fixtures: isolated homes, the fake embedder, the real offline model (loaded once),
and the test lanes: tests that use the real model are marked ``slow`` (automatically when they
use the ``minilm`` or ``seeded`` fixture), and any other test that tries to load it fails, so
``pytest -m "not integration and not slow"`` never loads a model."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from rag.assistant import Assistant
from rag.core.embeddings import LocalMiniLM
from rag.core.reader_net import ReaderNet
from rag.core.settings import Settings
from tests.fakes import HashingEmbedder, overlap_read

MODEL_FIXTURES = {"minilm", "seeded"}

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "eval" / "datasets" / "seed"
SEED_ARTICLE_ID = "seed-pk-us-defence-talks"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if MODEL_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


def need(available: object, what: str, install: str) -> None:
    """Skip with the install line when a tool is missing on a developer's machine; in CI (where
    .ci/run installs everything) a missing tool fails instead of skipping."""
    if available:
        return
    message = f"{what} is missing: {install}"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(autouse=True)
def _lanes(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Outside the slow lane the real embedding model and the reader model cannot load; the
    reader is replaced by word overlap (tests/fakes.overlap_read), as the embedder is by
    HashingEmbedder where a test injects it."""
    if request.node.get_closest_marker("slow") is None:

        def refuse(self: LocalMiniLM) -> None:
            raise AssertionError("this test loads the real model: mark it @pytest.mark.slow")

        monkeypatch.setattr(LocalMiniLM, "_load", refuse)
        monkeypatch.setattr(ReaderNet, "_load", refuse)
        monkeypatch.setattr(ReaderNet, "read", overlap_read)  # word overlap stands in


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test touches the user's store or reaches the network."""
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("ANONYMIZED_TELEMETRY", "False")
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL"):  # a developer's key never reaches a test
        monkeypatch.delenv(name, raising=False)
    for name in [n for n in os.environ if n.startswith(("NEWSRAG_", "CHROMA_"))]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("NEWSRAG_HOME", str(tmp_path / "home"))


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(home=tmp_path / "store")


@pytest.fixture
def fake_embedder() -> HashingEmbedder:
    return HashingEmbedder()


@pytest.fixture
def fake_assistant(settings: Settings, fake_embedder: HashingEmbedder) -> Assistant:
    return Assistant(settings, embeddings=fake_embedder)


@pytest.fixture(scope="session")
def minilm() -> LocalMiniLM:
    """The real bundled all-MiniLM-L6-v2 (int8 ONNX), loaded once per test session."""
    model = LocalMiniLM()
    model.embed_query("warm up")
    return model


@pytest.fixture(scope="session")
def seeded(tmp_path_factory: pytest.TempPathFactory, minilm: LocalMiniLM) -> Iterator[Assistant]:
    """A real store with the seed folder ingested through the real model."""
    settings = Settings(home=tmp_path_factory.mktemp("seeded"))
    assistant = Assistant(settings, embeddings=minilm)
    assistant.ingest([SEED])
    yield assistant


def terminal_signals() -> None:
    """``preexec_fn`` for a process a test stops with Ctrl-C: SIGINT, SIGQUIT and SIGHUP as a
    terminal leaves them. In a fresh-clone CI run the children of the test process were seen
    starting with all three ignored (SigIgn 0x1001007 in /proc; cause not found), and a Python
    started with SIGINT ignored never raises KeyboardInterrupt."""
    import signal

    for sig in (signal.SIGINT, signal.SIGQUIT, signal.SIGHUP):
        signal.signal(sig, signal.SIG_DFL)
