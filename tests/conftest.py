"""Shared fixtures: isolated homes, the fake embedder, the real offline model (loaded once)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from rag.assistant import Assistant
from rag.embeddings import LocalMiniLM
from rag.settings import Settings
from tests.fakes import HashingEmbedder

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "eval" / "datasets" / "seed"
SEED_ARTICLE_ID = "seed-pk-us-defence-talks"


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test touches the user's store or reaches the network."""
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("ANONYMIZED_TELEMETRY", "False")
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL"):  # a developer's key never reaches a test
        monkeypatch.delenv(name, raising=False)
    for name in [n for n in os.environ if n.startswith("NEWSRAG_")]:
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
