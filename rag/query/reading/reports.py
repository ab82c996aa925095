"""Reports that differ: the reader's answer spans in passages of several articles, compared.
When the values for the asked slot do not agree ("80" / "100"; "80" / "more than 80" agree:
rag.core.values), the answer says so, newest report first; when the newest report
revises an earlier figure (it says "raised the toll to", "revised", "final count", or repeats
the older value beside its own) it is an update. Copies of one wire story count once; passages
count as reports of one story by the names they share (rag.query.reading.stories).

Also here: questions about the present ("how many so far", "latest", "now"), whose answer leads
with the newest report that answers.

Usage: ``found = compare_reports(reading, card, line, question)``; ``found.kind``, ``found.sides``
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from rag.core.clauses import focus, stated_at
from rag.core.dates import parse_date
from rag.core.reader_net import ReaderCard
from rag.core.slots import asked, fits
from rag.core.text import word_overlap
from rag.core.values import Value, agree, comparable, parse_value
from rag.query.reading.read import Evidence, Reading, clean_span
from rag.query.reading.reread import reread
from rag.query.reading.stories import asked_names, one_story

# said anywhere in the newer report's passage, these revise a figure
_STRONG_REVISION = re.compile(
    r"\b(?:revis(?:ed|es|ing|ion)|correct(?:ed|ion)|restat\w*|ratified|certified|recount\w*"
    r"|final (?:count|tally|toll|figure|result)|updated (?:its|the|their) (?:figure|estimate|"
    r"count|toll|total))\b",
    re.IGNORECASE,
)
_REVISION = re.compile(
    r"\b(?:revis\w*|updat\w*|correct(?:ed|ing|ion)|restat\w*|raised|raising|rais\w+ (?:the|its)"
    r"|(?:rose|risen|climbed|jumped|increased|fell|dropped|lowered|cut) (?:to|from)|up from"
    r"|down from|final (?:count|tally|toll|figure|result|certified)|certified|recount\w*"
    r"|ratified|adjusted|official(?:ly)? (?:count|figure|result|time|toll)"
    r"|(?:earlier|initially|previously) (?:reported|estimated|put|given|said)"
    r"|now (?:stands|put|puts|says?|estimate\w*|believe\w*|faces?|totals?)"
    r"|had (?:earlier|initially) |than (?:first|initially|originally|earlier|previously) "
    r"(?:thought|believed|estimated|reported)|(?:moved|postponed|rescheduled|pushed back|brought "
    r"forward) to|confirmed (?:results|figures)|after (?:\w+ ){0,3}(?:tests?|surveys?|surveyors"
    r"|measur\w+|counting|count|checking|checks|re-\w+|audit\w*|review\w*|bids|inspect\w*"
    r"|analys\w+|examin\w+|recount\w*)\b"
    r"|final(?:\s+\w+){0,2}\s+(?:stood|stands|was|is) at)",
    re.IGNORECASE,
)
# a verb that changes a figure: with the span right after "to" ("cut the fine ... to £410,000");
# ("revised" is a revision word of _REVISION already, checked before)
_CHANGED = re.compile(
    r"\b(?:cut|cuts|reduc\w+|rais\w+|lower\w+|increas\w+|trimm\w+|halv\w+|doubl\w+"
    r"|slash\w+|push\w+ up|bump\w+ up)\b",
    re.IGNORECASE,
)
_PRESENT = re.compile(
    r"\b(?:so far|to date|latest|now|currently|current|at present|still|as of|most recent)\b",
    re.IGNORECASE,
)
COPY_OVERLAP = 0.8  # word overlap of two quoted sentences that makes them one wire story
# a sentence after the figure's own that calls it revised
_RESTATED = re.compile(
    r"\bthe (?:revised|final|corrected|updated|new) (?:total|figure|count|tally|toll|estimate)\b",
    re.IGNORECASE,
)
# the figure a revision names comes after these ("raised to", "stands at", "a final count of")
_TO = re.compile(
    r"\b(?:to|at|as|(?:count|tally|total|toll|figure|estimate) of|now says?)\s+"
    r"(?:about\s+|around\s+|some\s+)?$",
    re.IGNORECASE,
)
_CHANGED_TO = re.compile(r"\bto\s+(?:about\s+|around\s+|some\s+)?$", re.IGNORECASE)
CUE_LINE = 0.02  # a later report that says it revises a figure counts from this probability
EARLIER_LINE = 0.2  # ...and an earlier report from this one, when the newer says it revises


@dataclass(frozen=True, slots=True)
class Side:
    """One article's reading of the slot: its evidence, the value of its span, its date."""

    evidence: Evidence
    value: Value
    day: date | None


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
    "raised the death toll to 19" reads weakly as an answer to "how many died"); None when
    they agree (or fewer than two articles answer). ``question`` picks the asked value out of
    a span that gives several and names the story (rag.query.reading.stories)."""
    sides = _sides(reading, card, min(line, CUE_LINE), question)
    asked = asked_names(question)
    sides = [s for s in sides if s.day is not None and _stated(s.value)]
    best = sides[0] if sides else None  # the reader's best passage: the value it answers with
    if best is None or best.evidence is not reading.ranked[0] or _weak(best, card, line):
        return None
    anchor = best  # its kind of value (a number, a day, a tally) and its story
    held = {_article(s) for s in sides if comparable(anchor.value, s.value)}  # read as the slot
    sides = [s for s in sides if _counts(s, anchor, card, line)]
    for evidence, value in reread(reading, card, anchor.value, question, held):
        day = parse_date(evidence.candidate.hit.published)
        if day is not None:
            sides.append(Side(evidence, value, day))
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
    if not sides or reading.ranked[0] is not sides[0].evidence:
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
    """One side per article (its best passage), wire copies of one story once, best first."""
    sides: list[Side] = []
    seen: set[str] = set()
    slot = asked(question)
    for e in reading.ranked:
        hit = e.candidate.hit
        if hit.chunk.article_id in seen or card.answer_probability(e.score) < line:
            continue
        span = _span(e)
        if not span or span.lower() not in e.candidate.text.lower():
            continue  # a value is reported only where the quote says it
        seen.add(hit.chunk.article_id)
        clause = focus(span, question)
        value = parse_value(clause)
        if not fits(value, _after(e, span, clause), slot):
            continue  # another measure: "22:16:51" when asked for a distance
        if any(_copies(e, s.evidence) and agree(value, s.value) for s in sides):
            continue  # a copy of one wire story; the same sentence with a new figure is not
        sides.append(Side(e, value, parse_date(hit.published)))
    return sides


def _span(e: Evidence) -> str:
    """The reader's answer span in its passage (the headline included), cleaned; a span that
    runs from the headline into the text keeps the text's part."""
    reading, chunk = e.candidate.hit.reading, e.candidate.hit.chunk
    if reading is None or reading.start < 0:
        return ""
    pieces = [p for p in chunk.text[reading.start : reading.end].split("\n") if p.strip()]
    return clean_span(pieces[-1]) if pieces else ""


