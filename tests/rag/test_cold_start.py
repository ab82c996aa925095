"""A new ``newsrag ask`` process imports only what answering needs (issue 11: a cold ask in
about 1.5 s): not the web UI, LangChain, the LLM client, tiktoken or bm25s/scipy. Each check
runs in a fresh interpreter, since this test process has imported everything already."""

from __future__ import annotations

import json
import subprocess
import sys

from rag.assistant import Assistant
from tests.conftest import REPO

# never needed to answer offline from an existing store
NOT_FOR_ASK = (
    "gradio",
    "langchain_core",
    "langchain_openai",
    "langchain_chroma",
    "langchain_text_splitters",
    "openai",
    "tiktoken",
    "bm25s",
    "scipy",
    "trafilatura",
    "feedparser",
    "datasketch",
)
# loaded when a question is answered, never by importing the command
LOADED_ON_USE = ("chromadb", "onnxruntime", "tokenizers", "spacy")


def _modules_after(code: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport json, sys; print(json.dumps(sorted(sys.modules)))"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return {name.split(".")[0] for name in json.loads(done.stdout.splitlines()[-1])}


def test_importing_the_ask_path_loads_no_model_store_or_langchain() -> None:
    loaded = _modules_after("import rag.faces.cli, rag.assistant, rag.pipeline")
    assert loaded.isdisjoint(NOT_FOR_ASK + LOADED_ON_USE), loaded & {*NOT_FOR_ASK, *LOADED_ON_USE}


def test_a_cold_ask_imports_only_what_answering_needs(seeded: Assistant) -> None:
    home = seeded.settings.home
    code = (
        "from rag.faces.cli import main\n"
        f"assert main(['ask', 'Who leads the Pakistani delegation?', '--home', {str(home)!r}]) == 0"
    )
    _modules_after(code)  # may build the lexical index (with bm25s), as after every write
    loaded = _modules_after(code)  # loads it
    assert loaded.isdisjoint(NOT_FOR_ASK), loaded & set(NOT_FOR_ASK)


def _newsrag(*argv: str) -> subprocess.CompletedProcess[str]:
    """The console script as installed (rag.faces.launch:run), in a fresh interpreter."""
    code = (
        f"import sys; sys.argv = ['newsrag', *{list(argv)!r}]\n"
        "from rag.faces.launch import run\nrun()"
    )
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=300
    )


def test_the_console_script_answers_a_question_exactly_like_the_command(
    seeded: Assistant,
) -> None:
    home = str(seeded.settings.home)
    question = "Who leads the Pakistani delegation?"
    plain = subprocess.run(
        [sys.executable, "-m", "rag.faces.cli", "ask", question, "--home", home],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
    )
    quick = _newsrag("ask", question, "--home", home)  # spaCy in a helper, no finalization
    assert plain.returncode == 0 and quick.returncode == 0, quick.stderr
    assert "Lt. Gen. Mohammed Saeed" in quick.stdout
    assert quick.stdout == plain.stdout
    expected = seeded.ask(question)
    got = json.loads(_newsrag("ask", question, "--home", home, "--json").stdout)
    assert got["answer"] == expected.text
    assert [c["quote"] for c in got["citations"]] == [c.quote for c in expected.citations]


def test_the_console_script_keeps_the_exit_code_of_a_failed_question(seeded: Assistant) -> None:
    done = _newsrag("ask", "Who?", "--home", str(seeded.settings.home), "--since", "2030-01-01")
    assert done.returncode == 1
    assert done.stderr.startswith("newsrag: error: no stored article matches"), done.stderr
