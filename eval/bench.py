"""Speed benchmark on realtimeqa-dev with distractors (~2,000 articles), baseline in the same run.

Usage: ``python -m eval.bench [--data ../shared/data/realtimeqa-dev] [--sample 512] [--repeats 3]``
Measures: a full ingest (articles/s, chunks/s), the raw encoder's rate on a sample of the same
chunk texts (the baseline: the model alone), so the pipeline's overhead over the model is
visible; a re-ingest of the unchanged corpus; the median ``ask`` latency over the gold questions.
Skips cleanly (exit 0) when the data set is absent.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from eval.datasets import dataset_sources, load_dataset
from ingest.chunk import Chunker, embedding_text
from ingest.sources import read_sources, resolve_sources
from rag.assistant import Assistant
from rag.core.embeddings import make_embeddings
from rag.core.settings import Settings
from rag.core.tokens import load_encoding
from rag.core.types import Article

DEFAULT_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "realtimeqa-dev"


def timed(fn, repeats: int) -> float:
    """Median wall time of ``fn()`` over ``repeats`` runs."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.bench", description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument(
        "--sample", type=int, default=512, help="chunk texts for the encoder baseline"
    )
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--questions", type=int, default=40)
    parser.add_argument("--home", type=Path, help="keep the store here (an empty dir) for reuse")
    args = parser.parse_args(argv)
    if not (args.data / "qa.jsonl").exists():
        print(json.dumps({"skipped": f"{args.data} not found; nothing to benchmark"}))
        return 0
    with tempfile.TemporaryDirectory(prefix="newsrag-bench-") as tmp:
        dataset = load_dataset(args.data)
        sources = dataset_sources(dataset, Path(tmp) / "data", distractors=True)
        settings = Settings(home=args.home or Path(tmp) / "store")
        emb = make_embeddings(settings)
        assistant = Assistant(settings, embeddings=emb)
        if assistant.stats()["chunks"]:
            print(json.dumps({"error": f"{args.home} already holds a store; give an empty dir"}))
            return 1
        emb.embed_query("warm up")  # model load is not ingest time

        started = time.perf_counter()
        report = assistant.ingest(sources)
        ingest_s = time.perf_counter() - started
        n_articles = len(report.added)

        # the baseline: the raw encoder on a sample of the very texts the pipeline embedded
        chunker = Chunker(
            load_encoding(settings.encoding), settings.chunk_tokens, settings.chunk_overlap_tokens
        )
        articles = [a for a in read_sources(resolve_sources(sources)) if isinstance(a, Article)]
        texts = [embedding_text(a.title, c.text) for a in articles for c in chunker.split(a)]
        sample = random.Random(0).sample(texts, min(args.sample, len(texts)))
        encoder_s = timed(lambda: emb.embed_documents(sample), args.repeats)
        encoder_rate = len(sample) / encoder_s
        chunk_s = timed(lambda: [chunker.split(a) for a in articles[:300]], args.repeats)

        reingest_s = timed(lambda: assistant.ingest(sources), args.repeats)
        questions = [q.question for q in dataset.questions[: args.questions]]
        latencies = []
        for q in questions:
            started = time.perf_counter()
            assistant.ask(q)
            latencies.append((time.perf_counter() - started) * 1000)
        pipeline_rate = report.chunks_embedded / ingest_s
        result = {
            "articles": n_articles,
            "chunks": report.chunks_embedded,
            "ingest_s": round(ingest_s, 1),
            "articles_per_s": round(n_articles / ingest_s, 2),
            "chunks_per_s": round(pipeline_rate, 1),
            "encoder_only_texts_per_s": round(encoder_rate, 1),
            "pipeline_vs_encoder": round(pipeline_rate / encoder_rate, 3),
            "chunking_articles_per_s": round(min(300, len(articles)) / chunk_s, 1),
            "reingest_unchanged_s_median": round(reingest_s, 2),
            "reingest_vs_ingest": round(reingest_s / ingest_s, 4),
            "ask_ms_median": round(statistics.median(latencies), 1),
            "ask_ms_p95": round(sorted(latencies)[int(0.95 * (len(latencies) - 1))], 1),
            "questions_timed": len(latencies),
            "repeats": args.repeats,
        }
        print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
