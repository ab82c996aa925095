"""Reports that differ: the reader's answer spans in passages of several articles, compared.
When the values for the asked slot do not agree ("80" / "100"; "80" / "more than 80" agree:
rag.core.values), the answer says so, newest report first; when the newest report
revises an earlier figure (rag.query.reading.revisions) it is an update. Copies of one wire
story count once; passages count as reports of one story by the names they share
(rag.query.reading.stories); a passage whose span answers another slot is read again for the
anchor's measure (rag.query.reading.reread); a reading of another measure than the question
names is no report (rag.core.slots).

Also here: questions about the present ("how many so far", "latest", "now"), whose answer leads
with the newest report that answers.

Usage: ``found = compare_reports(reading, card, line, question)``; ``found.kind``, ``found.sides``
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date

from rag.core.clauses import focus, stems
from rag.core.dates import parse_date
from rag.core.kinds import Wanted, span_fits, wants
from rag.core.reader_net import ReaderCard
from rag.core.slots import asked, fits
from rag.core.text import word_overlap
from rag.core.types import Hit
from rag.core.values import Value, agree, comparable, parse_value, states
from rag.query.reading.candidates import Candidate, candidate_sentences
from rag.query.reading.read import Evidence, Reading, clean_span
from rag.query.reading.reread import OTHERS, reread, same_measure
from rag.query.reading.revisions import revises, says_revised, update_said
from rag.query.reading.stories import STORY_DAYS, asked_names, one_story

_PRESENT = re.compile(
    r"\b(?:so far|to date|latest|now|currently|current|at present|still|as of|most recent)\b",
    re.IGNORECASE,
)
COPY_OVERLAP = 0.8  # word overlap of two quoted sentences that makes them one wire story
CUE_LINE = 0.02  # a later report that says it revises a figure counts from this probability
EARLIER_LINE = 0.2  # ...and an earlier report from this one, when the newer says it revises
# a report of exactly the anchor's measure within STORY_DAYS counts from this probability
# (conflict1-7 pooled recall at 0.3 / 0.1 / 0.05 / 0.02: 0.806 / 0.840 / 0.861 / 0.875, none
# of their consistent questions flagged; a bound in days kept two fresh2 budgets apart)
MEASURE_LINE = 0.02


@dataclass(frozen=True, slots=True)
class Side:
    """One article's reading of the slot: its evidence, the value of its span, its date."""

    evidence: Evidence
    value: Value
    day: date | None
    forced: bool = False  # a next best span of its passage, or a weak reading of the measure


@dataclass(frozen=True, slots=True)
class Found:
    """Reports that do not agree: one side per value, newest first."""

    kind: str  # "differ" | "update"
    sides: list[Side]


def compare_reports(
    reading: Reading, card: ReaderCard, line: float, question: str = ""
) -> Found | None:
    """The differing reports among the passages the reader answers from with probability at
    least ``line`` (or ``CUE_LINE`` for a later report whose sentence says it revises a figure:
    "raised the death toll to 19" reads weakly as an answer to "how many died"; or
    ``MEASURE_LINE`` for another value of exactly the anchor's measure within ``STORY_DAYS``;
    an article no newer than the anchor that also states the anchor's value is none); None when
    they agree (or fewer than two articles answer). ``question`` picks the asked value out of
    a span that gives several and names the story (rag.query.reading.stories)."""
    sides = _sides(reading, card, min(line, CUE_LINE, MEASURE_LINE), question)
    asked = asked_names(question)
    sides = [s for s in sides if s.day is not None and _stated(s.value)]
    best = sides[0] if sides else None  # the reader's best passage: the value it answers with
    if best is None or not _first(best, reading) or _weak(best, card, line):
        return None
    anchor = best  # its kind of value (a number, a day, a tally) and its story
    held = {_article(s) for s in sides if _as_the_slot(s, anchor)}
    read = _texts(reading)
    sides = [_counted(s, anchor, card, line) for s in sides]
    sides = [s for s in sides if s is not None]
    for evidence, value, next_best in reread(reading, card, anchor.value, question, held):
        day = parse_date(evidence.candidate.hit.published)
        if day is not None:  # the article's value read again replaces the one it had
            sides = [s for s in sides if _article(s) != evidence.candidate.hit.chunk.article_id]
            sides.append(Side(evidence, value, day, forced=next_best))
    sides = [s for s in sides if not any(_also_says(s, t, anchor, read) for t in sides)]
    sides = [s for s in sides if not s.forced or _same_context(s, anchor, question)]
    if len(sides) < 2:
        return None
    groups: list[list[Side]] = []
    same_story = (s for s in sides if _one_story(anchor, s, asked))
    for side in (s for s in same_story if comparable(anchor.value, s.value)):
        group = next((g for g in groups if agree(g[0].value, side.value)), None)
        if group is None:
            groups.append([side])
        else:
            group.append(side)
    if len(groups) < 2:
        return None
    newest = sorted((max(g, key=_age) for g in groups), key=_age, reverse=True)
    return Found(_kind(newest), newest)


