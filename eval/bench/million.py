"""A store of (about) a million chunks, ingested for real, and what it costs to keep and ask.

Usage: ``python -m eval.bench.million --home DIR [--chunks 1000000] [--out million.json]``

The corpus is realtimeqa-dev with its distractors (from the shared folder) and the project's
fresh sets, repeated as editions: each copy gets a distinct id and a light edit (an edition line
before the text and a numbered headline), so every chunk is new to the store and nothing is
skipped as a duplicate. Then, each in its own process where memory matters: ingest time and
rate, store size on disk, the BM25 index's build time and peak memory, retrieval + rerank and
full-answer latency p50/p95 for one and four concurrent clients (realtimeqa-dev questions with
their dates; one client also with the reader's old reading, 24 chunks in batches of 16, as the
baseline), embedded and through ``chroma run`` on loopback, and a cold ``newsrag ask``. An
existing store under --home is topped up, not rebuilt. Skips cleanly (exit 0) without the data.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from eval.bench import DEFAULT_DATA, REPO
from eval.bench.processes import run_workers, server_figures
from eval.datasets import dataset_sources, load_dataset
from ingest.index import Indexer
from ingest.sources import read_sources, resolve_sources
from rag.assistant import Assistant
from rag.core.settings import Settings
from rag.core.types import Article

WAVE = 2000  # articles per ingest call
# the baseline in the same run: the reader's reading before 2026-12-06 (24 chunks, batches of 16)
OLD_READING = {
    "NEWSRAG_READER_BATCH": "16",
    "NEWSRAG_READER_FIRST": "0",
    "NEWSRAG_READER_CANDIDATES": "24",
}


def edition(article: Article, number: int) -> Article:
    """Copy ``number`` of ``article``: another id, a numbered headline, an edition line."""
    if number == 0:
        return article
    return replace(
        article,
        id=f"{article.id}~{number}",
        title=f"{article.title} (edition {number})",
        text=f"Edition {number}.\n\n{article.text}",
    )


def editions(articles: list[Article], start: int) -> Iterator[list[Article]]:
    """Waves of ``WAVE`` articles, edition after edition, without end."""
    number = start
    while True:
        copies = [edition(a, number) for a in articles]
        for lo in range(0, len(copies), WAVE):
            yield copies[lo : lo + WAVE]
        number += 1


def build(home: Path, articles: list[Article], chunks: int) -> dict[str, Any]:
    """Ingest editions of ``articles`` into ``home`` until it holds ``chunks`` chunks."""
    assistant = Assistant(Settings(home=home))
    p = assistant.pipeline
    indexer = Indexer(p.store, p.embedder, p.chunker)
    held = p.store.counts()
    start = held["articles"] // max(1, len(articles))
    added_articles = added_chunks = 0
    started = time.perf_counter()
    for wave in editions(articles, start):
        if held["chunks"] + added_chunks >= chunks:
            break
        report = indexer.index(wave)
        added_articles += len(report.added)
        added_chunks += report.chunks_added
        _say(f"{held['chunks'] + added_chunks:,} chunks ({time.perf_counter() - started:.0f} s)")
    seconds = time.perf_counter() - started
    counts = p.store.counts()
    return {
        "embedding_model": p.store.model,
        "chunks": counts["chunks"],
        "articles": counts["articles"],
        "ingested_articles": added_articles,
        "ingested_chunks": added_chunks,
        "ingest_s": round(seconds, 1),
        "articles_per_s": round(added_articles / seconds, 2) if seconds else None,
        "chunks_per_s": round(added_chunks / seconds, 1) if seconds else None,
        "store_mb": round(_size(home / "chroma") / 1e6, 1),
    }


def lexical_build(home: Path) -> dict[str, Any]:
    """The BM25 index built from the store in a new process: seconds, peak RSS, size on disk."""
    code = (
        "import json, time, shutil; from pathlib import Path\n"
        "from rag.assistant import Assistant; from rag.core.settings import Settings\n"
        "from eval.bench.worker import _peak_rss_mb\n"
        f"home = Path({str(home)!r}); shutil.rmtree(home / 'lexical', ignore_errors=True)\n"
        "a = Assistant(Settings(home=home)); store = a.pipeline.store\n"
        "base = _peak_rss_mb(); t = time.perf_counter()\n"
        "a.pipeline.retriever.lexical.current()\n"
        "print(json.dumps({'build_s': round(time.perf_counter() - t, 1),\n"
        "  'peak_rss_mb': round(_peak_rss_mb(), 1), 'rss_before_mb': round(base, 1)}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    )
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    figures["on_disk_mb"] = round(_size(home / "lexical") / 1e6, 1)
    return figures


def cold_ask(home: Path, question: str, repeats: int) -> float:
    """Median wall seconds of `newsrag ask` in a new process (after one run that warms the
    disk cache and the BM25 index on disk)."""
    command = [sys.executable, "-m", "rag.faces.launch", "ask", question, "--home", str(home)]
    subprocess.run(command, capture_output=True, check=True, cwd=REPO)
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True, cwd=REPO)
        times.append(time.perf_counter() - started)
    return round(statistics.median(times), 2)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.bench.million", description=__doc__)
    parser.add_argument("--home", type=Path, required=True, help="the big store (kept)")
    parser.add_argument("--chunks", type=int, default=1_000_000)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--questions", type=int, default=40)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--out", type=Path)
    parser.add_argument(
        "--sections",
        type=lambda t: set(t.split(",")),
        default={"build", "lexical", "latency", "server", "cold"},
    )
    args = parser.parse_args(argv)
    if not (args.data / "qa.jsonl").exists():
        print(json.dumps({"skipped": f"{args.data} not found; nothing to benchmark"}))
        return 0
    dataset = load_dataset(args.data)
    scratch = args.home.parent / f"{args.home.name}-scratch"
    sources = dataset_sources(dataset, scratch / "data", distractors=True)
    sources += sorted((REPO / "eval" / "datasets").glob("fresh*/articles.jsonl"))
    articles = [a for a in read_sources(resolve_sources(sources)) if isinstance(a, Article)]
    questions = scratch / "questions.json"
    asked = dataset.questions[: args.questions + 1]
    questions.write_text(
        json.dumps([{"question": q.question, "as_of": q.question_date} for q in asked])
    )
    result: dict[str, Any] = {"corpus_articles": len(articles)}
    if "build" in args.sections:
        result["build"] = build(args.home, articles, args.chunks)
    if "lexical" in args.sections:
        result["lexical"] = lexical_build(args.home)
        _say(f"lexical: {result['lexical']}")
    if "latency" in args.sections:
        result["one_client"] = run_workers(args.home, "newsrag", questions, 1)
        result["one_client_old_reading"] = run_workers(
            args.home, "newsrag", questions, 1, OLD_READING
        )
        result["concurrent"] = run_workers(args.home, "newsrag", questions, args.clients)
        _say(f"latency: {result['one_client']}, old reading {result['one_client_old_reading']}")
    if "server" in args.sections:
        result["server"] = server_figures(args.home, questions, args.clients, scratch)
    if "cold" in args.sections:
        result["cold_ask_s"] = cold_ask(args.home, asked[1].question, 3)
    text = json.dumps(result, indent=1)
    print(text)
    if args.out:
        args.out.write_text(text)
    return 0


def _size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def _say(text: str) -> None:
    print(f"million: {text}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
