"""Which mode answers (rag/query/llm/chat.py): the environment decides; a blank key is no key."""

from __future__ import annotations

import pytest

from rag.core.errors import ConfigError
from rag.core.settings import Settings
from rag.query.llm.chat import llm_mode


def test_mode_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "NEWSRAG_LLM"):
        monkeypatch.delenv(name, raising=False)
    assert llm_mode(Settings()) == "extractive"
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:11434/v1")
    assert llm_mode(Settings()) == "openai"
    monkeypatch.setenv("NEWSRAG_LLM", "extractive")
    assert llm_mode(Settings()) == "extractive"
    monkeypatch.delenv("OPENAI_BASE_URL")
    monkeypatch.setenv("NEWSRAG_LLM", "openai")
    with pytest.raises(ConfigError, match="NEWSRAG_LLM=openai needs OPENAI_API_KEY"):
        llm_mode(Settings())
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    assert llm_mode(Settings()) == "openai"
    assert Settings().openai_api_key.get_secret_value() == "sk-test"  # type: ignore[union-attr]


def test_a_blank_key_is_no_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "")
    monkeypatch.setenv("OPENAI_BASE_URL", " ")
    settings = Settings()
    assert settings.openai_api_key is None and settings.openai_base_url is None
    assert llm_mode(settings) == "extractive"
