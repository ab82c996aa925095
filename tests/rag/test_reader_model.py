"""The reader's learned parts: words the headline already holds do not tell one sentence of a
story from another, candidate short answers carry their evidence, and the span model decides
whether a short answer leads the reply (no model: the heuristic's pick, always shown)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rag.assistant import Assistant
from rag.core.bm25 import tokenize
from rag.core.settings import Settings
from rag.core.types import Answer, Chunk, Hit, Retrieval
from rag.query.candidates import Candidate
from rag.query.extractive import ExtractiveAnswerer
from rag.query.nlp import Entity, Nlp
from rag.query.overlap import off_headline, specific_overlap
from rag.query.reader import Evidence, Logistic, Reader, ReaderModel, Reading
from rag.query.short_answer import SPAN_FEATURES, Span, spans
from tests.conftest import REPO
from tests.fakes import HashingEmbedder
from tests.rag.test_reader import ARTICLES


def test_words_of_the_headline_do_not_count_as_specific() -> None:
    question = tokenize(["What will the new bridge cost?"])[0]
    texts = tokenize(["The council backs the new bridge.", "It will cost 48 million dollars."])
    title = "Council backs new bridge"
    lead, cost = specific_overlap(question, [title, title], texts)
    assert lead == 0.0 < cost  # "new" and "bridge" are the headline's; "cost" is not
    # with another headline "bridge" is specific again, and the lead holds it
    lead, cost = specific_overlap(question, ["Storm cuts power"] * 2, texts)
    assert lead > 0.0 and cost > 0.0
    assert off_headline({"cost", "bridge", "council"}, title) == {"cost"}


def _evidence(
    text: str, score: float, entities: list[tuple[str, str]], article: str = "a"
) -> Evidence:
    chunk = Chunk(f"{article}#0", article, 0, text, 0, len(text), 20)
    spots = tuple(Entity(t, label, text.index(t), text.index(t) + len(t)) for t, label in entities)
    words = [(w.lower(), text.index(w)) for w in text.rstrip(".").split()]
    return Evidence(
        Candidate(Hit(chunk, 1.0, title="Bridge"), 0, len(text), text),
        {},
        score,
        spots,
        tuple(words),
    )


def test_candidate_short_answers_carry_their_evidence() -> None:
    best = _evidence("Construction will begin in September.", 2.0, [("September", "DATE")])
    other = _evidence("The council met on Monday about construction.", 1.5, [("Monday", "DATE")])
    far = _evidence("A vote was held in 2023 on it.", -1.0, [("2023", "DATE")])  # too weak
    found = spans("When will construction begin?", ("DATE", "TIME"), [best, other, far])
    assert [s.text for s in found] == ["September", "Monday"]
    september, monday = found
    assert set(september.features) == set(SPAN_FEATURES)
    assert september.features["in_best"] == 1.0 and monday.features["in_best"] == 0.0
    assert september.features["gap"] == 0.0 and monday.features["gap"] == -0.5
    assert september.features["share"] == 1.0 > monday.features["share"]
    assert september.source is best and september.support == 1
    assert spans("Why did they vote?", (), [best]) == []  # the form asks for no entity type


def test_the_span_model_rates_and_without_it_the_heuristic_does() -> None:
    span = Span("September", _evidence("In September.", 1.0, []), 1, {"share": 0.4, "near": 1.0})
    plain = ReaderModel(Logistic({}, 0.0), Logistic({}, 0.0), 0.3)
    assert plain.rate(span) == 0.4 and plain.span_threshold == 0.0
    learned = ReaderModel(Logistic({}, 0.0), Logistic({}, 0.0), 0.3, span=Logistic({"near": 2}, -2))
    assert learned.rate(span) == pytest.approx(0.5)


@pytest.mark.parametrize(("short", "first"), [("September", "pick"), ("", "best")])
def test_a_short_answer_leads_with_its_sentence_and_an_unsure_one_follows_the_best(
    short: str, first: str
) -> None:
    best = _evidence("The council voted 7-2 on Monday night.", 2.0, [], "a")
    pick = _evidence("Work will begin in September.", 1.0, [("September", "DATE")], "b")
    sentences = {"best": best.candidate.text, "pick": pick.candidate.text}
    reading = Reading([best, pick], short, pick, confidence=0.9)
    model = ReaderModel(Logistic({}, 0.0), Logistic({}, 0.0), 0.5)
    answerer = ExtractiveAnswerer(Reader(HashingEmbedder(), Nlp(), model), "No.", "m")
    answer = answerer.answer_from(Retrieval("When?", [], []), reading)
    other = "best" if first == "pick" else "pick"
    assert [c.quote for c in answer.citations] == [sentences[first], sentences[other]]
    lead = f"{short} — " if short else ""
    assert answer.text == f"{lead}{sentences[first]} [1] {sentences[other]} [2]"
    assert answer.short_answer == short and not answer.refused


def _bundled() -> dict:
    return json.loads((REPO / "rag" / "models" / "reader.json").read_text(encoding="utf-8"))


def _ask(tmp_path: Path, model: dict, question: str) -> tuple[Assistant, Answer]:
    path = tmp_path / "reader.json"
    path.write_text(json.dumps(model), encoding="utf-8")
    corpus = tmp_path / "news.jsonl"
    corpus.write_text("".join(json.dumps(a) + "\n" for a in ARTICLES), encoding="utf-8")
    assistant = Assistant(
        Settings(home=tmp_path / "s", reader_model=path), embeddings=HashingEmbedder()
    )
    assistant.ingest([corpus])
    return assistant, assistant.ask(question)


def test_a_reader_json_from_before_the_span_model_still_answers(tmp_path: Path) -> None:
    old = {k: v for k, v in _bundled().items() if k not in ("cheap", "span", "span_threshold")}
    _, answer = _ask(tmp_path, old, "When will construction of the bridge begin?")
    model = ReaderModel.load(tmp_path / "reader.json")
    assert model.cheap is None and model.span is None and model.span_threshold == 0.0
    assert not answer.refused and answer.short_answer == "September"  # the heuristic's pick


@pytest.mark.parametrize(("span_threshold", "short"), [(0.0, "September"), (1.0, "")])
def test_an_unsure_short_answer_is_left_out_of_the_reply(
    tmp_path: Path, span_threshold: float, short: str
) -> None:
    model = _bundled() | {"span_threshold": span_threshold}
    _, answer = _ask(tmp_path, model, "When will construction of the bridge begin?")
    quote = "Mayor Ann Lee said construction will begin in September and take two years."
    assert not answer.refused and answer.short_answer == short
    assert answer.citations[0].quote == quote
    assert answer.text.startswith(f"{short} — {quote} [1]" if short else f"{quote} [1]")
