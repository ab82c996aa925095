"""Reports: Markdown summary, comparison with an earlier report, threshold checks.

Usage: ``print(to_markdown(report.to_dict()))``; ``check(summary, load_thresholds(path))``
All functions work on the JSON form of a report, so earlier reports load from disk.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from rag.core.errors import InputError

# (metric, label, higher_is_better) in table order
COLUMNS = (
    ("correct", "correct", True),
    ("contains_in_text", "ans∈text", True),
    ("f1", "F1", True),
    ("em", "EM", True),
    ("mc_accuracy", "MC acc", True),
    ("answer_in_top5", "ans@5", True),
    ("recall@5", "R@5", True),
    ("mrr", "MRR", True),
    ("citation_precision", "cite P", True),
    ("citation_recall", "cite R", True),
    ("invalid_markers", "bad [n]", False),
    ("bad_offsets", "bad offs", False),
    ("unanswerable_refused", "refused U", True),
    ("false_refusals", "false ref", False),
    ("latency_p50_ms", "p50 ms", False),
    ("latency_p95_ms", "p95 ms", False),
    ("prompt_tokens", "tok in", False),
    ("completion_tokens", "tok out", False),
    ("cost_usd", "cost $", False),
)
COUNTS = frozenset({"invalid_markers", "bad_offsets"})  # any increase is a regression
NOISE = 0.01  # deltas smaller than this are not flagged
# measured and shown, never compared: they depend on the machine, the model and its price
INFORMATIONAL = frozenset(
    {"latency_p50_ms", "latency_p95_ms", "prompt_tokens", "completion_tokens", "cost_usd"}
)


# news-native metrics (conflict and timeline sets): shown in their own table when present
NEWS_COLUMNS = (
    "conflict_precision",
    "conflict_recall",
    "consistent_flagged",
    "update_named",
    "kind_right",
    "latest_right",
    "timeline_recall",
    "timeline_precision",
    "timeline_in_order",
    "timeline_quotes_exact",
)


def _news_table(summary: dict[str, Any]) -> list[str]:
    """Conflict and timeline metrics of the groups that have them."""
    rows = [
        f"| {group} | {pipeline} | " + " | ".join(_fmt(m.get(c)) for c in NEWS_COLUMNS) + " |"
        for group, pipelines in summary.items()
        for pipeline, m in pipelines.items()
        if any(m.get(c) is not None for c in NEWS_COLUMNS)
    ]
    if not rows:
        return []
    head = "| dataset | pipeline | " + " | ".join(NEWS_COLUMNS) + " |"
    return ["", head, "|---|---|" + "---|" * len(NEWS_COLUMNS), *rows]


def to_markdown(report: dict[str, Any], worst: int = 10) -> str:
    """A summary table (datasets x pipelines), timings, and the worst questions first."""
    lines = [
        "| dataset | pipeline | n | " + " | ".join(lbl for _, lbl, _ in COLUMNS) + " |",
        "|---|---|---|" + "---|" * len(COLUMNS),
    ]
    for group, pipelines in report["summary"].items():
        for pipeline, m in pipelines.items():
            cells = " | ".join(_fmt(m.get(name)) for name, _, _ in COLUMNS)
            lines.append(f"| {group} | {pipeline} | {m['questions']} | {cells} |")
    lines += _news_table(report["summary"])
    lines += ["", "| dataset | pipeline | ingest s | ask s |", "|---|---|---|---|"]
    for dataset, pipelines in report["timings"].items():
        for pipeline, t in pipelines.items():
            lines.append(f"| {dataset} | {pipeline} | {t['ingest_s']} | {t['ask_s']} |")
    failures = [r for r in report["rows"] if not r["scores"]["correct"]]
    failures.sort(key=lambda r: (r["unanswerable"], r["scores"]["f1"], r["id"]))
    if failures:
        lines += ["", f"Worst questions ({len(failures)} not correct; first {worst}):", ""]
        for r in failures[:worst]:
            gold = "(unanswerable)" if r["unanswerable"] else " | ".join(r["gold"])
            lines.append(
                f"- {r['dataset']}/{r['pipeline']} {r['id']}: {r['question']} — gold: "
                f"{gold} — got: {r['answer'][:160]}"
            )
    return "\n".join(lines)


def compare(current: dict[str, Any], previous: dict[str, Any]) -> list[dict[str, Any]]:
    """Per-metric deltas for groups in both reports; ``regression`` marks worse beyond noise."""
    deltas = []
    for group, pipelines in current["summary"].items():
        for pipeline, metrics in pipelines.items():
            before = previous.get("summary", {}).get(group, {}).get(pipeline)
            if not before:
                continue
            for name, _, higher in COLUMNS:
                if name in INFORMATIONAL or metrics.get(name) is None or before.get(name) is None:
                    continue
                delta = metrics[name] - before[name]
                worse = delta < -NOISE if higher else delta > (0 if name in COUNTS else NOISE)
                deltas.append(
                    {
                        "group": group,
                        "pipeline": pipeline,
                        "metric": name,
                        "before": before[name],
                        "after": metrics[name],
                        "delta": round(delta, 4),
                        "regression": worse,
                    }
                )
    return deltas


def load_thresholds(path: Path) -> dict[str, dict[str, dict[str, float]]]:
    """``[dataset.pipeline]`` tables of ``metric = floor`` (or ``metric_max = ceiling``)."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"{path}: cannot read thresholds ({exc}); fix the TOML file") from exc


def check(summary: dict[str, Any], thresholds: dict[str, Any]) -> list[str]:
    """One message per violated threshold; an empty list means the gate passes."""
    problems = []
    for group, pipelines in thresholds.items():
        for pipeline, limits in pipelines.items():
            metrics = summary.get(group, {}).get(pipeline)
            if metrics is None:
                problems.append(
                    f"{group}/{pipeline}: not in this report (run it or drop the threshold)"
                )
                continue
            for key, limit in limits.items():
                name, is_max = (key[:-4], True) if key.endswith("_max") else (key, False)
                if name not in metrics:
                    problems.append(f"{group}/{pipeline}: unknown metric {name!r}")
                elif metrics[name] is None:
                    problems.append(
                        f"{group}/{pipeline}: {name} was not measured (no question it applies to)"
                    )
                elif (metrics[name] > limit) if is_max else (metrics[name] < limit):
                    bound = "above the maximum" if is_max else "below the floor"
                    problems.append(
                        f"{group}/{pipeline}: {name} = {metrics[name]} is {bound} {limit}"
                    )
    return problems


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3f}" if value < 10 else f"{value:.0f}"
    return str(value)
