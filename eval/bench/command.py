"""``python -m eval.bench`` (``main`` here): newsrag beside the LangChain recipe
(RecursiveCharacterTextSplitter 1000/200 -> Chroma -> top-4, same encoder), on realtimeqa-dev
and its distractors.

Usage: ``python -m eval.bench --stores DIR --out bench.json`` (``--stores`` as for ``newsrag
eval``: the full realtimeqa-dev store under DIR/realtimeqa-dev/newsrag is reused, else built).
Prints and saves (JSON + Markdown beside it): ingest rates per encoder against the raw encoder
and the recipe (medians of repeats on a sample of articles), re-ingest, cold start, retrieval
and answer p50/p95 and peak RSS at each store size (copies of the real store, see scale.py)
embedded and through a Chroma server on loopback, and with concurrent client processes; two
chat replicas on one server seeing a third process's ingest (replicas.py). Skips cleanly (exit
0) when the data set is absent.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sys
import tempfile
from pathlib import Path
from typing import Any

from eval.bench import DEFAULT_DATA, REPO
from eval.bench.ingest_speed import ingest_rates
from eval.bench.processes import chroma_run, cold_starts, run_workers, server_figures
from eval.bench.replicas import replica_lag
from eval.bench.report import publish, to_markdown
from eval.bench.scale import recipe_copy, scaled_copy
from eval.datasets import dataset_sources, load_dataset
from ingest.sources import read_sources, resolve_sources
from rag.assistant import Assistant
from rag.core.embeddings import LOCAL_MINILM, LOCAL_MINILM_L3, LOCAL_WORDLLAMA, make_embeddings
from rag.core.settings import Settings
from rag.core.types import Article


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if not (args.data / "qa.jsonl").exists():
        print(json.dumps({"skipped": f"{args.data} not found; nothing to benchmark"}))
        return 0
    dataset = load_dataset(args.data)
    with tempfile.TemporaryDirectory(prefix="newsrag-bench-") as tmp:
        scratch = Path(tmp)
        stores = args.stores or scratch / "stores"
        sources = dataset_sources(dataset, stores / "data", distractors=True)
        articles = [a for a in read_sources(resolve_sources(sources)) if isinstance(a, Article)]
        sample = random.Random(0).sample(articles, min(args.ingest_articles, len(articles)))
        result: dict[str, Any] = {"machine": _machine(), "corpus": _corpus(articles, sample)}
        result["ingest"] = {}
        for name in args.encoders if "ingest" in args.sections else []:
            settings = Settings(home=scratch / "unused", embedding_model=name)
            result["ingest"][name] = ingest_rates(
                sample,
                lambda s=settings: make_embeddings(s),
                args.repeats,
                scratch / name,
                settings,
            )
            _say(f"ingest {name}: done")
        source = _full_store(stores / dataset.name / "newsrag", sources)
        questions = scratch / "questions.json"
        asked = dataset.questions[: args.questions + 1]
        questions.write_text(
            json.dumps([{"question": q.question, "as_of": q.question_date} for q in asked])
        )
        result["sizes"] = {}
        for size in args.sizes if "sizes" in args.sections else []:
            home = scratch / f"size-{size}"
            target = Assistant(Settings(home=home)).pipeline.store
            chunks = scaled_copy(source, target, size)
            recipe_copy(target, home)
            figures: dict[str, Any] = {"chunks": chunks}
            for pipeline in ("newsrag", "recipe"):
                figures[pipeline] = run_workers(home, pipeline, questions, 1)
            figures["cold_start"] = cold_starts(home, asked[1].question, args.repeats)
            if size == args.sizes[0]:
                figures["server"] = server_figures(home, questions, args.clients, scratch)
            result["sizes"][str(size)] = figures
            _say(f"size {size}: done")
        if "replicas" in args.sections:
            result["replicas"] = _replicas(scratch / "replicas")
            _say("replicas: done")
    publish(result, to_markdown(result), args.out)
    return 0


def _replicas(scratch: Path) -> dict[str, Any]:
    """Two chat replicas on one `chroma run` server, a third process ingesting (the seed
    article first): seconds until each answers from the new article."""
    with chroma_run(scratch / "server") as port:
        lag = replica_lag(scratch, port, REPO / "eval" / "datasets" / "seed")
    return {"seconds_after_ingest": lag.seconds, "ingest_s": lag.ingest_s}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m eval.bench", description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--stores", type=Path, help="reuse/keep the full stores here")
    parser.add_argument("--out", type=Path, help="write the JSON here (and a .md beside it)")
    parser.add_argument("--ingest-articles", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--questions", type=int, default=40)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument(
        "--sections",
        type=lambda t: set(t.split(",")),
        default={"ingest", "sizes", "replicas"},
        help="comma-separated: ingest (rates vs the recipe), sizes (latency, memory, cold "
        "start, server), replicas (two chats on one server see a third process's ingest); "
        "default all three",
    )
    parser.add_argument(
        "--sizes", type=lambda t: [int(x) for x in t.split(",")], default=[10_000, 100_000]
    )
    parser.add_argument(
        "--encoders",
        type=lambda t: t.split(","),
        default=[LOCAL_MINILM, LOCAL_MINILM_L3, LOCAL_WORDLLAMA],
        help="comma-separated embedding models for the ingest table",
    )
    return parser


def _full_store(home: Path, sources: list[Path]) -> Any:
    """The real store the size copies come from: reused when present, else ingested."""
    assistant = Assistant(Settings(home=home))
    if not assistant.stats()["chunks"]:
        _say(f"ingesting the full corpus into {home} (once; pass --stores to keep it)")
        assistant.ingest(sources)
    return assistant.pipeline.store


def _corpus(articles: list[Article], sample: list[Article]) -> dict[str, int]:
    return {
        "articles": len(articles),
        "ingest_sample_articles": len(sample),
        "ingest_sample_chars": sum(len(a.text) for a in sample),
    }


def _machine() -> dict[str, Any]:
    return {
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "load_avg_at_start": [round(x, 2) for x in os.getloadavg()],
    }


def _say(text: str) -> None:
    print(f"bench: {text}", file=sys.stderr, flush=True)