def latest_report(
    reading: Reading, card: ReaderCard, line: float, question: str = ""
) -> Evidence | None:
    """For a question about the present: the newest dated report of the value the best reading
    gives (the best passage itself, or a newer one that agrees), None when the best reading is
    under ``line`` or undated. It never changes the value, only which report dates it."""
    sides = _sides(reading, card, line, question)
    if not sides or not _first(sides[0], reading):
        return None
    best = sides[0]
    same = [s for s in sides if s.day is not None and agree(best.value, s.value)]
    asked = asked_names(question)
    same = [s for s in same if comparable(best.value, s.value) and _one_story(best, s, asked)]
    return max(same, key=_age).evidence if same else None


def asks_for_now(question: str) -> bool:
    """Whether the question asks about the present ("how many so far", "the latest figure")."""
    return bool(_PRESENT.search(question))


def _sides(reading: Reading, card: ReaderCard, line: float, question: str) -> list[Side]:
    """One side per article (its best passage), wire copies of one story once, best first. A
    passage's value is its span's, or when that is of another measure or kind than the question
    asks for, the reader's next best span that is ("218,400 bicycles" then "58.3%" for what
    proportion was sold abroad)."""
    sides: list[Side] = []
    seen: set[str] = set()
    slot = asked(question)
    wanted = _kind_asked(question)
    for e in reading.ranked:
        hit = e.candidate.hit
        if hit.chunk.article_id in seen or card.answer_probability(e.score) < line:
            continue
        for n, (read, span, (start, end)) in enumerate(_spans(e)):
            if not span or span.lower() not in read.candidate.text.lower():
                break  # a value is reported only where the quote says it
            clause = focus(span, question)
            value = parse_value(clause)
            after = _after(hit.chunk.text, span, clause, end)
            if not fits(value, after, slot) or not span_fits(wanted, hit.chunk.text, start, end):
                continue  # another measure ("22:16:51" for a distance) or kind ("£34 million")
            if n and (_bare(value) or not _stated(value)):
                continue  # a next best span says what it gives, not "2031"
            if not any(_copies(read, s.evidence) and agree(value, s.value) for s in sides):
                sides.append(Side(read, value, parse_date(hit.published), forced=n > 0))
            seen.add(hit.chunk.article_id)  # a copy of one wire story counts once; the same
            break  # sentence with a new figure does not
    return sides


def _spans(e: Evidence) -> Iterator[tuple[Evidence, str, tuple[int, int]]]:
    """The reader's span in ``e``'s passage (the headline included; a span that runs from the
    headline into the text keeps the text's part), then its next best spans, each with the
    evidence of the sentence holding it and its offsets in the chunk."""
    hit = e.candidate.hit
    if hit.reading is None or hit.reading.start < 0:
        return
    span, start, end = _span(e), hit.reading.start, hit.reading.end
    at = hit.chunk.text.find(span, start, end) if span else -1
    if at >= 0:  # the cleaned span: the text's part of one that ran from the headline
        start, end = at, at + len(span)
    spans = [(span, start, end)]
    spans += [(clean_span(hit.chunk.text[a:b]), a, b) for a, b, _ in hit.reading.others[:OTHERS]]
    sentences = candidate_sentences([hit])
    for text, a, b in spans:
        holding = [c for c in sentences if c.start <= hit.chunk.start + a < c.end]
        if not holding and text:  # a span in the headline: the sentence that says it too,
            holding = [c for c in sentences if text in c.text] or _headline(hit, a)  # or it
            a = hit.chunk.text.find(text, holding[0].start - hit.chunk.start) if holding else a
            b = a + len(text)
        if holding:
            read = (
                e
                if holding[0].start == e.candidate.start
                else Evidence(holding[0], e.features, e.score)
            )
            yield read, text, (a, b)


