"""The shape of the code, stated as tests: imports point down the layers only and form no
cycle, and no module grows past the size where it holds two ideas.

Layers (DESIGN.md), named by package path: the kernel ``rag.core`` <- ``ingest`` and the query
stages ``rag.query.retrieval``, ``rag.query.reading`` and ``rag.query.llm`` (which may use
reading) <- the facade (the modules directly in ``rag``: assistant, pipeline, adapters, pool,
oneshot) <- the faces ``rag.faces``; ``eval`` sits beside the faces and uses the facade and the
kernel.
"""

from __future__ import annotations

import ast
import warnings
from pathlib import Path

from tests.conftest import REPO

PACKAGES = ("rag", "ingest", "eval", "prompts", "train")
MODULE_LINES_WARNING = 300
MAX_MODULE_LINES = 400
# the first prefix a module's dotted name starts with names its layer (longest first)
LAYER_PREFIXES = [
    ("rag.query.retrieval", "retrieval"),
    ("rag.query.reading", "reading"),
    ("rag.query.llm", "llm"),
    ("rag.query", "query"),
    ("rag.core", "core"),
    ("rag.faces", "faces"),
    ("rag", "facade"),  # rag/*.py: the Assistant, the pipeline that builds it, the pool
    ("ingest", "ingest"),
    ("prompts", "prompts"),
    ("eval.command", "eval-command"),
    ("eval", "eval"),
    ("train", "train"),
]
QUERY = {"retrieval", "reading", "llm", "query"}

# layer -> the layers its modules may import (besides their own)
ALLOWED = {
    "prompts": set(),
    "core": set(),
    "ingest": {"core"},
    "retrieval": {"core"},
    "reading": {"core", "retrieval"},  # the reranker's verdicts are read on
    "llm": {"core", "prompts", "retrieval", "reading"},  # the gate and fallback answer offline
    "query": {"core"},
    "facade": {"core", "ingest", "prompts"} | QUERY,
    "faces": {"core", "facade", "prompts", "eval-command"},
    "eval": {"core", "facade", "ingest"},
    "eval-command": {"eval", "core", "facade", "ingest"},
    # trains the reader from the repository's data; calibrates it through the product
    "train": {"core", "ingest", "eval", "facade"} | QUERY,
}


def layer(module: str) -> str:
    for prefix, name in LAYER_PREFIXES:
        if module == prefix or module.startswith(prefix + "."):
            return name
    raise AssertionError(f"{module} belongs to no layer; add its package to LAYER_PREFIXES")


def modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((REPO / package).rglob("*.py")):
            parts = path.relative_to(REPO).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def runtime_imports(path: Path, known: set[str]) -> set[str]:
    """Project modules imported by ``path``, lazy ones included, TYPE_CHECKING ones not."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped.update(id(n) for child in node.body for n in ast.walk(child))
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        for name in names:
            while name and name not in known:
                name = name.rpartition(".")[0]
            if name:
                found.add(name)
    return found


def graph() -> dict[str, set[str]]:
    mods = modules()
    return {name: runtime_imports(path, set(mods)) - {name} for name, path in mods.items()}


def test_every_import_points_down_the_layers() -> None:
    wrong = []
    for module, imports in graph().items():
        own = layer(module)
        for imported in imports:
            other = layer(imported)
            if other != own and other not in ALLOWED[own]:
                wrong.append(f"{module} ({own}) imports {imported} ({other})")
    assert wrong == []


def test_the_import_graph_has_no_cycle() -> None:
    edges = graph()
    state: dict[str, int] = {}  # 1: on the path, 2: done
    cycles: list[list[str]] = []

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for nxt in sorted(edges.get(module, ())):
            if state.get(nxt) == 1:
                cycles.append(path[path.index(nxt) :] + [nxt])
            elif nxt not in state:
                visit(nxt, path + [nxt])
        state[module] = 2

    for module in sorted(edges):
        if module not in state:
            visit(module, [module])
    assert cycles == []


def test_the_kernel_does_not_reach_langchain_openai_or_gradio() -> None:
    heavy = ("langchain_openai", "openai", "gradio")
    for name, path in modules().items():
        if layer(name) != "core":
            continue
        text = path.read_text(encoding="utf-8")
        assert not [h for h in heavy if f"import {h}" in text or f"from {h}" in text], name


def test_the_answerers_and_condenser_import_no_langchain() -> None:
    for name in ("extractive", "llm_answer", "condense", "grounding", "fallback"):
        (path,) = (REPO / "rag" / "query").rglob(f"{name}.py")
        text = path.read_text(encoding="utf-8")
        assert "langchain" not in text, f"{path} talks to LangChain; use rag/query/llm/chat.py"


def test_no_module_is_over_the_size_limit() -> None:
    """Past MODULE_LINES_WARNING a module is named in a warning (split it by concept when one
    is there to find, never just to get under a number: a split to fit made a cycle once);
    past MAX_MODULE_LINES the module holds too much and the test fails."""
    sizes = {
        name: len(path.read_text(encoding="utf-8").splitlines()) for name, path in modules().items()
    }
    long = {n: s for n, s in sizes.items() if s > MODULE_LINES_WARNING}
    if long:
        warnings.warn(f"modules over {MODULE_LINES_WARNING} lines: {long}", stacklevel=1)
    assert {n: s for n, s in sizes.items() if s > MAX_MODULE_LINES} == {}


def test_the_layer_rule_catches_an_upward_import(tmp_path: Path) -> None:
    """The checker itself: a kernel module importing the facade is reported."""
    bad = tmp_path / "bad.py"
    bad.write_text("from rag.assistant import Assistant\n")
    imports = runtime_imports(bad, set(modules()))
    assert imports == {"rag.assistant"}
    assert layer("rag.assistant") not in ALLOWED["core"]
