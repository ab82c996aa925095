"""What newsrag says about news as news: reports that differ about one fact (``Conflict``,
carried by ``Answer.conflict``) and a developing story as dated events (``Timeline``).

Usage: ``answer.conflict.reports[0].value`` (the newest report's value);
``[line.day for line in assistant.timeline("Storm Idris").events]``
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rag.core.types import Citation


@dataclass(frozen=True, slots=True)
class Report:
    """One article's value for the slot a question asks, cited by ``marker``."""

    value: str
    marker: int
    article_id: str
    source: str
    published: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "marker": self.marker,
            "article_id": self.article_id,
            "source": self.source,
            "published": self.published,
        }


@dataclass(frozen=True, slots=True)
class Conflict:
    """Reports that do not agree: ``kind`` "differ" (outlets give different values) or
    "update" (the newest report revises an earlier figure); ``reports`` newest first, one per
    value, so ``reports[0]`` holds the latest value."""

    kind: str
    reports: tuple[Report, ...]

    @property
    def latest(self) -> Report:
        return self.reports[0]

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "reports": [r.to_dict() for r in self.reports]}


@dataclass(frozen=True, slots=True)
class Event:
    """One line of a timeline: the day it happened (as the sentence names it: "July 13", "on
    Monday"), the sentence quoted exactly (``citation``), and the other articles that report
    the same event (wire copies, follow-ups repeating it) as ``also`` ids."""

    day: str
    citation: Citation
    source: str
    also: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "date": self.day,
            "source": self.source,
            "also": list(self.also),
            **self.citation.to_dict(),
        }


@dataclass(frozen=True, slots=True)
class Timeline:
    """A developing story, oldest event first; ``articles`` are the story's articles read."""

    query: str
    events: list[Event] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """One line per event: "2026-07-13 — quote [1] (outlet)"."""
        return "\n".join(
            f"{e.day} — {e.citation.quote} [{e.citation.marker}] ({e.source})"
            if e.source
            else f"{e.day} — {e.citation.quote} [{e.citation.marker}]"
            for e in self.events
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "events": [e.to_dict() for e in self.events],
            "articles": list(self.articles),
            "text": self.text,
        }