def _headline(hit: Hit, at: int) -> list[Candidate]:
    """The line of the chunk holding offset ``at`` when it is the article's headline."""
    start = hit.chunk.text.rfind("\n", 0, at) + 1
    end = hit.chunk.text.find("\n", at)
    end = len(hit.chunk.text) if end < 0 else end
    line = hit.chunk.text[start:end]
    if not hit.title or " ".join(line.split()) != " ".join(hit.title.split()):
        return []
    return [Candidate(hit, hit.chunk.start + start, hit.chunk.start + end, line)]


def _as_the_slot(side: Side, anchor: Side) -> bool:
    """Whether a side reads the anchor's slot: a value comparable with it and, for a number of
    a measure, within the spread of a report read again (not "£18.75k" a lot fetched, beside
    "£276,000" the whole sale made: that article is read again)."""
    if not comparable(anchor.value, side.value):
        return False
    return (
        side is anchor
        or not (anchor.value.kind == "number" and anchor.value.unit)
        or same_measure(side.value, anchor.value)
        or agree(side.value, anchor.value)
    )


def _bare(value: Value) -> bool:
    """A number that does not say what it is (no unit, nothing counted)."""
    return value.kind == "number" and not value.unit and not value.nouns


def _first(side: Side, reading: Reading) -> bool:
    """Whether ``side`` is read from the reader's best passage."""
    return side.evidence.candidate.hit is reading.ranked[0].candidate.hit


def _kind_asked(question: str) -> Wanted | None:
    """The kind of value a report must give (rag.core.kinds): money, a duration, an extent
    ("how long is"), an age. Not a count: news names the thing counted in many ways ("157
    seats" for places won, "at 3,460, as inspectors ..."), and counts of two things are kept
    apart by values.comparable."""
    wanted = wants(question)
    return None if wanted is None or wanted.kind == "count" else wanted


def _span(e: Evidence) -> str:
    """The reader's answer span in its passage (the headline included), cleaned; a span that
    runs from the headline into the text keeps the text's part."""
    reading, chunk = e.candidate.hit.reading, e.candidate.hit.chunk
    if reading is None or reading.start < 0:
        return ""
    pieces = [p for p in chunk.text[reading.start : reading.end].split("\n") if p.strip()]
    return clean_span(pieces[-1]) if pieces else ""


def _after(text: str, span: str, clause: str, end: int) -> str:
    """What follows the value's clause: the rest of the span, then the passage after it."""
    rest = span[span.find(clause) + len(clause) :] if clause in span else ""
    return (rest + text[end:])[:40]


def _weak(side: Side, card: ReaderCard, line: float) -> bool:
    return card.answer_probability(side.evidence.score) < line


def _counted(side: Side, anchor: Side, card: ReaderCard, line: float) -> Side | None:
    """``side`` when it counts (``_counts``); marked forced when only a weak reading of exactly
    the anchor's measure lets it count; None when it does not."""
    if _counts(side, anchor, card, line):
        return side
    weak = card.answer_probability(side.evidence.score) >= MEASURE_LINE
    return replace(side, forced=True) if weak and _of_the_anchors_measure(side, anchor) else None


def _counts(side: Side, anchor: Side, card: ReaderCard, line: float) -> bool:
    """A side counts when the reader reads it as an answer (``line``), when it is a later
    report whose quoted sentence says it revises a figure to its value, or an earlier report
    when the anchor's sentence says so ("now says 114 people were injured": the 81 of the day
    before, read weakly, is the figure revised)."""
    if card.answer_probability(side.evidence.score) >= line or side is anchor:
        return True
    if side.day is None or anchor.day is None or side.day == anchor.day:
        return False
    if side.day > anchor.day:
        return revises(side.evidence, side.value, anchor.value)
    weak = card.answer_probability(side.evidence.score) < EARLIER_LINE
    return not weak and says_revised(anchor.evidence)


def _of_the_anchors_measure(side: Side, anchor: Side) -> bool:
    """Whether a side gives another value of exactly the anchor's measure (rag.query.reading.
    reread.same_measure), within ``STORY_DAYS`` of it: read weakly, it is still a report of the
    slot ("2:08:35" for the winning time beside "2:08:53"), while an article weeks away that
    names the same council is another story ("60 percent" of a bypass's money, "20 percent" on
    parking)."""
    if side.day is None or anchor.day is None or abs((side.day - anchor.day).days) > STORY_DAYS:
        return False
    return same_measure(side.value, anchor.value) and not agree(side.value, anchor.value)


