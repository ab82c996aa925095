"""The BM25 index alone at a million chunks: build time and peak memory, size on disk, load time
and memory of a new process, and query latency, beside the same index at the corpus's own size
(the baseline, same run). No embedding and no Chroma: the chunks are the corpus cut by the
ingest chunker once and repeated as editions with distinct ids (as ``eval.bench.million`` does
for a real store), so the figures are the lexical index's own. Each build and each load runs
in its own process, so peak RSS is that step's.

Usage: ``python -m eval.bench.lexical_scale --dir DIR [--chunks 1000000] [--out scale.json]``
(skips cleanly, exit 0, without realtimeqa-dev in the shared folder).
"""

from __future__ import annotations

import argparse
import json
import pickle
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from eval.bench import DEFAULT_DATA, REPO
from eval.datasets import dataset_sources, load_dataset
from ingest.chunk import Chunker
from ingest.sources import read_sources, resolve_sources
from rag.core.settings import Settings
from rag.core.tokens import load_encoding
from rag.core.types import Article, Hit

_STEP = """
import json, pickle, sys, time
from pathlib import Path
from eval.bench.lexical_scale import edition_hits
from eval.bench.worker import _peak_rss_mb
from rag.core.lexical import LexicalIndex
folder, step, chunks = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
base = pickle.loads((folder / "base.pkl").read_bytes())
questions = json.loads((folder / "questions.json").read_text())
before = _peak_rss_mb()
t = time.perf_counter()
if step == "build":
    LexicalIndex.build(edition_hits(base, chunks), f"g{chunks}", folder / f"index-{chunks}")
    out = {"build_s": round(time.perf_counter() - t, 1)}
else:
    index = LexicalIndex.load(folder / f"index-{chunks}", f"g{chunks}")
    loaded = time.perf_counter() - t
    times = []
    for q in questions:
        s = time.perf_counter(); index.search(q, 50); times.append(1000 * (time.perf_counter() - s))
    times.sort()
    out = {"load_s": round(loaded, 2), "search_p50_ms": round(times[len(times) // 2], 1),
           "search_p95_ms": round(times[int(0.95 * (len(times) - 1))], 1),
           "chunks": len(index.rows)}
out |= {"peak_rss_mb": round(_peak_rss_mb(), 1), "rss_before_mb": round(before, 1)}
print(json.dumps(out))
"""


def base_hits(articles: list[Article]) -> list[Hit]:
    """The corpus cut into chunks as ingest cuts it, with each article's metadata."""
    s = Settings()
    chunker = Chunker(load_encoding(s.encoding), s.chunk_tokens, s.chunk_overlap_tokens)
    return [
        Hit(chunk, 0.0, a.title, a.url, a.published, a.source)
        for a in articles
        for chunk in chunker.split(a)
    ]


def edition_hits(base: list[Hit], chunks: int) -> Iterator[Hit]:
    """``chunks`` hits: edition after edition of ``base``, each with its own ids and title."""
    made, number = 0, 0
    while made < chunks:
        for hit in base[: chunks - made]:
            c = hit.chunk
            chunk = replace(c, id=f"{c.id}~{number}", article_id=f"{c.article_id}~{number}")
            yield replace(hit, chunk=chunk, title=f"{hit.title} (edition {number})")
        made += min(len(base), chunks - made)
        number += 1


def step(folder: Path, name: str, chunks: int) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", _STEP, str(folder), name, str(chunks)],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(folder: Path, chunks: int, repeats: int) -> dict[str, Any]:
    """Build once (its own process), then load and query ``repeats`` times (medians)."""
    shutil.rmtree(folder / f"index-{chunks}", ignore_errors=True)
    out = step(folder, "build", chunks)
    size = sum(f.stat().st_size for f in (folder / f"index-{chunks}").rglob("*") if f.is_file())
    out["on_disk_mb"] = round(size / 1e6, 1)
    loads = [step(folder, "load", chunks) for _ in range(repeats)]
    for key in ("load_s", "search_p50_ms", "search_p95_ms", "peak_rss_mb"):
        out[f"query_{key}" if key == "peak_rss_mb" else key] = statistics.median(
            x[key] for x in loads
        )
    out["chunks"] = loads[0]["chunks"]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.bench.lexical_scale", description=__doc__)
    parser.add_argument("--dir", type=Path, required=True, help="scratch folder (kept)")
    parser.add_argument("--chunks", type=int, default=1_000_000)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    if not (args.data / "qa.jsonl").exists():
        print(json.dumps({"skipped": f"{args.data} not found; nothing to benchmark"}))
        return 0
    dataset = load_dataset(args.data)
    args.dir.mkdir(parents=True, exist_ok=True)
    sources = dataset_sources(dataset, args.dir / "data", distractors=True)
    articles = [a for a in read_sources(resolve_sources(sources)) if isinstance(a, Article)]
    started = time.perf_counter()
    base = base_hits(articles)
    chunking_s = round(time.perf_counter() - started, 1)
    (args.dir / "base.pkl").write_bytes(pickle.dumps(base))
    (args.dir / "questions.json").write_text(json.dumps([q.question for q in dataset.questions]))
    result = {
        "corpus": {"articles": len(articles), "chunks": len(base), "chunking_s": chunking_s},
        "baseline": measure(args.dir, len(base), args.repeats),
        "scaled": measure(args.dir, args.chunks, args.repeats),
    }
    b, s = result["baseline"], result["scaled"]
    result["ratios"] = {
        "chunks": round(s["chunks"] / b["chunks"], 1),
        "build_s": round(s["build_s"] / b["build_s"], 1),
        "peak_rss_build": round(s["peak_rss_mb"] / b["peak_rss_mb"], 2),
        "search_p50": round(s["search_p50_ms"] / b["search_p50_ms"], 1),
    }
    text = json.dumps(result, indent=1)
    print(text)
    if args.out:
        args.out.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
