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
    loaded = _modules_after("import rag.cli, rag.assistant, rag.pipeline")
    assert loaded.isdisjoint(NOT_FOR_ASK + LOADED_ON_USE), loaded & {*NOT_FOR_ASK, *LOADED_ON_USE}


def test_a_cold_ask_imports_only_what_answering_needs(seeded: Assistant) -> None:
    home = seeded.settings.home
    code = (
        "from rag.cli import main\n"
        f"assert main(['ask', 'Who leads the Pakistani delegation?', '--home', {str(home)!r}]) == 0"
    )
    _modules_after(code)  # may build the lexical index (with bm25s), as after every write
    loaded = _modules_after(code)  # loads it
    assert loaded.isdisjoint(NOT_FOR_ASK), loaded & set(NOT_FOR_ASK)
