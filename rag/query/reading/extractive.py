"""The offline answerer: it quotes the sentences that best answer the question, verbatim, with
[n] markers, led by the short answer the reader found, or refuses.

Usage: ``ExtractiveAnswerer(NetReader(ReaderNet()), refusal, "model name").answer(retrieval)``
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from rag.core.citations import make_citation
from rag.core.dates import parse_date
from rag.core.news import Conflict, Report
from rag.core.types import Answer, Citation, Retrieval
from rag.query.reading.candidates import Candidate
from rag.query.reading.read import Evidence, NetReader, Reading
from rag.query.reading.reports import Found, asks_for_now, compare_reports, latest_report


class ExtractiveAnswerer:
    """Quotes the sentence(s) the reader ranks best, led by the short answer it found; refuses
    when the reader's confidence is under the threshold (then the closest passages come along
    in ``Answer.closest``, marked as not a confirmed answer)."""

    mode = "extractive"

    def __init__(
        self,
        reader: NetReader,
        refusal: str,
        model_name: str,
        max_quotes: int = 2,
        threshold: float | None = None,
        margin: float = 1.0,
        conflict_line: float = 0.3,
    ) -> None:
        self.reader = reader
        self.refusal = refusal
        self.model_name = model_name
        self.max_quotes = max_quotes
        self.threshold = reader.threshold if threshold is None else threshold
        self.margin = margin  # a second quote when its logit is this close to the best
        self.conflict_line = conflict_line  # a passage's answer probability to count as a report

    def stream(self, retrieval: Retrieval) -> Iterator[str | Answer]:
        yield from stream_answer(self.answer(retrieval))

    def answer(self, retrieval: Retrieval) -> Answer:
        return self.answer_from(retrieval, self.read(retrieval))

    def read(self, retrieval: Retrieval) -> Reading:
        """The reader's verdict on ``retrieval`` (give it to ``answers`` and ``answer_from``)."""
        return self.reader.read(retrieval)

    def answers(self, reading: Reading) -> bool:
        """Whether ``reading`` is confident enough to answer (else the reply is a refusal)."""
        return reading.confidence >= self.threshold

    def answer_from(self, retrieval: Retrieval, reading: Reading) -> Answer:
        """The answer for ``retrieval`` as ``reading`` (the reader's verdict on it) has it."""
        answer = Answer(
            question=retrieval.question,
            text=self.refusal,
            refused=True,
            mode=self.mode,
            model=self.model_name,
            support=reading.confidence,
        )
        if not reading.ranked:
            return answer
        best = reading.ranked[0].score
        chosen = [e for e in reading.ranked[: self.max_quotes] if e.score >= best - self.margin]
        citations = cite_sentences([e.candidate for e in chosen])
        if not self.answers(reading):
            return replace(answer, closest=citations)
        card = self.reader.net.card
        line = max(self.conflict_line, self.threshold)
        found = compare_reports(reading, card, line, retrieval.question)
        if found is not None:
            return _conflict_answer(answer, found, reading.short)
        latest = latest_report(reading, card, self.conflict_line, retrieval.question)
        if latest is not None and asks_for_now(retrieval.question):
            rest = [e for e in chosen if e is not latest]  # the value is the best reading's
            return _latest_answer(answer, latest, rest, reading.short)
        pick = reading.short_from
        if pick is not None and reading.short:  # the sentence that says it first, then the best
            chosen = [pick, *(e for e in chosen if e is not pick)][: max(2, self.max_quotes)]
            citations = cite_sentences([e.candidate for e in chosen])
        elif pick is not None and pick is not chosen[0]:  # too unsure to lead: after the best
            chosen = [chosen[0], pick]
            citations = cite_sentences([e.candidate for e in chosen])
        lead = f"{reading.short} — " if reading.short else ""
        return replace(
            answer,
            text=lead + " ".join(f"{c.quote} [{c.marker}]" for c in citations),
            refused=False,
            citations=citations,
            short_answer=reading.short,
        )


