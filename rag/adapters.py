"""LangChain at the boundary, for developers who compose their own chains: the assistant's
retrieval stage as a ``BaseRetriever`` and its whole answer path as a ``Runnable``.

Usage::

    docs = assistant.as_retriever(k=5).invoke("Who leads the Pakistani delegation?")
    docs[0].metadata["article_id"], docs[0].metadata["start"]
    chain = RunnableLambda(str.strip) | assistant.as_chain()
    answer = chain.invoke("Who leads the Pakistani delegation?")      # an Answer
    for event in assistant.as_chain().stream({"question": "...", "history": [answer]}): ...
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from langchain_core.runnables import Runnable, RunnableConfig
from pydantic import ConfigDict

from rag.core.errors import InputError
from rag.core.types import Answer, Filters, Hit

if TYPE_CHECKING:
    from rag.assistant import Assistant


def hit_document(hit: Hit) -> Document:
    """A LangChain Document for one retrieved chunk; offsets refer to the article text."""
    chunk = hit.chunk
    return Document(
        id=chunk.id,
        page_content=chunk.text,
        metadata={
            "article_id": chunk.article_id,
            "chunk_id": chunk.id,
            "title": hit.title,
            "url": hit.url,
            "published": hit.published,
            "source": hit.source,
            "start": chunk.start,
            "end": chunk.end,
            "score": hit.score,
        },
    )


class AssistantRetriever(BaseRetriever):
    """``Assistant.retrieve`` as a LangChain retriever."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    assistant: Any
    k: int | None = None
    filters: Filters | None = None

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        retrieval = self.assistant.retrieve(query, self.k, self.filters)
        return [hit_document(h) for h in retrieval.hits]


class AnswerChain(Runnable[Any, Any]):
    """A question (str) or ``{"question", "history", "k", "filters"}`` -> the Answer.
    ``stream`` yields the text pieces and then the Answer, like ``Assistant.stream``."""

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant

    def invoke(self, input: Any, config: RunnableConfig | None = None, **kwargs: Any) -> Answer:
        *_, final = self.stream(input, config)
        assert isinstance(final, Answer)
        return final

    def stream(
        self, input: Any, config: RunnableConfig | None = None, **kwargs: Any
    ) -> Iterator[Any]:
        question, options = _question_and_options(input)
        yield from self.assistant.stream(question, **options)


def _question_and_options(value: Any) -> tuple[str, dict[str, Any]]:
    if isinstance(value, str):
        return value, {}
    if isinstance(value, Mapping) and isinstance(value.get("question"), str):
        unknown = set(value) - {"question", "history", "k", "filters"}
        if unknown:
            raise InputError(f"unknown chain input key(s): {', '.join(sorted(unknown))}")
        return value["question"], {k: v for k, v in value.items() if k != "question"}
    raise InputError(
        'the chain takes a question string or {"question": ..., "history": [...]}, '
        f"not {type(value).__name__}"
    )
