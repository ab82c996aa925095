"""Reports the reader reads as answering another slot, read again for the value it found
elsewhere: when the best passage says "a jury deliberated for 37 hours" and another article of
the story says "Jurors spent more than 45 hours considering their verdict over seven days", the
reader's span there may be "over seven days". Its report is the clause of the sentence it quoted
that gives a value of the anchor's measure ("hours") and shares most words with the question;
else the reader's next best span in that article's passages that gives one ("212 laps" first,
then "52.968 kilometres" for a distance).

Usage: ``for evidence, value, next_best in reread(reading, card, anchor, question, held): ...``
"""

from __future__ import annotations

from collections.abc import Iterator

from rag.core.clauses import asked_clauses, focus, stated_at
from rag.core.reader_net import ReaderCard
from rag.core.slots import Asked, asked, fits
from rag.core.values import Value, comparable, counted_alike, parse_value
from rag.query.reading.candidates import candidate_sentences
from rag.query.reading.read import Evidence, Reading, clean_span

REREAD_LINE = 0.02  # a passage the reader reads at least this well is read again
OTHERS = 4  # the reader's next best spans read for a value of the anchor's measure
REREAD_SPREAD = 4.0  # ...for a value within this factor of the anchor's (not "$385m apiece"
# of the founders' shares beside a "$2.75bn" market value)


def reread(
    reading: Reading, card: ReaderCard, anchor: Value, question: str, held: set[str]
) -> Iterator[tuple[Evidence, Value, bool]]:
    """For each article not in ``held`` (whose reading already gives a value of the anchor's
    kind) with a passage read at ``REREAD_LINE``: its value of the anchor's measure, when one
    clause of its quoted sentences gives one and shares more words with the question than any
    other such clause, else from the reader's next best spans; and whether it is the latter."""
    if anchor.kind == "number" and not (anchor.unit or anchor.nouns):
        return  # a bare number says too little about its slot
    if anchor.kind not in ("number", "clock", "rank", "tally"):
        return  # a day or a name: too many of them in a story to read again
    slot = asked(question)
    by_article: dict[str, list[Evidence]] = {}
    for e in reading.ranked:
        article = e.candidate.hit.chunk.article_id
        if article not in held and card.answer_probability(e.score) >= REREAD_LINE:
            by_article.setdefault(article, []).append(e)
    for evidence in by_article.values():
        found = _best_clause(evidence, anchor, question, slot) if anchor.kind == "number" else None
        if found is not None:
            yield *found, False
            continue
        found = _next_span(evidence, anchor, question, slot)
        if found is not None:
            yield *found, True


def _next_span(
    evidence: list[Evidence], anchor: Value, question: str, slot: Asked | None
) -> tuple[Evidence, Value] | None:
    """The first of the reader's next best spans in these passages (best passage first) that
    gives a value of the anchor's measure, with the sentence holding it."""
    for e in evidence:
        hit = e.candidate.hit
        others = hit.reading.others if hit.reading is not None else ()
        for start, end, _ in others[:OTHERS]:
            span = clean_span(hit.chunk.text[start:end])
            value = parse_value(focus(span, question))
            after = hit.chunk.text[end : end + 40]
            if not span or not same_measure(value, anchor) or not fits(value, after, slot):
                continue
            at = hit.chunk.start + start
            holding = [c for c in candidate_sentences([hit]) if c.start <= at < c.end]
            if holding:
                return Evidence(holding[0], e.features, score=e.score), value
    return None


def _best_clause(
    evidence: list[Evidence], anchor: Value, question: str, slot: Asked | None
) -> tuple[Evidence, Value] | None:
    scored: list[tuple[int, Evidence, Value]] = []
    for e in evidence:
        for clause, shared in asked_clauses(e.candidate.text, question):
            said, after = stated_at(clause)
            value = parse_value(said)
            if same_measure(value, anchor) and fits(value, after, slot):
                scored.append((shared, e, value))
    if not scored:
        return None
    best = max(n for n, _, _ in scored)
    top = [(e, v) for n, e, v in scored if n == best]
    return top[0] if best > 0 and len(top) == 1 else None


def same_measure(value: Value, anchor: Value) -> bool:
    """A number of exactly the anchor's measure (its unit, or a count of its kind of thing)
    within ``REREAD_SPREAD`` of it; a clock time, a rank or a tally for one of those."""
    if anchor.kind != "number":
        return value.kind == anchor.kind
    if value.kind != "number" or value.unit != anchor.unit or not comparable(value, anchor):
        return False
    x, y = sorted((abs(float(value.key[0])), abs(float(anchor.key[0]))))  # type: ignore[arg-type]
    if x == 0 or y / x > REREAD_SPREAD:
        return False
    return bool(anchor.unit) or counted_alike(value.nouns, anchor.nouns)
