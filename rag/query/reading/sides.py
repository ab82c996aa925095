"""One article's reading of the slot a question asks: the value the reader's span in its best
passage gives (or, when that span is of another measure or kind than asked, its next best span
that is: "218,400 bicycles", then "58.3%" for what proportion was sold abroad), the sentence
that says it, and the article's day. Copies of one wire story count once.

Usage: ``for side in read_sides(reading, card, line, question): side.value, side.evidence``
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from rag.core.clauses import focus
from rag.core.dates import parse_date
from rag.core.kinds import Wanted, span_fits, wants
from rag.core.reader_net import ReaderCard
from rag.core.slots import asked, fits
from rag.core.text import word_overlap
from rag.core.types import Hit
from rag.core.values import Value, agree, parse_value
from rag.query.reading.candidates import Candidate, candidate_sentences
from rag.query.reading.read import Evidence, Reading, clean_span
from rag.query.reading.reread import OTHERS

COPY_OVERLAP = 0.8  # word overlap of two quoted sentences that makes them one wire story


@dataclass(frozen=True, slots=True)
class Side:
    """One article's reading of the slot: its evidence, the value of its span, its date."""

    evidence: Evidence
    value: Value
    day: date | None
    forced: bool = False  # read from a next best span of its passage, not the reader's best


def read_sides(reading: Reading, card: ReaderCard, line: float, question: str) -> list[Side]:
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
            if n and (bare(value) or not stated(value)):
                continue  # a next best span says what it gives, not "2031"
            if not any(copies(read, s.evidence) and agree(value, s.value) for s in sides):
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


def stated(value: Value) -> bool:
    """A value two reports can disagree on: a number, a day or a tally. Not a name: on real
    news (realtimeqa-dev with distractors) two passages naming two people or places were
    nearly always two answers to two readings of the question (U-Haul / Idaho / Patriot Front,
    Denver Broncos / Minneapolis), not two reports of one fact; nor a phrase."""
    return value.kind != "words"


def bare(value: Value) -> bool:
    """A number that does not say what it is (no unit, nothing counted)."""
    return value.kind == "number" and not value.unit and not value.nouns


def first_passage(side: Side, reading: Reading) -> bool:
    """Whether ``side`` is read from the reader's best passage."""
    return side.evidence.candidate.hit is reading.ranked[0].candidate.hit


def copies(a: Evidence, b: Evidence) -> bool:
    """Two quoted sentences so alike that they are one wire story."""
    return word_overlap(a.candidate.text, b.candidate.text) >= COPY_OVERLAP


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
