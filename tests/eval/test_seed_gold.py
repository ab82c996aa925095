"""The seed gold set end to end: real offline model, real Chroma, through the eval harness."""

import pytest

from eval.harness import run
from rag.assistant import Assistant
from rag.core.embeddings import LocalMiniLM
from rag.core.settings import Settings
from tests.conftest import SEED, SEED_ARTICLE_ID
from tests.fakes import CountingEmbedder

# What the offline pipeline (hybrid retrieval, the reader model reranking and reading) reaches
# with the second reader of 2026-12-04; the goal is 20/20 and 3/3 (the logistic reader:
# 20/20 and 1/3; the first reader model 16/20 and 2/3). Misses: seed-14 and seed-16 (refused:
# answer probability 0.061 and 0.102, under the 0.105 line) and seed-12 (another sentence
# quoted). Refused: two of seed-21..23.
ANSWERED_CORRECTLY = 17
REFUSED = 2


@pytest.fixture(scope="module")
def report(minilm: LocalMiniLM, tmp_path_factory: pytest.TempPathFactory):
    return run([SEED], Settings(home=tmp_path_factory.mktemp("unused")), embeddings=minilm)


def test_sample_question_names_mohammed_saeed(seeded: Assistant) -> None:
    answer = seeded.ask("Who leads the Pakistani delegation?")
    assert "Mohammed Saeed" in answer.text and not answer.refused
    # the reader's answer span sits in the sentence that names him: it is quoted first
    assert answer.citations[0].article_id == SEED_ARTICLE_ID
    assert answer.citations[0].quote.startswith("The Pakistani team, led by Lt. Gen. Mohammed")


def test_answerable_questions_contain_an_accepted_answer_and_cite_the_seed(report) -> None:
    answerable = [r for r in report.rows if not r.unanswerable]
    correct = [r.id for r in answerable if r.scores["correct"]]
    assert len(answerable) == 20
    assert len(correct) == ANSWERED_CORRECTLY, [r.id for r in answerable if r.id not in correct]
    assert all(c["article_id"] == SEED_ARTICLE_ID for r in answerable for c in r.citations)


def test_unanswerable_questions_are_refused_without_citations(report) -> None:
    unanswerable = [r for r in report.rows if r.unanswerable]
    assert sum(r.refused for r in unanswerable) == REFUSED
    assert all(not r.citations for r in report.rows if r.refused)


def test_every_quote_equals_the_article_text_at_its_offsets(seeded: Assistant, report) -> None:
    text = seeded.get_article(SEED_ARTICLE_ID).text
    citations = [c for r in report.rows for c in r.citations]
    assert len(citations) >= 20
    assert all(text[c["start"] : c["end"]] == c["quote"] for c in citations)
    assert report.summary["seed"]["newsrag"]["bad_offsets"] == 0


def test_reingest_embeds_nothing_and_keeps_the_chunk_count(seeded: Assistant) -> None:
    counting = CountingEmbedder(seeded.pipeline.embedder)
    again = Assistant(seeded.settings, embeddings=counting)
    chunks = again.stats()["chunks"]
    report = again.ingest([SEED])
    assert counting.documents_embedded == 0
    assert report.unchanged == [SEED_ARTICLE_ID] and report.added == []
    assert again.stats()["chunks"] == chunks
