"""newsrag: question answering over news articles with exact, cited quotes.

``from rag import Assistant`` imports the facade on first use (PEP 562), so that importing the
kernel (``rag.core``) from ``ingest`` or a worker stays cheap and never loads the query stages.
Layers, imports pointing down only: ``rag.core`` (kernel) <- ``ingest`` and ``rag.query``
(stages) <- ``rag.pipeline`` / ``rag.assistant`` / ``rag.adapters`` (facade) <- ``rag.cli`` /
``rag.app`` / ``rag.render`` (faces); ``eval`` sits beside the faces. tests/test_shape.py
checks it.
"""

from typing import Any

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


def __getattr__(name: str) -> Any:
    if name == "Assistant":
        from rag.assistant import Assistant

        return Assistant
    raise AttributeError(f"module 'rag' has no attribute {name!r}")
