"""The "LangChain tutorial" baseline that the evaluation compares newsrag against.

It follows the LangChain RAG tutorial: ``RecursiveCharacterTextSplitter(chunk_size=1000,
chunk_overlap=200, add_start_index=True)`` over each article, a ``langchain_chroma.Chroma``
vector store, plain top-k similarity search. Its hits are answered by newsrag's own public
answer stage (``Assistant.answer``), so the two pipelines differ only in chunking and retrieval.

Usage: ``answer, hits = BaselinePipeline(emb, home, assistant.answer).ask("Who leads ...?")``
after ``pipeline.ingest(articles)``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings

from rag.core.types import Answer, Article, Chunk, Hit, Retrieval

COLLECTION = "baseline_tutorial"
CHUNK_SIZE = 1000
CHUNK_OVERLAP = 200
ADD_BATCH = 512  # documents per Chroma upsert (SQLite caps one batch at a few thousand)


class BaselinePipeline:
    """Tutorial chunking + Chroma similarity search, answered by newsrag's answer stage.

    The Chroma client and splitter are built on first use, not in the constructor.
    """

    def __init__(
        self, embeddings: Embeddings, home: Path, answer: Callable[[Retrieval], Answer]
    ) -> None:
        self.embeddings = embeddings
        self.home = Path(home)
        self.answer = answer
        self._store: Any = None

    @property
    def store(self) -> Any:
        """The ``langchain_chroma.Chroma`` store under ``home/baseline-chroma`` (cosine space)."""
        if self._store is None:
            self._store = open_chroma(self.embeddings, self.home / "baseline-chroma")
        return self._store

    def ingest(self, articles: list[Article]) -> int:
        """Split and store ``articles``; returns the number of chunks written."""
        documents = [doc for article in articles for doc in split_article(article)]
        for lo in range(0, len(documents), ADD_BATCH):
            batch = documents[lo : lo + ADD_BATCH]
            self.store.add_documents(batch, ids=[str(doc.id) for doc in batch])
        return len(documents)

    def retrieve(self, question: str, k: int = 4) -> Retrieval:
        """Top-``k`` chunks by cosine similarity; the question is embedded once."""
        vector = list(self.embeddings.embed_query(question))
        # Despite its name this call returns cosine *distances* (lower is closer).
        found = self.store.similarity_search_by_vector_with_relevance_scores(vector, k=k)
        hits = [to_hit(doc, distance) for doc, distance in found]
        return Retrieval(question=question, vector=vector, hits=hits)

    def ask(self, question: str, k: int = 4) -> tuple[Answer, list[Hit]]:
        """Answer ``question`` from the baseline's hits; returns the answer and those hits."""
        started = time.perf_counter()
        retrieval = self.retrieve(question, k)
        retrieved = time.perf_counter()
        answer = self.answer(retrieval)
        done = time.perf_counter()
        timings = {
            "retrieve": (retrieved - started) * 1000,
            "answer": (done - retrieved) * 1000,
            "total": (done - started) * 1000,
        }
        return replace(answer, mode="baseline", timings_ms=timings), retrieval.hits


def open_chroma(embeddings: Embeddings, directory: Path) -> Any:
    """A persistent ``Chroma`` vector store with its own collection in cosine space."""
    from chromadb.config import Settings as ChromaSettings
    from langchain_chroma import Chroma

    return Chroma(
        collection_name=COLLECTION,
        embedding_function=embeddings,
        persist_directory=str(directory),
        client_settings=ChromaSettings(anonymized_telemetry=False),
        collection_configuration={"hnsw": {"space": "cosine"}},
    )


def split_article(article: Article) -> list[Document]:
    """The tutorial split of one article, with exact offsets, metadata and deterministic ids."""
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter(
        chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP, add_start_index=True
    )
    documents = splitter.create_documents([article.text])
    for index, doc in enumerate(documents):
        start = exact_start(article.text, doc.page_content, int(doc.metadata["start_index"]))
        doc.id = f"{article.id}:{start}"
        doc.metadata = {
            "article_id": article.id,
            "title": article.title,
            "url": article.url,
            "published": article.published,
            "source": article.source,
            "start_index": start,
            "chunk_index": index,
        }
    return documents


def exact_start(text: str, chunk: str, approx: int) -> int:
    """Where ``chunk`` starts in ``text``: ``approx`` when right, else the nearest match after
    ``approx - 50``, else the first match anywhere."""
    if approx >= 0 and text[approx : approx + len(chunk)] == chunk:
        return approx
    found = text.find(chunk, max(0, approx - 50))
    if found < 0:
        found = text.find(chunk)
    if found < 0:
        raise ValueError(f"chunk {chunk[:40]!r} is not in the article text")
    return found


def to_hit(doc: Document, distance: float) -> Hit:
    """Our Hit for a stored Document; the score is the cosine similarity clamped to 0..1."""
    meta = doc.metadata
    start = int(meta["start_index"])
    chunk = Chunk(
        id=str(doc.id),
        article_id=str(meta["article_id"]),
        index=int(meta["chunk_index"]),
        text=doc.page_content,
        start=start,
        end=start + len(doc.page_content),
        n_tokens=0,
    )
    return Hit(
        chunk=chunk,
        score=min(1.0, max(0.0, 1.0 - float(distance))),
        title=str(meta.get("title", "")),
        url=str(meta.get("url", "")),
        published=str(meta.get("published", "")),
        source=str(meta.get("source", "")),
    )
