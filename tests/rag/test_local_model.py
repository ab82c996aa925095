"""NEWSRAG_LLM=local: a GGUF model run in this process by llama.cpp (issue 22, item 3), with
SmolLM2-135M (a test dependency). The tiny model proves the path (streaming, usage, citations
checked, the same fallback), not answer quality. The one-line errors need no model."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import rag.query.llm.local_model as local_model
from rag.assistant import Assistant
from rag.core.errors import ConfigError
from rag.core.settings import Settings
from rag.core.types import Answer
from tests.conftest import REPO
from tests.rag.test_llm_server import QUESTION, smollm2_path


def local_settings(seeded: Assistant, **extra: object) -> Settings:
    values = {
        "llm": "local",
        "local_model": smollm2_path(),
        "local_threads": 2,
        "max_answer_tokens": 48,
        "unsupported": "flag",  # the tiny model's answer kept as written, its claims flagged
        **extra,
    }
    return seeded.settings.model_copy(update=values)


@pytest.mark.integration
def test_a_local_model_streams_a_checked_answer(seeded: Assistant, minilm) -> None:
    settings = local_settings(seeded)
    assistant = Assistant(settings, embeddings=minilm, store=seeded.pipeline.store)
    assert assistant.mode == "llm"
    assert assistant.endpoint == f"llama.cpp in process ({smollm2_path()})"
    *pieces, answer = assistant.stream(QUESTION)
    assert isinstance(answer, Answer) and answer.mode == "llm" and answer.fallback == ""
    assert answer.model == "SmolLM2-135M-Instruct.Q4_1.gguf"
    assert len(pieces) >= 2 and "".join(pieces) == answer.text != ""
    assert answer.usage["prompt_tokens"] > 500 and answer.usage["completion_tokens"] > 0
    assert answer.cost_usd is None
    for c in answer.citations:  # whatever it wrote, every citation is an exact quote
        assert assistant.get_article(c.article_id).text[c.start : c.end] == c.quote
    # the checked default (unsupported sentences fall back) gives the quoted evidence instead
    checked = Assistant(
        local_settings(seeded, unsupported="fallback"),
        embeddings=minilm,
        store=seeded.pipeline.store,
    ).ask(QUESTION)
    assert "Mohammed Saeed" in checked.text and checked.citations
    assert checked.mode == "llm" or checked.fallback != ""


@pytest.mark.integration
def test_a_file_llama_cpp_cannot_read_is_one_line(tmp_path: Path) -> None:
    junk = tmp_path / "junk.gguf"
    junk.write_bytes(b"not a model")
    with pytest.raises(ConfigError) as caught:
        local_model.load_local_model(Settings(home=tmp_path, llm="local", local_model=junk))
    assert str(caught.value).startswith(f"{junk}: llama.cpp cannot load it (")
    assert str(caught.value).endswith("); is it a GGUF model?")


@pytest.mark.integration
def test_cli_ask_with_a_local_model(seeded: Assistant) -> None:
    env = {
        **os.environ,
        "NEWSRAG_LLM": "local",
        "NEWSRAG_LOCAL_MODEL": str(smollm2_path()),
        "NEWSRAG_MAX_ANSWER_TOKENS": "48",
        "NEWSRAG_UNSUPPORTED": "flag",
        "NEWSRAG_HOME": str(seeded.settings.home),
    }
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL"):
        env.pop(name, None)
    cmd = [sys.executable, "-m", "rag.faces.cli", "ask", QUESTION, "--json"]
    done = subprocess.run(cmd, env=env, cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["mode"] == "llm" and data["model"] == "SmolLM2-135M-Instruct.Q4_1.gguf"
    assert data["fallback"] == "" and data["usage"]["total_tokens"] > 0


def test_what_local_mode_needs_is_one_line_each(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    with pytest.raises(ConfigError) as caught:
        local_model.load_local_model(Settings(home=home, llm="local"))
    assert str(caught.value) == (
        "NEWSRAG_LLM=local needs NEWSRAG_LOCAL_MODEL=path/to/model.gguf (README: a local model "
        "without a server)"
    )
    missing = tmp_path / "nope.gguf"
    with pytest.raises(ConfigError) as caught:
        local_model.load_local_model(Settings(home=home, llm="local", local_model=missing))
    assert str(caught.value) == (
        f"NEWSRAG_LOCAL_MODEL={missing}: no such file; give the path of a .gguf model"
    )
    junk = tmp_path / "junk.gguf"
    junk.write_bytes(b"not a model")
    monkeypatch.setattr(local_model, "find_spec", lambda name: None)  # the extra not installed
    with pytest.raises(ConfigError) as caught:
        local_model.load_local_model(Settings(home=home, llm="local", local_model=junk))
    assert str(caught.value) == (
        "NEWSRAG_LLM=local needs llama-cpp-python; install it with pip install 'newsrag[local]' "
        "(it builds llama.cpp, a few minutes)"
    )


@pytest.mark.integration
def test_a_local_model_picks_sentences_as_json_held_to_the_schema(
    seeded: Assistant, minilm
) -> None:
    """NEWSRAG_LLM_STYLE=extract in process: llama.cpp turns the schema into a grammar, so even
    the tiny model's reply is the JSON asked for; the reply quotes what it picked (or, when it
    picks nothing against the evidence, the fallback answers and says why)."""
    settings = local_settings(seeded, llm_style="extract", unsupported="fallback")
    assistant = Assistant(settings, embeddings=minilm, store=seeded.pipeline.store)
    answer = assistant.ask(QUESTION)
    assert answer.model == "SmolLM2-135M-Instruct.Q4_1.gguf"
    assert not answer.fallback.startswith("the model's reply was not the JSON"), answer.fallback
    assert answer.usage["prompt_tokens"] > 300 and answer.cost_usd is None
    assert not answer.refused and answer.citations
    for c in answer.citations:
        assert assistant.get_article(c.article_id).text[c.start : c.end] == c.quote
        assert f"{c.quote} [{c.marker}]" in answer.text
