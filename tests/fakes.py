"""Deterministic test doubles: a bag-of-words hashing embedder that counts its calls, chat
models that follow a script, and a word-overlap stand-in for the reader model."""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterator
from typing import Any

from langchain_core.embeddings import Embeddings
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGenerationChunk, ChatResult
from pydantic import Field

from rag.core.reader_net import Passage, PassageReading, ReaderNet
from rag.core.text import sentence_spans


class HashingEmbedder(Embeddings):
    """Each lower-cased word adds 1 to a dimension chosen by its hash; vectors are L2-normalised.

    Texts sharing words are similar, so retrieval tests have predictable winners.
    """

    def __init__(self, name: str = "test:hashing", dimension: int = 256) -> None:
        self.name = name
        self.dimension = dimension
        self.calls = 0
        self.texts_embedded = 0

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.calls += 1
        self.texts_embedded += len(texts)
        return [self._vector(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]

    def _vector(self, text: str) -> list[float]:
        vector = [0.0] * self.dimension
        for word in re.findall(r"[a-z0-9]+", text.lower()):
            vector[int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dimension] += 1.0
        norm = math.sqrt(sum(v * v for v in vector)) or 1.0
        return [v / norm for v in vector]


class CountingEmbedder(Embeddings):
    """Wraps a real embedder and counts the texts it is asked to embed."""

    def __init__(self, inner: Embeddings) -> None:
        self.inner = inner
        self.name = inner.name
        self.dimension = inner.dimension
        self.documents_embedded = 0

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.documents_embedded += len(texts)
        return self.inner.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_query(text)


class ScriptedChatModel(GenericFakeChatModel):
    """A LangChain fake chat model that replies from a script (streamed word by word) and
    records every prompt it was sent, so tests can see what reached the model."""

    prompts: list[list[BaseMessage]] = Field(default_factory=list)
    options: list[dict[str, Any]] = Field(default_factory=list)  # e.g. response_format

    @classmethod
    def replying(cls, *replies: str) -> ScriptedChatModel:
        return cls(messages=iter([AIMessage(r) for r in replies]))

    def _generate(self, messages: list[BaseMessage], *args: Any, **kwargs: Any) -> ChatResult:
        self.prompts.append(list(messages))
        self.options.append({k: v for k, v in kwargs.items() if k != "run_manager"})
        return super()._generate(messages, *args, **kwargs)

    def _stream(
        self, messages: list[BaseMessage], *args: Any, **kwargs: Any
    ) -> Iterator[ChatGenerationChunk]:
        self.prompts.append(list(messages))
        # the parent streams by calling _generate; do not record that call twice
        result = GenericFakeChatModel._generate(self, messages, *args, **kwargs)
        text = result.generations[0].message.text
        for i in range(0, len(text), 3):  # 3 characters at a time: markers arrive split
            yield ChatGenerationChunk(message=AIMessageChunk(content=text[i : i + 3]))


class FailingChatModel(GenericFakeChatModel):
    """Raises ``error`` when asked, like an endpoint that is down."""

    error: Exception

    def _generate(self, *args: Any, **kwargs: Any) -> ChatResult:
        raise self.error

    def _stream(self, *args: Any, **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        raise self.error


class BreakingChatModel(GenericFakeChatModel):
    """Streams ``pieces`` and then raises ``error``, like a connection that drops mid-answer."""

    pieces: list[str]
    error: Exception

    def _stream(self, *args: Any, **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        for piece in self.pieces:
            yield ChatGenerationChunk(message=AIMessageChunk(content=piece))
        raise self.error


STOP = frozenset(
    "a an the of in on at to for by with from and or is are was were be will who what when "
    "where which how many much did does do has have had that this it its their his her".split()
)


def overlap_read(
    net: ReaderNet, question: str, passages: list[Passage], batch_size: int = 16
) -> list[PassageReading]:
    """The fast lane's reader model (tests/conftest.py puts it in place of ``ReaderNet.read``):
    a passage answers as much as its best sentence shares the question's words; the 'span' is
    that sentence, never sure enough to lead a reply. Logits are set so that the card's
    calibration gives 0.05 + 0.9 x the share as the answer probability."""
    asked = _words(question)
    out = []
    for p in passages:
        best, start, end = 0.0, -1, -1
        for s, e in sentence_spans(p.text):
            share = len(asked & _words(p.text[s:e])) / max(1, len(asked))
            if share > best:
                best, start, end = share, s, e
        a, b = net.card.answer_scale
        share = 0.05 + 0.9 * best  # word overlap is never proof: 0.05 .. 0.95
        logit = (math.log(share / (1 - share)) - b) / a
        out.append(PassageReading(logit, start, end, float("-inf")))
    return out


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in STOP}


def news_article(aid: str, title: str, source: str, published: str, *paragraphs: str) -> dict:
    """A JSONL article row: the title, a blank line, then the paragraphs."""
    text = title + "\n\n" + "\n\n".join(paragraphs)
    return {"id": aid, "title": title, "source": source, "published": published, "text": text}