def _conflict_answer(answer: Answer, found: Found, short: str) -> Answer:
    """Reports differ (or the newest updates an earlier one): each value with its outlet and
    date, newest first, then each side's sentence quoted."""
    citations = cite_sentences([s.evidence.candidate for s in found.sides])
    reports = tuple(
        Report(
            str(s.value.text), c.marker, c.article_id, s.evidence.candidate.hit.source, c.published
        )
        for s, c in zip(found.sides, citations, strict=True)
    )
    said = [f"{r.value} [{r.marker}]{_where(r.source, r.published)}" for r in reports]
    if found.kind == "update":
        head = f"Updated: {said[0]}; earlier reported as " + "; ".join(said[1:]) + "."
    else:
        head = "Reports differ: " + "; ".join(said) + "."
    quotes = " ".join(f"{c.quote} [{c.marker}]" for c in citations)
    return replace(
        answer,
        text=f"{head} {quotes}",
        refused=False,
        citations=citations,
        short_answer=short,
        conflict=Conflict(found.kind, reports),
    )


def _latest_answer(answer: Answer, newest: Evidence, rest: list[Evidence], short: str) -> Answer:
    """A question about the present: the newest report of the value leads, with its date."""
    citations = cite_sentences([e.candidate for e in [newest, *rest][:2]])
    hit = newest.candidate.hit
    head = f"As of {_day(hit.published)}" + (f" ({hit.source})" if hit.source else "") + ":"
    lead = f" {short} —" if short else ""
    return replace(
        answer,
        text=f"{head}{lead} " + " ".join(f"{c.quote} [{c.marker}]" for c in citations),
        refused=False,
        citations=citations,
        short_answer=short,
    )


def _where(source: str, published: str) -> str:
    """ " (Outlet, 16 Feb 2026)" from what is known of a report; "" when nothing is."""
    parts = [p for p in (source, _day(published)) if p]
    return f" ({', '.join(parts)})" if parts else ""


def _day(published: str) -> str:
    """A publication date as "16 Feb 2026" ("" when unknown)."""
    day = parse_date(published)
    return f"{day.day} {day:%b %Y}" if day else ""


def cite_sentences(chosen: list[Candidate]) -> list[Citation]:
    """Citations for the chosen sentences in order, merged where they overlap, from 1."""
    return [make_citation(i, c.hit, *span) for i, (c, span) in enumerate(_merge_spans(chosen), 1)]


def stream_answer(answer: Answer) -> Iterator[str | Answer]:
    """A finished extractive answer as pieces (what leads the quotes: the short answer, the
    reports that differ, the date of the latest; then one quote each), then the Answer itself.
    The pieces join to ``Answer.text``."""
    quotes = [f"{c.quote} [{c.marker}]" for c in answer.citations]
    body = " ".join(quotes)
    if answer.refused or not quotes or not answer.text.endswith(body):
        yield answer.text
        yield answer
        return
    head = answer.text[: len(answer.text) - len(body)]
    if head:
        yield head
    for i, quote in enumerate(quotes):
        yield quote + (" " if i < len(quotes) - 1 else "")
    yield answer


def _merge_spans(chosen: list[Candidate]) -> list[tuple[Candidate, tuple[int, int]]]:
    """Quote spans in order; a span overlapping an earlier one of the same article is merged
    into it (when one chunk holds both) or dropped, so no sentence is quoted twice."""
    merged: list[tuple[Candidate, tuple[int, int]]] = []
    for c in chosen:
        start, end = c.quote_span()
        for i, (last, (lo, hi)) in enumerate(merged):
            if last.hit.chunk.article_id != c.hit.chunk.article_id or start > hi or end < lo:
                continue
            union = (min(lo, start), max(hi, end))
            owner = next(
                (
                    x
                    for x in (last, c)
                    if x.hit.chunk.start <= union[0] and union[1] <= x.hit.chunk.end
                ),
                None,
            )
            merged[i] = (owner, union) if owner else (last, (lo, hi))  # else drop the repeat
            break
        else:
            merged.append((c, (start, end)))
    return merged
