"""Move a store to another embedding model from its own text: ``newsrag reindex [--model]``.

Every stored chunk (its headline and text, as at ingest) is embedded again into a staging
collection beside the live one, so questions keep being answered meanwhile; a killed run leaves
what it staged and the next run embeds only the rest. Under the write lock, what other
processes wrote since the copy began is caught up, then the staging collection replaces the
live one (rag.core.staging). Nothing is fetched or chunked again: chunk ids, offsets and
citations stay as they were. A Chroma server has no write lock: an ingest writing in the instant
of the swap can lose its chunks, which `newsrag check --repair` restores from the stored text;
reindex a server store while nothing ingests.

Usage: ``report = reindex(store, make_embeddings(settings, "local:wordllama-256"))``
"""

from __future__ import annotations

import time
from collections.abc import Callable

from ingest.chunk import embedding_text
from rag.core.embeddings import Embedder
from rag.core.iters import pages
from rag.core.staging import Row, Staging
from rag.core.store import Store
from rag.core.types import ReindexReport

BATCH = 256  # chunks embedded and staged per step
CATCH_UPS = 3  # rounds of catching up with other writers before the swap

Progress = Callable[[int, int], None]  # (chunks staged, chunks in the store)


def reindex(
    store: Store,
    embedder: Embedder,
    progress: Progress | None = None,
    notice: Callable[[str], None] | None = None,
) -> ReindexReport:
    """Embed every chunk of ``store`` with ``embedder`` and make those vectors the store's."""
    started = time.perf_counter()
    report = ReindexReport(store.model, embedder.name)
    if store.model == embedder.name:
        return report
    staging = store.staging(embedder.name, embedder.dimension)
    report.resumed = staging.resumed
    if not staging.source:
        staging.mark_source(store.generation())
    done = staging.staged_ids()
    total = store.counts()["chunks"]
    titles = store.titles()
    if progress is not None:
        progress(len(done), total)
    todo = (row for row in store.live_rows() if row[0] not in done)
    for rows in pages(todo, BATCH):
        report.embedded += _stage(staging, embedder, rows, titles)
        if progress is not None:
            progress(min(total, len(done) + report.embedded), total)
    with store.writing(notice):
        for _ in range(CATCH_UPS):  # a server store has no lock: writes may go on meanwhile
            current = store.generation()
            if current == staging.source:
                break
            report.embedded += _catch_up(store, staging, embedder)
            staging.mark_source(current)
        report.chunks = store.counts()["chunks"]
        store.swap_in(staging)
    report.seconds = time.perf_counter() - started
    return report


def _stage(staging: Staging, embedder: Embedder, rows: list[Row], titles: dict[str, str]) -> int:
    texts = [embedding_text(titles.get(str(m["article_id"]), ""), text) for _, text, m in rows]
    staging.put(rows, embedder.embed_documents(texts))
    return len(rows)


def _catch_up(store: Store, staging: Staging, embedder: Embedder) -> int:
    """Make the staged rows equal the live ones again, a page at a time: embed new or changed
    chunks, refresh changed metadata, drop chunks deleted since the copy. Returns the chunks
    embedded."""
    titles = store.titles()
    live: set[str] = set()
    embedded = 0
    for page in pages(store.live_rows(), BATCH):
        live.update(r[0] for r in page)
        staged = staging.rows_of([r[0] for r in page])
        new = [r for r in page if r[0] not in staged or staged[r[0]][0] != r[1]]
        if new:
            embedded += _stage(staging, embedder, new, titles)
        same_text = [r for r in page if r[0] in staged and staged[r[0]][0] == r[1]]
        staging.update_metas([r for r in same_text if staged[r[0]][1] != r[2]])
    staging.delete(staging.staged_ids() - live)
    return embedded
