"""newsrag: question answering over news articles with exact, cited quotes.

``from rag import Assistant`` imports the facade on first use (PEP 562), so that importing the
kernel (``rag.core``) from ``ingest`` or a worker stays cheap and never loads the query stages.
Layers, imports pointing down only: ``rag.core`` (kernel) <- ``ingest`` and ``rag.query``
(stages: retrieval, reading, llm) <- the modules directly in ``rag`` (facade: assistant,
pipeline, adapters, pool) <- ``rag.faces`` (cli, app, render, ...); ``eval`` sits beside the
faces. tests/test_shape.py checks it by package path.
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # for type checkers and tests/test_shape.py; at run time see __getattr__
    from rag.assistant import Assistant
    from rag.core.settings import Settings
    from rag.core.types import Answer, Article, Chunk, Citation, Filters, IngestReport, Retrieval

__all__ = [
    "Answer",
    "Article",
    "Assistant",
    "Chunk",
    "Citation",
    "Filters",
    "IngestReport",
    "Retrieval",
    "Settings",
]

# name -> the module that defines it; each is imported on first use (PEP 562), so that a
# process that needs none of them (spaCy's helper, the command's argument check) stays quick
_HOMES = {"Assistant": "rag.assistant", "Settings": "rag.core.settings"} | {
    n: "rag.core.types"
    for n in ("Answer", "Article", "Chunk", "Citation", "Filters", "IngestReport", "Retrieval")
}


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        import importlib

        return getattr(importlib.import_module(_HOMES[name]), name)
    raise AttributeError(f"module 'rag' has no attribute {name!r}")
