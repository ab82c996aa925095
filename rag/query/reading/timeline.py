"""A developing story as a dated timeline. The story's articles are the ones BM25 finds for the
query scoring near the best (a story's names are rare words: "Brackenfell", "Storm Idris");
each article that reports something new gives one line: its first sentence naming a day up to
``FRESH_DAYS`` before it was published (a recap names older days and adds no line). Copies of
one wire story and repeats of one event (the same day, nearly the same sentence) are one line,
listing the others; lines are oldest first, each an exact quote with its [n].

Usage: ``build_timeline(lexical_index, "Storm Idris", Filters())`` -> Timeline
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from rag.core.citations import make_citation
from rag.core.dates import days_named, parse_date
from rag.core.lexical import LexicalIndex, tokenize
from rag.core.news import Event, Timeline
from rag.core.text import word_overlap
from rag.core.types import Filters
from rag.query.reading.candidates import Candidate, candidate_sentences

SEARCH = 200  # BM25 chunks read to find the story's articles
STORY_SHARE = 0.3  # an article is in the story when its best BM25 score is this share of the top
FRESH_DAYS = 3  # an event is reported at most this many days after it happened
SAME_EVENT = 0.6  # word overlap of two same-day sentences that makes them one event
_WORD = re.compile(r"[a-z0-9]+")


@dataclass(slots=True)
class _Line:
    day: date
    published: date
    candidate: Candidate
    sentences: frozenset[str]  # the article's sentences, to find wire copies
    also: list[str] = field(default_factory=list)


def build_timeline(index: LexicalIndex, query: str, filters: Filters) -> Timeline:
    """The timeline of the story ``query`` names among the articles ``filters`` admit; event
    days outside ``filters.since``/``until`` are left out."""
    until = filters.until  # an event on ``until`` may be reported up to FRESH_DAYS later
    later = until + timedelta(FRESH_DAYS) if until and until < date.max - timedelta(7) else until
    published = replace(filters, until=later)
    story = story_articles(index, query, published)
    lines: list[_Line] = []
    for article_id in story:
        line = first_event(index, article_id)
        if line is not None and _within(line.day, filters):
            lines.append(line)
    lines.sort(key=lambda x: (x.day, x.published, x.candidate.hit.chunk.article_id))
    merged: list[_Line] = []
    for line in lines:
        same = next((m for m in merged if _same_event(m, line)), None)
        if same is None:
            merged.append(line)
        else:
            same.also.append(line.candidate.hit.chunk.article_id)
    events = [
        Event(
            line.day.isoformat(),
            make_citation(n, line.candidate.hit, line.candidate.start, line.candidate.end),
            line.candidate.hit.source,
            tuple(line.also),
        )
        for n, line in enumerate(merged, 1)
    ]
    return Timeline(query, events, story)


def story_articles(index: LexicalIndex, query: str, filters: Filters) -> list[str]:
    """The articles whose best BM25 chunk for ``query`` scores at least ``STORY_SHARE`` of the
    best article's and that hold nearly as many of the query's words as the best one does (at
    least two, or all of a shorter query): "Sallow Bridge closure" is not a budget story that
    mentions a closure. Best first."""
    best: dict[str, float] = {}
    for hit in index.search(query, SEARCH, filters):
        article_id = hit.chunk.article_id
        best[article_id] = max(best.get(article_id, 0.0), hit.score)
    if not best:
        return []
    ranked = sorted(best.items(), key=lambda x: -x[1])
    terms = set(tokenize([query])[0])
    covered = {a: len(terms & _words(index, a)) for a, _ in ranked}
    need = max(min(2, len(terms)), covered[ranked[0][0]] - 1)
    top = ranked[0][1]
    return [a for a, s in ranked if s >= STORY_SHARE * top and covered[a] >= need]


def _words(index: LexicalIndex, article_id: str) -> set[str]:
    """The index's terms of one article (title and text, stemmed as BM25 stems them)."""
    hits = index.article_hits(article_id)
    return set(tokenize([" ".join([hits[0].title, *(h.chunk.text for h in hits)])])[0])


def first_event(index: LexicalIndex, article_id: str) -> _Line | None:
    """The article's first sentence naming a calendar day up to FRESH_DAYS before publication,
    else its first naming such a day as "on Monday" or "yesterday" (the headline left out);
    None for an undated article or a recap."""
    hits = index.article_hits(article_id)
    published = parse_date(hits[0].published) if hits else None
    if published is None:
        return None
    candidates = candidate_sentences(hits)
    sentences = frozenset(" ".join(_WORD.findall(c.text.lower())) for c in candidates)
    for relative in (False, True):
        for candidate in candidates:
            for day in days_named(candidate.text, published, relative):
                if 0 <= published.toordinal() - day.toordinal() <= FRESH_DAYS:
                    return _Line(day, published, candidate, sentences)
    return None


def _same_event(a: _Line, b: _Line) -> bool:
    """One event told twice: the same day, and nearly the same sentence or the same article
    (a wire copy: most of the shorter one's sentences are the other's)."""
    if a.day != b.day:
        return False
    if word_overlap(a.candidate.text, b.candidate.text) >= SAME_EVENT:
        return True
    shorter = min(len(a.sentences), len(b.sentences))
    return shorter > 0 and len(a.sentences & b.sentences) / shorter >= SAME_EVENT


def _within(day: date, filters: Filters) -> bool:
    return (filters.since is None or day >= filters.since) and (
        filters.until is None or day <= filters.until
    )
