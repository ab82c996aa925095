"""The benchmark's Markdown: one table per section, newsrag beside the recipe.

Usage: ``print(to_markdown(result))`` with the dict ``python -m eval.bench`` saves.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def publish(result: dict[str, Any], text: str, out: Path | None) -> None:
    """Print the Markdown ``text``; with ``out``, save the JSON there and the Markdown beside."""
    print(text)
    if out:
        out.write_text(json.dumps(result, indent=1))
        out.with_suffix(".md").write_text(text)


def to_markdown(result: dict[str, Any]) -> str:
    m, c = result["machine"], result["corpus"]
    lines = [
        "# newsrag benchmark (beside the LangChain recipe, same run)",
        "",
        f"Machine: {m['cpus']} CPUs, {m['platform']}, Python {m['python']}, load average at "
        f"start {m['load_avg_at_start']}. Corpus: realtimeqa-dev + distractors, "
        f"{c['articles']} articles; ingest figures on a sample of {c['ingest_sample_articles']} "
        f"articles ({c['ingest_sample_chars']:,} characters).",
        "",
        "## Ingest (medians of repeats, fresh stores)",
        "",
        "| encoder | pipeline | articles/s | chunks | chunks/s | words/s | over raw encoder "
        "| re-ingest × faster |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for encoder, pair in result["ingest"].items():
        for name in ("newsrag", "recipe"):
            f = pair[name]
            lines.append(
                f"| {encoder} | {name} | {f['articles_per_s']:.2f} | {f['chunks']:.0f} | "
                f"{f['chunks_per_s']:.1f} | {f['words_per_s']:.0f} | "
                f"{f['overhead_over_encoder']:+.1%} | {f['reingest_speedup']:.1f} |"
            )
    if result["ingest"]:
        lines += ["", "newsrag articles/s ÷ recipe articles/s:"]
    for ours_name, ours in result["ingest"].items():
        for theirs_name, theirs in result["ingest"].items():
            ratio = ours["newsrag"]["articles_per_s"] / theirs["recipe"]["articles_per_s"]
            lines.append(f"- newsrag with {ours_name} vs recipe with {theirs_name}: {ratio:.2f}×")
    lines += [
        "",
        "## Latency and memory by store size (one client, embedded store)",
        "",
        "| chunks | pipeline | retrieve p50 / p95 ms | full answer p50 / p95 ms | peak RSS MB |",
        "|---|---|---|---|---|",
    ]
    for figures in result["sizes"].values():
        for name in ("newsrag", "recipe"):
            lines.append(_latency_row(f"{figures['chunks']:,}", name, figures[name]))
    lines += ["", "## Cold start (a new process answering one question, median seconds)", ""]
    for figures in result["sizes"].values():
        cold = ", ".join(
            f"{k.removesuffix('_s')} {v:.2f}"
            for k, v in figures["cold_start"].items()
            if isinstance(v, float)
        )
        lines.append(f"- {figures['chunks']:,} chunks: {cold}")
    lines += _phase_table(result)
    for figures in result["sizes"].values():
        if "server" in figures:
            s = figures["server"]
            lines += [
                "",
                f"## Through a `chroma run` server on loopback ({figures['chunks']:,} chunks)",
                "",
                "| clients | retrieve p50 / p95 ms | full answer p50 / p95 ms | peak RSS MB |",
                "|---|---|---|---|",
                _latency_row(None, "1", s["one_client"]),
                _latency_row(None, str(s["concurrent"]["clients"]), s["concurrent"]),
            ]
    if "replicas" in result:
        r = result["replicas"]
        seconds = " and ".join(f"{x:.2f} s" for x in r["seconds_after_ingest"])
        lines += [
            "",
            "## Two chat replicas on one `chroma run` server, a third process ingesting",
            "",
            f"Each replica answered from the new article {seconds} after the ingest process "
            f"exited (the ingest itself took {r['ingest_s']:.2f} s).",
        ]
    return "\n".join(lines) + "\n"


def _latency_row(size: str | None, name: str, f: dict[str, Any]) -> str:
    r, a = f["retrieve_ms"], f["answer_ms"]
    head = f"| {size} | {name} " if size else f"| {name} "
    return f"{head}| {r['p50']} / {r['p95']} | {a['p50']} / {a['p95']} | {f['peak_rss_mb']} |"


def _phase_table(result: dict[str, Any]) -> list[str]:
    """Where a cold ask spends its time (eval/bench/cold.py), one column per store size."""
    sizes = [f for f in result["sizes"].values() if "phases" in f["cold_start"]]
    if not sizes:
        return []
    lines = [
        "",
        "Phases of a cold ask, one after another (medians, wall / CPU seconds; the real command "
        "loads spaCy beside the store and the encoder, so it takes less than the total):",
        "",
        "| phase | " + " | ".join(f"{f['chunks']:,} chunks" for f in sizes) + " |",
        "|---|" + "---|" * len(sizes),
    ]
    for phase in ("imports", "store", "encoder", "lexical", "spacy", "question", "total"):
        cells = [
            f"{f['cold_start']['phases'][f'{phase}_s']:.2f} / "
            f"{f['cold_start']['phases'][f'{phase}_cpu_s']:.2f}"
            for f in sizes
        ]
        lines.append(f"| {phase} | " + " | ".join(cells) + " |")
    return lines