# a forced side (a next best span, or a weak reading admitted for its measure) counts only
# when the words around its value share this many with the anchor's and the question's: on
# realtimeqa-dev, forced sides with fewer were other slots of the story ("detained for more than
# four months" beside "detention extended six months", "just 15 years old" when he got his
# licence beside "17-year-old"); conflict1-8 pooled recall 0.871 / 0.838 / 0.808 at 0 / 1 / 2
CONTEXT_MIN = 2
CONTEXT_WORDS = 6  # words either side of a value that say what it is of


def _same_context(side: Side, anchor: Side, question: str) -> bool:
    """Whether the words around ``side``'s value share ``CONTEXT_MIN`` with those around the
    anchor's value and the question's."""
    if side is anchor:
        return True
    return len(_context(side) & (_context(anchor) | stems(question))) >= CONTEXT_MIN


def _context(side: Side) -> set[str]:
    """The words (as ``stems``) within ``CONTEXT_WORDS`` of the value in its quoted sentence."""
    text = side.evidence.candidate.text
    at = text.lower().find(side.value.text.lower())
    if at < 0:
        return stems(text)
    before = text[:at].split()[-CONTEXT_WORDS:]
    after = text[at + len(side.value.text) :].split()[:CONTEXT_WORDS]
    return stems(" ".join(before + after))


def _also_says(side: Side, other: Side, anchor: Side, read: dict[str, str]) -> bool:
    """Whether ``side`` also gives, in what was read of its article (its headline, its
    passages), the value of a newer side (or of the anchor's, when ``side`` is no newer): its
    span then answered another slot ("£86,000" the friends raised for repairs, beside the
    "£1.45m" price in the headline); an article cannot give a figure before it was revised. A
    newer article may give an older figure beside its revision, and still differs."""
    if other is side or _article(other) == _article(side) or agree(side.value, other.value):
        return False
    if not comparable(side.value, other.value) or side.day is None or other.day is None:
        return False
    if side.day >= other.day and not (other is anchor and side.day == other.day):
        return False
    return states(read[_article(side)], other.value)


def _texts(reading: Reading) -> dict[str, str]:
    """What was read of each article: its headline and its passages."""
    texts: dict[str, list[str]] = {}
    for e in reading.ranked:
        hit = e.candidate.hit
        parts = texts.setdefault(hit.chunk.article_id, [hit.title])
        if hit.chunk.text not in parts:
            parts.append(hit.chunk.text)
    return {article: "\n".join(parts) for article, parts in texts.items()}


def _stated(value: Value) -> bool:
    """A value two reports can disagree on: a number, a day or a tally. Not a name: on real
    news (realtimeqa-dev with distractors) two passages naming two people or places were
    nearly always two answers to two readings of the question (U-Haul / Idaho / Patriot Front,
    Denver Broncos / Minneapolis), not two reports of one fact; nor a phrase."""
    return value.kind != "words"


def _one_story(a: Side, b: Side, asked: frozenset[str]) -> bool:
    """Whether two sides report one story (rag.query.reading.stories)."""
    if a.evidence.candidate.hit.chunk.article_id == b.evidence.candidate.hit.chunk.article_id:
        return True
    return one_story(_passage(a), _passage(b), asked)


def _article(side: Side) -> str:
    return side.evidence.candidate.hit.chunk.article_id


def _passage(side: Side) -> tuple[str, str, date | None]:
    hit = side.evidence.candidate.hit
    return hit.chunk.text, hit.title, side.day


def _copies(a: Evidence, b: Evidence) -> bool:
    """Two quoted sentences so alike that they are one wire story."""
    return word_overlap(a.candidate.text, b.candidate.text) >= COPY_OVERLAP


def _age(side: Side) -> tuple[int, float]:
    return (side.day.toordinal() if side.day else 0, side.evidence.score)


def _kind(newest: list[Side]) -> str:
    """'update' when the newest report is later than the others and says it revises a figure
    (rag.query.reading.revisions); else 'differ'."""
    first, older = newest[0], newest[1:]
    if first.day is None or any(s.day is None or s.day >= first.day for s in older):
        return "differ"
    return (
        "update" if update_said(first.evidence, first.value, [s.value for s in older]) else "differ"
    )
