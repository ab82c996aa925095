"""Timeline sets (a folder with timelines.jsonl and articles.jsonl): each story's query asked
through ``Assistant.timeline`` and scored against the gold events.

A line matches a gold event when it cites the event's article (or a wire copy of it) and names
the event's day; a second line for one event, a misdated event, a line citing a background
recap, or a line from an article outside the story is wrong; a line from a story article that
is none of these (no gold event: a minor dated detail) is neither. Quotes are checked against
the stored (cleaned) article text. Scores: event recall (gold events matched), precision
(matched lines over matched and wrong ones), order (stories whose lines are in date order and
whose matched events come in gold order), day_right, exact quotes (each line's quote equals
its article's text at its offsets).

Usage: ``summary, rows = run_timelines([Path("eval/datasets/timeline1")], settings, stores)``
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from rag.assistant import Assistant
from rag.core.errors import InputError
from rag.core.news import Timeline
from rag.core.settings import Settings
from rag.core.types import Filters


def is_timeline_set(path: Path) -> bool:
    return (path / "timelines.jsonl").exists()


def run_timelines(
    datasets: list[Path], settings: Settings, stores: Path | None = None
) -> tuple[dict[str, dict[str, dict[str, Any]]], list[dict[str, Any]]]:
    """Score every timeline set, each in its own store (kept under ``stores`` when given)."""
    summary: dict[str, dict[str, dict[str, Any]]] = {}
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="newsrag-timelines-") as scratch:
        for path in datasets:
            stories = _read_jsonl(path / "timelines.jsonl")
            home = Path(stores or scratch) / path.name / "newsrag"
            assistant = Assistant(settings.model_copy(update={"home": home}))
            assistant.ingest([path / "articles.jsonl"])
            texts = {a.id: assistant.get_article(a.id).text for a in assistant.list_articles()}
            scored = [
                score_timeline(s, assistant.timeline(s["query"], Filters()), texts) for s in stories
            ]
            rows += [{"dataset": path.name, **r} for r in scored]
            summary[path.name] = {"newsrag": summarize_timelines(scored)}
    return summary, rows


def score_timeline(story: dict[str, Any], timeline: Timeline, texts: dict[str, str]) -> dict:
    """One story's lines against its gold events."""
    events = story["events"]
    owner = {e["article_id"]: i for i, e in enumerate(events)}
    owner |= {d: i for i, e in enumerate(events) for d in e.get("duplicates", [])}
    matched: list[int] = []
    wrong = minor = 0
    for line in timeline.events:
        i = owner.get(line.citation.article_id)
        if i is None:
            in_story = line.citation.article_id in story["article_ids"]
            background = line.citation.article_id in story.get("background", [])
            minor += int(in_story and not background)
            wrong += int(background or not in_story)
        elif i in matched:
            wrong += 1  # a second line for one event
        elif line.day != events[i]["date"]:
            wrong += 1  # the event misdated (the line an event article gives is its event)
        else:
            matched.append(i)
    days = [line.day for line in timeline.events]
    exact = all(
        texts.get(e.citation.article_id, "")[e.citation.start : e.citation.end] == e.citation.quote
        for e in timeline.events
    )
    return {
        "id": story["id"],
        "query": story["query"],
        "events": len(events),
        "lines": len(timeline.events),
        "matched": len(set(matched)),
        "wrong": wrong,
        "minor": minor,
        "in_order": days == sorted(days) and matched == sorted(matched),
        "quotes_exact": exact,
        "timeline": timeline.text,
    }


def summarize_timelines(rows: list[dict[str, Any]]) -> dict[str, Any]:
    events = sum(r["events"] for r in rows)
    matched = sum(r["matched"] for r in rows)
    judged = matched + sum(r["wrong"] for r in rows)
    return {
        "questions": len(rows),
        "timeline_recall": round(matched / events, 4) if events else None,
        "timeline_precision": round(matched / judged, 4) if judged else None,
        "timeline_in_order": round(sum(r["in_order"] for r in rows) / len(rows), 4)
        if rows
        else None,
        "timeline_quotes_exact": all(r["quotes_exact"] for r in rows),
        "timeline_lines": sum(r["lines"] for r in rows),
        "timeline_minor_lines": sum(r["minor"] for r in rows),
    }


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise InputError(f"{path}:{n}: not a JSON object ({exc}); fix the line") from exc
    return out
