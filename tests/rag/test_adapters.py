"""LangChain at the boundary: Assistant.as_retriever and Assistant.as_chain inside small LCEL
compositions, over real Chroma with the deterministic hashing embedder."""

from __future__ import annotations

import pytest
from langchain_core.documents import Document
from langchain_core.runnables import RunnableLambda

from rag.assistant import Assistant
from rag.core.errors import InputError
from rag.core.types import Answer, Filters
from tests.conftest import SEED, SEED_ARTICLE_ID

QUESTION = "Who leads the Pakistani delegation?"


@pytest.fixture
def seeded_fake(fake_assistant: Assistant) -> Assistant:
    fake_assistant.ingest([SEED])
    return fake_assistant


def test_retriever_returns_the_retrieval_stage_as_documents(seeded_fake: Assistant) -> None:
    docs = seeded_fake.as_retriever(k=3).invoke(QUESTION)
    hits = seeded_fake.retrieve(QUESTION, 3).hits
    assert [d.id for d in docs] == [h.chunk.id for h in hits] and len(docs) == 3
    text = seeded_fake.get_article(SEED_ARTICLE_ID).text
    for doc, hit in zip(docs, hits, strict=True):
        meta = doc.metadata
        assert isinstance(doc, Document) and doc.page_content == hit.chunk.text
        assert text[meta["start"] : meta["end"]] == doc.page_content
        assert (meta["article_id"], meta["chunk_id"]) == (SEED_ARTICLE_ID, hit.chunk.id)
        assert meta["title"] == hit.title and meta["published"] == hit.published


def test_retriever_inside_an_lcel_chain_keeps_filters(seeded_fake: Assistant) -> None:
    ids = RunnableLambda(lambda docs: [d.metadata["chunk_id"] for d in docs])
    chain = RunnableLambda(str.strip) | seeded_fake.as_retriever(k=2) | ids
    assert chain.invoke(f"  {QUESTION} ") == [
        h.chunk.id for h in seeded_fake.retrieve(QUESTION, 2).hits
    ]
    nowhere = seeded_fake.as_retriever(k=2, filters=Filters(source="No Such Outlet"))
    assert nowhere.invoke(QUESTION) == []


def test_chain_invoke_is_ask_and_composes(seeded_fake: Assistant) -> None:
    asked = seeded_fake.ask(QUESTION)
    answer = seeded_fake.as_chain().invoke(QUESTION)
    assert isinstance(answer, Answer)
    assert (answer.text, answer.refused, answer.citations) == (
        asked.text,
        asked.refused,
        asked.citations,
    )
    markers = RunnableLambda(lambda a: [c.marker for c in a.citations])
    chain = RunnableLambda(lambda q: {"question": q, "k": 3}) | seeded_fake.as_chain() | markers
    assert chain.invoke(QUESTION) == [c.marker for c in seeded_fake.ask(QUESTION, k=3).citations]


def test_chain_streams_pieces_then_the_answer(seeded_fake: Assistant) -> None:
    *pieces, final = seeded_fake.as_chain().stream(QUESTION)
    assert isinstance(final, Answer) and pieces and all(isinstance(p, str) for p in pieces)
    assert "".join(pieces) == final.text


def test_chain_takes_history_for_a_follow_up(seeded_fake: Assistant) -> None:
    first = seeded_fake.ask(QUESTION)
    follow = seeded_fake.as_chain().invoke(
        {"question": "How long will they stay?", "history": [first]}
    )
    assert follow.condensed_question == "How long will they stay? (leads Pakistani delegation)"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (42, "the chain takes a question string"),
        ({"query": "x"}, "the chain takes a question string"),
        ({"question": "x", "top_k": 3}, "unknown chain input key(s): top_k"),
    ],
)
def test_chain_rejects_other_inputs_with_one_line(
    fake_assistant: Assistant, value: object, message: str
) -> None:
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        fake_assistant.as_chain().invoke(value)
