"""A store's chunks embedded again with another model, beside the live ones until complete.

The new vectors go into a staging collection (``<name>-chunks-next``) that records the model and
the live collection's generation it copies. Readers keep the live collection meanwhile; a kill
leaves the staged rows, and the next run embeds only the rest. ``Store.swap_in`` then makes it
the live collection in one step (rag.core.chroma.live_chunks finishes an interrupted swap).

Usage::

    staging = store.staging("local:wordllama-256", 256)
    staging.put(rows, embedder.embed_documents(texts))  # what staging.staged_ids() lacks
    store.swap_in(staging)  # under the write lock (ingest/reindex.py drives it)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from rag.core import chroma
from rag.core.errors import StoreError

Row = tuple[str, str, dict[str, Any]]  # chunk id, text, metadata


class Staging:
    """The staging collection of one re-embedding (created, or resumed when its model fits).
    It is looked up by name through ``client()`` on every use: the store replaces its client
    when another process writes (rag.core.chroma.reload_client stops the old one)."""

    def __init__(
        self, client: Callable[[], Any], name: str, model: str, dimension: int, batch: int
    ) -> None:
        self.name = f"{name}{chroma.STAGED}"
        self.model = model
        self.dimension = dimension
        self._client = client
        self._batch = batch
        found = chroma.get_collection(client(), self.name)
        meta = dict((found.metadata if found is not None else None) or {})
        if found is not None and (meta.get("embedding_model"), meta.get("embedding_dim")) != (
            model,
            dimension,
        ):
            chroma.delete_collection(client(), self.name)  # another model's: start again
            found = None
        if found is None:
            found = client().create_collection(
                self.name,
                metadata=self._meta(),
                configuration={"hnsw": {"space": "cosine"}},
                embedding_function=None,
            )
        self.resumed = found.count() > 0

    @property
    def collection(self) -> Any:
        found = chroma.get_collection(self._client(), self.name)
        if found is None:
            raise StoreError(
                f"the re-embedding into {self.name} was finished or removed by another "
                "process; run one `newsrag reindex` at a time"
            )
        return found

    def _meta(self, **extra: Any) -> dict[str, Any]:
        return {"embedding_model": self.model, "embedding_dim": self.dimension, **extra}

    @property
    def source(self) -> str:
        """The live generation the staged rows were copied from ("" before the first row)."""
        return str((self.collection.metadata or {}).get("source_generation", ""))

    def mark_source(self, generation: str) -> None:
        self.collection.modify(metadata=self._meta(source_generation=generation))

    def staged_ids(self) -> set[str]:
        return chroma.read_ids(self.collection, self._batch)

    def put(self, rows: Sequence[Row], vectors: Sequence[Sequence[float]]) -> None:
        """Stage ``rows`` with their new vectors (an upsert: a row staged twice is kept once)."""
        self.collection.upsert(
            ids=[r[0] for r in rows],
            documents=[r[1] for r in rows],
            metadatas=[r[2] for r in rows],
            embeddings=[list(v) for v in vectors],
        )

    def rows_of(self, ids: Sequence[str]) -> dict[str, tuple[str, dict[str, Any]]]:
        """The staged text and metadata of the rows among ``ids`` (missing ones are absent)."""
        got = self.collection.get(ids=list(ids), include=["documents", "metadatas"])
        rows = zip(got["ids"], got["documents"], got["metadatas"], strict=True)
        return {i: (d, m) for i, d, m in rows}

    def update_metas(self, rows: Sequence[Row]) -> None:
        for part in chroma.parts(list(rows), self._batch):
            self.collection.update(ids=[r[0] for r in part], metadatas=[r[2] for r in part])

    def delete(self, ids: set[str]) -> None:
        chroma.delete_ids(self.collection, self._batch, ids)

    def complete(self, generation: str) -> None:
        """Mark the staged collection whole: from here on it replaces the live one (the source
        stays recorded, so a run cut short before the swap still catches up)."""
        meta = self._meta(complete=True, generation=generation, source_generation=self.source)
        self.collection.modify(metadata=meta)
