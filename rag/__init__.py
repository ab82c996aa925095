"""newsrag: question answering over news articles with exact, cited quotes.

``from rag import Assistant`` loads the assistant on first use, so ``ingest`` modules can import
``rag.types`` without importing the assistant (which imports them) first.
"""

from typing import Any

from rag.settings import Settings
from rag.types import Answer, Article, Chunk, Citation, IngestReport

__all__ = ["Answer", "Article", "Assistant", "Chunk", "Citation", "IngestReport", "Settings"]


def __getattr__(name: str) -> Any:
    if name == "Assistant":
        from rag.assistant import Assistant

        return Assistant
    raise AttributeError(f"module 'rag' has no attribute {name!r}")
