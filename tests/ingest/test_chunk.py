import json

import pytest

from ingest.chunk import Chunker
from rag.core.text import sentence_spans
from rag.core.tokens import load_encoding
from rag.core.types import Article
from tests.conftest import SEED


@pytest.fixture(scope="module")
def encoding():
    return load_encoding("cl100k_base")


def test_seed_chunks_keep_offsets_token_budget_and_whole_sentences(encoding) -> None:
    text = json.loads((SEED / "articles.jsonl").read_text().splitlines()[0])["text"]
    article = Article(id="seed", text=text)
    chunks = Chunker(encoding, max_tokens=100, overlap_tokens=40).split(article)
    assert len(chunks) > 5
    for i, chunk in enumerate(chunks):
        assert chunk.index == i
        assert text[chunk.start : chunk.end] == chunk.text
        assert chunk.n_tokens == len(encoding.encode_ordinary(chunk.text))
        assert chunk.n_tokens <= 100 + 5  # sentence token counts exclude the joining spaces
    saeed = [c for c in chunks if "Mohammed Saeed" in c.text]
    assert saeed and all("Lt. Gen. Mohammed Saeed, Chief of General Staff" in c.text for c in saeed)
    # the overlap: a chunk repeats the previous chunk's last sentences when they fit 40 tokens
    pairs = list(zip(chunks, chunks[1:], strict=False))
    overlapping = [(a, b) for a, b in pairs if b.start < a.end]
    assert len(overlapping) >= 2
    for a, b in overlapping:
        repeated = text[b.start : a.end]
        assert len(encoding.encode_ordinary(repeated)) <= 40
        assert b.start in {a.start + s for s, _ in sentence_spans(a.text)}


def test_no_overlap_when_zero_and_chunks_tile_the_text(encoding) -> None:
    text = " ".join(f"Sentence number {i} is here." for i in range(60))
    chunks = Chunker(encoding, max_tokens=30, overlap_tokens=0).split(Article(id="a", text=text))
    assert all(b.start > a.end for a, b in zip(chunks, chunks[1:], strict=False))
    assert " ".join(c.text for c in chunks) == text


def test_over_long_sentence_is_cut_at_token_boundaries(encoding) -> None:
    text = "word " * 99 + "end."
    chunks = Chunker(encoding, max_tokens=20, overlap_tokens=5).split(Article(id="a", text=text))
    assert all(c.n_tokens <= 20 for c in chunks)
    assert all(text[c.start : c.end] == c.text for c in chunks)
    # pieces are larger than the overlap budget, so they tile the sentence without repeats
    assert "".join(c.text for c in chunks).replace(" ", "") == text.replace(" ", "")


def test_ids_are_deterministic_and_depend_on_content(encoding) -> None:
    chunker = Chunker(encoding, max_tokens=50, overlap_tokens=10)
    a = chunker.split(Article(id="x", text="One fact here. Another fact there."))
    b = chunker.split(Article(id="x", text="One fact here. Another fact there."))
    c = chunker.split(Article(id="x", text="One fact here. A changed fact there."))
    assert [k.id for k in a] == [k.id for k in b]
    assert a[0].id != c[0].id
    assert a[0].id.startswith("x:")


def test_overlap_must_be_smaller_than_chunk(encoding) -> None:
    with pytest.raises(ValueError, match="overlap_tokens"):
        Chunker(encoding, max_tokens=20, overlap_tokens=20)
