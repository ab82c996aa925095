"""Ingest rates: newsrag and the LangChain recipe on the same articles with the same encoder,
each beside the raw encoder's rate on its own chunk texts (the pipeline's overhead).

Usage: ``rates = ingest_rates(articles, make_encoder, repeats=3, scratch=tmp)``
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from eval.baseline import BaselinePipeline, split_article
from ingest.chunk import embedding_text
from ingest.index import Indexer
from rag.assistant import Assistant
from rag.core.embeddings import Embedder
from rag.core.settings import Settings
from rag.core.types import Article


def ingest_rates(
    articles: list[Article],
    make_encoder: Callable[[], Embedder],
    repeats: int,
    scratch: Path,
    settings: Settings,
) -> dict[str, dict[str, Any]]:
    """Median ingest figures of both pipelines over ``repeats`` fresh stores each."""
    encoder = make_encoder()
    encoder.embed_query("warm up")  # loading the model is not ingest time
    ours: list[dict[str, float]] = []
    recipe: list[dict[str, float]] = []
    for r in range(repeats):  # alternate, so drift in machine load hits both alike
        ours.append(
            _newsrag(articles, encoder, settings.model_copy(update={"home": scratch / f"n{r}"}))
        )
        recipe.append(_recipe(articles, encoder, scratch / f"r{r}"))
    return {"newsrag": _median(ours), "recipe": _median(recipe)}


def _newsrag(articles: list[Article], encoder: Embedder, settings: Settings) -> dict[str, float]:
    assistant = Assistant(settings, embeddings=encoder)
    p = assistant.pipeline
    texts = [embedding_text(a.title, c.text) for a in articles for c in p.chunker.split(a)]
    started = time.perf_counter()
    report = Indexer(p.store, p.embedder, p.chunker).index(articles)
    seconds = time.perf_counter() - started
    started = time.perf_counter()
    again = Indexer(p.store, p.embedder, p.chunker).index(articles)
    reingest = time.perf_counter() - started
    assert again.chunks_embedded == 0 and len(again.unchanged) == len(report.added)
    return _figures(len(report.added), texts, seconds, encoder) | {"reingest_s": reingest}


def _recipe(articles: list[Article], encoder: Embedder, home: Path) -> dict[str, float]:
    pipe = BaselinePipeline(encoder, home, lambda r: None)  # type: ignore[arg-type,return-value]
    texts = [d.page_content for a in articles for d in split_article(a)]
    started = time.perf_counter()
    pipe.ingest(articles)
    seconds = time.perf_counter() - started
    started = time.perf_counter()
    pipe.ingest(articles)  # the tutorial has no change detection: everything is embedded again
    reingest = time.perf_counter() - started
    return _figures(len(articles), texts, seconds, encoder) | {"reingest_s": reingest}


def _figures(n: int, texts: list[str], seconds: float, encoder: Embedder) -> dict[str, float]:
    started = time.perf_counter()
    encoder.embed_documents(texts)
    raw = time.perf_counter() - started
    tokens = sum(len(t.split()) for t in texts)  # words; the same measure for both pipelines
    return {
        "articles": n,
        "chunks": len(texts),
        "words_embedded": tokens,
        "ingest_s": seconds,
        "articles_per_s": n / seconds,
        "chunks_per_s": len(texts) / seconds,
        "words_per_s": tokens / seconds,
        "encoder_only_s": raw,
        "overhead_over_encoder": seconds / raw - 1.0,
    }


def _median(runs: list[dict[str, float]]) -> dict[str, Any]:
    out: dict[str, Any] = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    out["repeats"] = len(runs)
    out["reingest_speedup"] = out["ingest_s"] / out["reingest_s"]
    return out
