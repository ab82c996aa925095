"""Repair a store from what ``rag.core.integrity`` found: drop the chunks that must go, then
index the damaged articles again from their stored text (vectors of unchanged chunks reused).

Usage: ``health, report = repair(store, indexer)``
"""

from __future__ import annotations

from ingest.index import Indexer
from rag.core.integrity import Health, examine
from rag.core.store import Store
from rag.core.types import IngestReport


def repair(store: Store, indexer: Indexer) -> tuple[Health, IngestReport]:
    """Fix what ``examine`` finds; returns the findings before the repair and the re-index."""
    with store.writing(indexer.notice):
        health = examine(store.census())
        drop = health.to_drop()
        if drop:
            store.delete_chunks(drop)
    articles = [store.get_article(i) for i in health.to_reindex()]
    report = indexer.index(articles, force=True) if articles else IngestReport()
    return health, report