def _after(e: Evidence, span: str, clause: str) -> str:
    """What follows the value's clause: the rest of the span, then the passage after it."""
    hit = e.candidate.hit
    rest = span[span.find(clause) + len(clause) :] if clause in span else ""
    end = hit.reading.end if hit.reading is not None else 0
    return (rest + hit.chunk.text[end:])[:40]


def _weak(side: Side, card: ReaderCard, line: float) -> bool:
    return card.answer_probability(side.evidence.score) < line


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
        return _revises(side, anchor)
    weak = card.answer_probability(side.evidence.score) < EARLIER_LINE
    said = _REVISION.search(anchor.evidence.candidate.text)
    return not weak and bool(said) and _revised_to(anchor)


def _revises(later: Side, earlier: Side) -> bool:
    """Whether a later report's reading is a revised figure: its sentence says it revises with
    the span right after "to"/"at" ("raised the toll to 19", "lowered the count ... to 36,950"),
    another sentence of its passage calls it "the revised total", or its sentence gives the earlier
    report's value beside its own ("about 2,950 years, younger than the 3,400 years ..."); the
    last two only for a value of the earlier one's measure."""
    said = later.evidence.candidate.text
    if _REVISION.search(said) and _revised_to(later):
        return True
    if _CHANGED.search(said) and _revised_to(later, _CHANGED_TO):
        return True
    if later.value.unit != earlier.value.unit:
        return False  # "of which it pays 455 million" beside "the revised 910 million euros"
    chunk = later.evidence.candidate.hit.chunk.text
    if _RESTATED.search(chunk.replace(said, " ")):
        return True  # "... produced 6,128 strikes. The revised total makes it a record."
    return _beside(said, later.value, [earlier])


def _beside(said: str, value: Value, older: list[Side]) -> bool:
    """Whether ``said`` also gives an older report's value (one of the same kind, equal to it)
    beside ``value``."""
    values = [parse_value(m) for m in _mentions(said, value.kind)]
    return any(
        comparable(v, s.value) and agree(v, s.value) and v.key != value.key
        for v in values
        for s in older
    )


def _revised_to(side: Side, before: re.Pattern[str] = _TO) -> bool:
    """Whether the span is the figure a revision names: "raised the toll to 19", "stands at",
    "ratified as" (not another number of the sentence: "of which it pays 455 million")."""
    hit = side.evidence.candidate.hit
    if hit.reading is None or hit.reading.start < 0:
        return False
    return bool(before.search(hit.chunk.text[: hit.reading.start]))


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
    """'update' when the newest report is later than the others and revises a figure: it says
    so (a revision word, or a verb that changes a figure with the value right after its "to"),
    or it gives an older report's value beside its own; else 'differ'."""
    first, older = newest[0], newest[1:]
    if first.day is None or any(s.day is None or s.day >= first.day for s in older):
        return "differ"
    said = first.evidence.candidate.text
    if _REVISION.search(said) or _STRONG_REVISION.search(first.evidence.candidate.hit.chunk.text):
        return "update"
    if _CHANGED.search(said) and _revised_to(first, _CHANGED_TO):
        return "update"  # "cut the fine imposed on the firm to £410,000"
    return "update" if _beside(said, first.value, older) else "differ"  # older value, beside


def _mentions(text: str, kind: str) -> list[str]:
    """Spans of ``text`` that may state a value of ``kind`` (numbers with what follows them)."""
    if kind != "number":
        return []
    number = r"\b\d[\d,.]*(?:\s+(?:million|billion|thousand))?(?:\s+[A-Za-z]+)?"
    # with the word after when it is a unit or what is counted ("3,120 students", not "it")
    return [stated_at(m[0])[0] for m in re.finditer(number, text)]
