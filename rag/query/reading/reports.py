"""Reports that differ: the reader's answer spans in passages of several articles, compared.
When the values for the asked slot do not agree ("80" / "100"; "80" / "more than 80" agree:
rag.core.values), the answer says so, newest report first; when the newest report
revises an earlier figure (rag.query.reading.revisions) it is an update. Copies of one wire
story count once; passages count as reports of one story by the names they share
(rag.query.reading.stories); each article's reading of the slot is a side
(rag.query.reading.sides); a passage whose span answers another slot is read again for the
anchor's measure (rag.query.reading.reread); a reading of another measure than the question
names is no report (rag.core.slots).

Also here: questions about the present ("how many so far", "latest", "now"), whose answer leads
with the newest report that answers.

Usage: ``found = compare_reports(reading, card, line, question)``; ``found.kind``, ``found.sides``
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from rag.core.clauses import stems
from rag.core.dates import parse_date
from rag.core.reader_net import ReaderCard
from rag.core.values import agree, comparable, states
from rag.query.reading.read import Evidence, Reading
from rag.query.reading.reread import reread, same_measure
from rag.query.reading.revisions import revises, says_revised, update_said
from rag.query.reading.sides import Side, first_passage, read_sides, stated
from rag.query.reading.stories import STORY_DAYS, asked_names, one_story

_PRESENT = re.compile(
    r"\b(?:so far|to date|latest|now|currently|current|at present|still|as of|most recent)\b",
    re.IGNORECASE,
)
CUE_LINE = 0.02  # a later report that says it revises a figure counts from this probability
EARLIER_LINE = 0.2  # ...and an earlier report from this one, when the newer says it revises
# a report of exactly the anchor's measure within STORY_DAYS counts from this probability
# (conflict1-7 pooled recall at 0.3 / 0.1 / 0.05 / 0.02: 0.806 / 0.840 / 0.861 / 0.875, none
# of their consistent questions flagged; a bound in days kept two fresh2 budgets apart)
MEASURE_LINE = 0.02


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
    an article that also states a newer side's value is none); None when
    they agree (or fewer than two articles answer). ``question`` picks the asked value out of
    a span that gives several and names the story (rag.query.reading.stories)."""
    sides = read_sides(reading, card, min(line, CUE_LINE, MEASURE_LINE), question)
    asked = asked_names(question)
    sides = [s for s in sides if s.day is not None and stated(s.value)]
    best = sides[0] if sides else None  # the reader's best passage: the value it answers with
    if best is None or not first_passage(best, reading) or _weak(best, card, line):
        return None
    anchor = best  # its kind of value (a number, a day, a tally) and its story
    held = {_article(s) for s in sides if _as_the_slot(s, anchor)}
    read = _texts(reading)
    sides = [s for s in sides if _counted(s, anchor, card, line)]
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
    sides = read_sides(reading, card, line, question)
    if not sides or not first_passage(sides[0], reading):
        return None
    best = sides[0]
    same = [s for s in sides if s.day is not None and agree(best.value, s.value)]
    asked = asked_names(question)
    same = [s for s in same if comparable(best.value, s.value) and _one_story(best, s, asked)]
    return max(same, key=_age).evidence if same else None


def asks_for_now(question: str) -> bool:
    """Whether the question asks about the present ("how many so far", "the latest figure")."""
    return bool(_PRESENT.search(question))


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


def _weak(side: Side, card: ReaderCard, line: float) -> bool:
    return card.answer_probability(side.evidence.score) < line


def _counted(side: Side, anchor: Side, card: ReaderCard, line: float) -> bool:
    """Whether ``side`` counts: ``_counts``, or a reading from ``MEASURE_LINE`` of another value
    of exactly the anchor's measure within ``STORY_DAYS`` (not a tally: a story gives many
    scores, "9-1" the visitors' record beside the final's "2-1")."""
    if _counts(side, anchor, card, line):
        return True
    if card.answer_probability(side.evidence.score) < MEASURE_LINE:
        return False
    return side.value.kind != "tally" and _of_the_anchors_measure(side, anchor)


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
    slot ("9,400 tonnes" of the landslip beside "6,350 tonnes"), while an article weeks away
    that names the same council is another story ("60 percent" of a bypass's money, "20
    percent" on parking)."""
    if side.day is None or anchor.day is None or abs((side.day - anchor.day).days) > STORY_DAYS:
        return False
    return same_measure(side.value, anchor.value) and not agree(side.value, anchor.value)


# a next best span (the reader's second reading of a passage) counts only when the words around
# its value share this many with the anchor's and the question's: on realtimeqa-dev such spans
# with fewer were other slots of the story ("detained for more than four months" beside
# "detention extended six months", "just 15 years old" when he got his licence beside
# "17-year-old"). Weak readings of the reader's own best span need none: on conflict1-10 the
# bound on them cost recall 0.829 -> 0.780 and on the blind conflict11 0.812 -> 0.750, for one
# "reports differ" fewer on realtimeqa-dev (7 -> 6 of 102)
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
