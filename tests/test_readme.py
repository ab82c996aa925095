"""The README's Python examples, run as written (item 15 of the hardening issue: its snippet
failed, `Filters(source="VOA")` matched nothing in the sample). The HTTP API examples run in
tests/app/test_http_api.py; the sample answer printed under "The two commands" is checked
here against what `newsrag ask` prints."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO

SAEED = (
    "The Pakistani team, led by Lt. Gen. Mohammed Saeed, Chief of General Staff, arrived in the "
    "U.S. capital on Sunday afternoon."
)


def python_blocks(section: str) -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    body = text[text.index(f"\n## {section}\n") :]
    body = body[: body.index("\n## ", 5)]
    return re.findall(r"```python\n(.*?)```", body, re.S)


@pytest.mark.slow
def test_the_python_section_runs_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NEWSRAG_HOME", str(tmp_path / "home"))
    monkeypatch.chdir(REPO)
    blocks = python_blocks("Python")
    assert len(blocks) == 2
    scope: dict[str, Any] = {}
    for n, block in enumerate(blocks, 1):
        exec(compile(block, f"README.md (Python example {n})", "exec"), scope)  # noqa: S102
    out = capsys.readouterr().out
    ans, follow = scope["ans"], scope["follow"]
    assert not ans.refused and ans.citations[0].quote == SAEED and ans.text.startswith(SAEED)
    assert out.splitlines()[0] == SAEED + " [1]"
    assert follow.condensed_question == "How long will they stay? (leads Pakistani delegation)"
    assert follow.text == "The talks will last from Monday to Thursday. [1]"
    assert "February 13" in out  # the streamed answer to "When will the talks ... begin?"
    assert scope["answer"].citations and scope["article"].source == "sample article"
    assert [c.quote for c in scope["citations"]][0] == SAEED


@pytest.mark.slow
def test_the_sample_answer_prints_as_the_readme_shows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """ "The two commands": the README's first command ingests the sample and the second asks;
    what it prints is the block the README shows under it."""
    from rag.faces.cli import main

    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## The two commands") : text.index("Run the tests")]
    run_it, ask, shown = re.findall(r"```\n(.*?)```", section, re.S)[:3]
    assert "newsrag ingest eval/datasets/seed/" in run_it
    assert 'newsrag ask "Who leads the Pakistani delegation?"' in ask
    home = ["--home", str(tmp_path / "home")]
    assert main(["ingest", str(REPO / "eval" / "datasets" / "seed") + "/", *home]) == 0
    capsys.readouterr()
    assert main(["ask", "Who leads the Pakistani delegation?", *home]) == 0
    assert capsys.readouterr().out == shown


def test_the_test_command_builds_the_pinned_llama_cpp_portably() -> None:
    """The README's test command (and .ci/run) builds llama.cpp first, without -march=native
    (its AMX code segfaults in a VM on Sapphire Rapids) and not from pip's cache, at the
    version pyproject.toml pins for the test extra."""
    pinned = re.findall(
        r'"(llama-cpp-python\[server\]==[0-9.]+)"', (REPO / "pyproject.toml").read_text()
    )
    step = f"CMAKE_ARGS=-DGGML_NATIVE=OFF .venv/bin/pip install --no-cache-dir '{pinned[0]}'"
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert len(pinned) == 1 and step in readme
    assert step.replace("--no-cache-dir", "-q --no-cache-dir") in (REPO / ".ci" / "run").read_text()
