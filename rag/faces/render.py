"""Answers as the chat UI shows them: markers that link to their sources, and a sources panel
with each quote highlighted inside its paragraph. Pure functions of Answer and Article; HTML is
escaped here and nowhere else.

Usage: ``answer_markdown(answer)``; ``sources_html(answer, assistant.get_article)``
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from urllib.parse import urlsplit

from rag.core.citations import parse_markers
from rag.core.news import Timeline
from rag.core.types import Answer, Article, Citation, IngestReport

PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
MAX_CONTEXT_CHARS = 700  # a paragraph longer than this is trimmed around the quote
_MARKDOWN_SPECIAL = re.compile(r"[\\`*_{}\[\]()#+\-.!|~]")


def source_anchor(marker: int) -> str:
    return f"source-{marker}"


def answer_markdown(answer: Answer) -> str:
    """The answer as Markdown: its text escaped (article text is data, never markup), each [n]
    a link to its entry in the sources panel."""
    cited = {c.marker for c in answer.citations}
    out: list[str] = []
    at = 0
    for marker in parse_markers(answer.text):
        out.append(escape_markdown(answer.text[at : marker.start]))
        out += [
            f"[\\[{n}\\]](#{source_anchor(n)})" if n in cited else f"\\[{n}\\]"
            for n in marker.numbers
        ]
        at = marker.end
    out.append(escape_markdown(answer.text[at:]))
    text = "".join(out)
    head = {"update": "Updated:", "differ": "Reports differ:"}
    said = head.get(answer.conflict.kind, "") if answer.conflict is not None else ""
    if said and text.startswith(said):  # said plainly: the reply's first words in bold
        text = f"**{said}**{text[len(said) :]}"
    if answer.fallback:
        text += f"\n\n*Answered offline (extractive): {escape_markdown(answer.fallback)}*"
    return text


_CONTROL = re.compile(
    r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|[\x00-\x08\x0b-\x1f\x7f-\x9f]"
)


def timeline_answer(timeline: Timeline) -> Answer:
    """A timeline as the chat shows it: one paragraph per event ("2026-07-13 — quote [1]
    (outlet)"), its citations for the sources panel; no events is a refusal that says so."""
    if not timeline.events:
        text = f"No dated events found for “{timeline.query}”; try the names the articles use."
        return Answer(question=timeline.query, text=text, refused=True, mode="timeline")
    return Answer(
        question=timeline.query,
        text=timeline.text.replace("\n", "\n\n"),
        refused=False,
        citations=[e.citation for e in timeline.events],
        mode="timeline",
    )


def terminal_safe(text: str) -> str:
    """Text a terminal shows as written: escape sequences and other control characters of an
    article (ESC, BEL, C1 codes) are dropped; tabs and newlines stay."""
    return _CONTROL.sub("", text)


def escape_markdown(text: str) -> str:
    """Text that Markdown shows as written: no HTML, images, links or emphasis."""
    return _MARKDOWN_SPECIAL.sub(r"\\\g<0>", html.escape(text, quote=False))


def safe_url(url: str) -> str | None:
    """Only http(s) URLs become links."""
    return url if urlsplit(url).scheme in ("http", "https") else None


def paragraph_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The paragraph of ``text`` holding ``start:end`` (trimmed to about MAX_CONTEXT_CHARS)."""
    lo = 0
    for m in PARAGRAPH_BREAK.finditer(text, 0, start):
        lo = m.end()
    after = PARAGRAPH_BREAK.search(text, end)
    hi = after.start() if after else len(text)
    spare = max(0, MAX_CONTEXT_CHARS - (end - start)) // 2
    lo = max(lo, start - spare)
    hi = min(hi, end + spare)
    return lo, hi


def citation_html(citation: Citation, article: Article | None) -> str:
    """One quote, highlighted inside its paragraph (or alone if the article is gone)."""
    if article is None or article.text[citation.start : citation.end] != citation.quote:
        return f"<p class='nr-para'><mark>{html.escape(citation.quote)}</mark></p>"
    lo, hi = paragraph_around(article.text, citation.start, citation.end)
    before = article.text[lo : citation.start]
    after = article.text[citation.end : hi]
    return (
        "<p class='nr-para'>"
        + ("… " if lo > 0 and article.text[lo - 1] not in "\n" else "")
        + html.escape(before)
        + f"<mark>{html.escape(citation.quote)}</mark>"
        + html.escape(after)
        + (" …" if hi < len(article.text) and article.text[hi] not in "\n" else "")
        + "</p>"
    )


def sources_html(answer: Answer | None, get_article: Callable[[str], Article]) -> str:
    """The sources panel: per cited source its title, outlet, date, URL and the quotes."""
    if answer is None:
        return "<div class='nr-sources nr-empty'>Sources of the answer appear here.</div>"
    if answer.refused or not answer.citations:
        note = "The articles do not say; nothing is cited." if answer.refused else "No sources."
        closest = "".join(
            f"<div class='nr-closest'>{html.escape(c.title or c.article_id)}: "
            f"“{html.escape(c.quote)}”</div>"
            for c in answer.closest
        )
        if closest:
            closest = (
                "<div class='nr-closest-head'>Closest passages — not a confirmed answer:</div>"
                + closest
            )
        return f"<div class='nr-sources nr-empty'>{note}{closest}{_checks(answer)}</div>"
    blocks = []
    for marker in sorted({c.marker for c in answer.citations}):
        cites = [c for c in answer.citations if c.marker == marker]
        first = cites[0]
        article = _article(get_article, first.article_id)
        meta = " · ".join(
            html.escape(x) for x in (article.source if article else "", first.published) if x
        )
        link = safe_url(first.url)
        url = (
            f"<a href='{html.escape(link, quote=True)}' target='_blank' rel='noopener'>"
            f"{html.escape(link)}</a>"
            if link
            else html.escape(first.url)
        )
        blocks.append(
            f"<div class='nr-source' id='{source_anchor(marker)}'>"
            f"<div class='nr-title'><span class='nr-marker'>[{marker}]</span> "
            f"{html.escape(first.title or first.article_id)}</div>"
            + (f"<div class='nr-meta'>{meta}</div>" if meta else "")
            + (f"<div class='nr-url'>{url}</div>" if url else "")
            + _also_html(article)
            + "".join(citation_html(c, article) for c in cites)
            + "</div>"
        )
    return f"<div class='nr-sources'>{''.join(blocks)}{_checks(answer)}</div>"


def _also_html(article: Article | None) -> str:
    """The other outlets that published the same story (stored once)."""
    if article is None or not article.also:
        return ""
    items = []
    for entry in article.also:
        outlet, _, url = entry.rpartition(" ")
        link = safe_url(url)
        shown = html.escape(outlet or url)
        items.append(
            f"<a href='{html.escape(link, quote=True)}' target='_blank' rel='noopener'>{shown}</a>"
            if link
            else shown
        )
    return f"<div class='nr-also'>Also published by: {', '.join(items)}</div>"


def ingest_markdown(report: IngestReport) -> str:
    """What an upload did: added / updated / unchanged / skipped, with reasons."""
    lines = [
        f"**Added {len(report.added)}**, updated {len(report.updated)}, unchanged "
        f"{len(report.unchanged)}, skipped {len(report.skipped)} "
        f"({len(report.duplicates)} duplicate, {len(report.errors)} failed; "
        f"{report.chunks_embedded} chunks embedded in {report.seconds:.1f} s)"
    ]
    for s in report.skipped:
        kind = "error" if s.error else "duplicate" if s.duplicate else "skipped"
        lines.append(f"- {kind}: {escape_markdown(s.where)}: {escape_markdown(s.reason)}")
    return "\n".join(lines)


def _checks(answer: Answer) -> str:
    notes = []
    if answer.condensed_question and answer.condensed_question != answer.question:
        notes.append(f"Searched for: {html.escape(answer.condensed_question)}")
    for u in answer.unsupported:
        notes.append(f"Unsupported: “{html.escape(u.claim)}” ({html.escape(u.reason)})")
    for u in answer.dropped_claims:
        notes.append(
            f"Dropped from the model's answer: “{html.escape(u.claim)}” ({html.escape(u.reason)})"
        )
    if answer.dropped_markers:
        notes.append(
            "Dropped markers that cite no source: "
            + ", ".join(f"[{n}]" for n in answer.dropped_markers)
        )
    if answer.fallback:
        notes.append(f"Answered offline: {html.escape(answer.fallback)}")
    if not notes:
        return ""
    return "<ul class='nr-checks'>" + "".join(f"<li>{n}</li>" for n in notes) + "</ul>"


def _article(get_article: Callable[[str], Article], article_id: str) -> Article | None:
    try:
        return get_article(article_id)
    except Exception:  # deleted since the answer was made: show the quote alone
        return None


def _closed(quote: str) -> bool:
    """The quote is already one quotation, opened and closed: “...” or "..." as a whole."""
    if quote[:1] == "\u201c":
        return quote.count("\u201c") == quote.count("\u201d") and "\u201d" in quote
    return quote[:1] == '"' and quote.count('"') % 2 == 0


def format_sources(citations: list[Citation]) -> list[str]:
    """One human line per citation: ``[n] Title — "quote"``."""
    lines = []
    for c in citations:
        label = c.title or c.article_id
        extra = ", ".join(x for x in (c.published, c.url) if x)
        quote = c.quote if _closed(c.quote) else f"\u201c{c.quote}\u201d"
        lines.append(f"[{c.marker}] {label}{f' ({extra})' if extra else ''} — {quote}")
    return lines
