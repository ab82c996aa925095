"""newsrag: question answering over news articles with exact, cited quotes."""

from rag.assistant import Assistant
from rag.settings import Settings
from rag.types import Answer, Article, Chunk, Citation, IngestReport

__all__ = ["Answer", "Article", "Assistant", "Chunk", "Citation", "IngestReport", "Settings"]
