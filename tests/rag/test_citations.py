import pytest

from rag.core.citations import make_citation, verify_quote
from rag.core.types import Chunk, Hit
from rag.faces.render import format_sources

TEXT = "Headline\n\nThe mayor opened the bridge. “It is done,” she said."
CHUNK = Chunk(
    id="a:1", article_id="a", index=0, text=TEXT[10:], start=10, end=len(TEXT), n_tokens=14
)
HIT = Hit(chunk=CHUNK, score=0.9, title="Bridge", url="https://e.org/b", published="2023-02-12")


def test_citation_quotes_the_article_text_at_its_offsets() -> None:
    start = TEXT.index("The mayor")
    c = make_citation(1, HIT, start, start + len("The mayor opened the bridge."))
    assert c.quote == "The mayor opened the bridge."
    assert (c.article_id, c.chunk_id, c.title, c.url) == ("a", "a:1", "Bridge", "https://e.org/b")
    assert verify_quote(c, TEXT)
    assert not verify_quote(c, "x" + TEXT)


def test_span_outside_the_chunk_is_refused() -> None:
    with pytest.raises(ValueError, match="outside chunk a:1"):
        make_citation(1, HIT, 0, 8)


def test_source_lines_do_not_double_quote_marks() -> None:
    plain = make_citation(1, HIT, TEXT.index("The"), TEXT.index("bridge.") + 7)
    quoted = make_citation(2, HIT, TEXT.index("“"), len(TEXT))
    assert format_sources([plain, quoted]) == [
        "[1] Bridge (2023-02-12, https://e.org/b) — “The mayor opened the bridge.”",
        "[2] Bridge (2023-02-12, https://e.org/b) — “It is done,” she said.",
    ]
