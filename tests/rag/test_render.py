"""What the chat shows: linked markers, the quote inside its paragraph, escaped HTML."""

from __future__ import annotations

import pytest

from rag.core.settings import Settings
from rag.core.types import Answer, Article, Citation, IngestReport, Skipped, Unsupported
from rag.faces.render import answer_markdown, ingest_markdown, paragraph_around, sources_html

TEXT = "Title line\n\nFirst para one. First para two.\n\nThe <b>mayor</b> spoke. She left.\n\nEnd."


def cite(marker: int, quote: str, title: str = "A <Title>") -> Citation:
    start = TEXT.index(quote)
    return Citation(
        marker,
        "a1",
        title,
        "https://x.org/?a=1&b=2",
        "2024-01-02",
        "c",
        quote,
        start,
        start + len(quote),
    )


def article(_id: str) -> Article:
    return Article(id="a1", text=TEXT, title="A <Title>", source="Daily & Co")


def test_markers_link_to_their_sources_and_unknown_ones_stay_plain() -> None:
    answer = Answer("q", "The mayor spoke [1]. Both [1, 3].", False, [cite(1, "She left.")])
    assert answer_markdown(answer) == (
        "The mayor spoke [\\[1\\]](#source-1)\\. Both [\\[1\\]](#source-1)\\[3\\]\\."
    )


def test_article_text_in_an_answer_is_never_markup() -> None:
    text = 'See <img src="http://127.0.0.1:9/t.png"> ![t](http://x/t.png) *nine* [a](http://x) [1]'
    md = answer_markdown(Answer("q", text, False, [cite(1, "She left.")]))
    assert "<img" not in md and "&lt;img" in md
    assert "\\!\\[t\\]\\(http://x/t\\.png\\)" in md and "\\*nine\\*" in md
    assert "\\[a\\]\\(http://x\\)" in md and md.endswith("[\\[1\\]](#source-1)")


def test_only_http_urls_become_links() -> None:
    bad = Citation(1, "a1", "T", "javascript:alert(1)", "", "c", "She left.", 0, 9)
    html = sources_html(Answer("q", "x [1]", False, [bad]), lambda _id: None)  # type: ignore[arg-type,return-value]
    assert "href" not in html and "javascript:alert(1)" in html


def test_the_quote_is_highlighted_inside_its_paragraph_and_html_is_escaped() -> None:
    answer = Answer("q", "x [1]", False, [cite(1, "She left.")])
    html = sources_html(answer, article)
    assert "<div class='nr-source' id='source-1'>" in html
    assert "A &lt;Title&gt;" in html and "Daily &amp; Co · 2024-01-02" in html
    assert "href='https://x.org/?a=1&amp;b=2'" in html
    assert (
        "<p class='nr-para'>The &lt;b&gt;mayor&lt;/b&gt; spoke. <mark>She left.</mark></p>" in html
    )
    assert "First para" not in html  # only the paragraph that holds the quote


def test_paragraph_bounds_and_trimming() -> None:
    start = TEXT.index("She left.")
    lo, hi = paragraph_around(TEXT, start, start + 9)
    assert TEXT[lo:hi] == "The <b>mayor</b> spoke. She left."
    long = "word " * 400 + "QUOTE." + " word" * 400
    s = long.index("QUOTE.")
    lo, hi = paragraph_around(long, s, s + 6)
    assert lo > 0 and hi < len(long) and hi - lo <= 700


def test_refusals_checks_and_deleted_articles() -> None:
    refused = Answer("q", "I cannot answer that.", True)
    assert "do not say" in sources_html(refused, article)
    flagged = Answer(
        "q",
        "Claim.",
        False,
        [cite(1, "End.")],
        unsupported=[Unsupported("Claim.", 0, 6, "no citation marker")],
        dropped_claims=[Unsupported("He <b>likes</b> tea.", 7, 22, "no citation marker")],
        dropped_markers=[7],
        fallback="cannot reach the endpoint",
    )

    def gone(_id: str) -> Article:
        raise KeyError(_id)

    html = sources_html(flagged, gone)
    assert "<mark>End.</mark>" in html
    assert "Unsupported: “Claim.” (no citation marker)" in html
    assert (
        "Dropped from the model's answer: “He &lt;b&gt;likes&lt;/b&gt; tea.” (no citation" in html
    )
    assert "Dropped markers that cite no source: [7]" in html
    assert "Answered offline: cannot reach the endpoint" in html


def test_ingest_report_lists_skips_with_reasons() -> None:
    report = IngestReport(
        added=["a"], unchanged=["b"], skipped=[Skipped("x.pdf", "unsupported file type")]
    )
    text = ingest_markdown(report)
    assert text.startswith("**Added 1**, updated 0, unchanged 1, skipped 1")
    assert "- error: x\\.pdf: unsupported file type" in text


def test_auth_must_be_user_colon_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSRAG_AUTH", "ann:s3cret:x")
    assert Settings().auth_pair() == ("ann", "s3cret:x")
    for bad in ("nopassword", "ann:", ":pw"):
        monkeypatch.setenv("NEWSRAG_AUTH", bad)
        with pytest.raises(ValueError, match="auth must look like user:password"):
            Settings()


def test_a_refusal_shows_its_closest_passages_as_unconfirmed() -> None:
    near = Citation(1, "a1", "A <Title>", "", "", "a1:0", "The <b>bridge</b> opened.", 0, 25)
    refusal = Answer(question="q", text="I cannot answer that.", refused=True, closest=[near])
    panel = sources_html(refusal, article)
    assert "Closest passages — not a confirmed answer:" in panel
    assert "“The &lt;b&gt;bridge&lt;/b&gt; opened.”" in panel and "<b>" not in panel
