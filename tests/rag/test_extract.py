"""NEWSRAG_LLM_STYLE=extract (rag/query/llm/extract.py): the model picks numbered sentences as
JSON held to a schema, and the reply quotes them, exact by construction. Scripted fake chat
models over the real seed store; the parsing rules without a model."""

from __future__ import annotations

import json

import pytest

from rag.assistant import Assistant
from rag.core.errors import LLMError
from rag.core.types import Chunk, Hit
from rag.query.llm.extract import SCHEMA, parse_picked
from rag.query.reading.candidates import candidate_sentences
from tests.rag.llm_support import LEAD_SENTENCE, QUESTION, REFUSAL, assert_exact_quotes, run

TEXT = "Mayor Ines Okafor opened the ferry terminal on Tuesday. It cost 42 million dollars."


def _candidates():
    chunk = Chunk("c1", "a1", 0, TEXT, 0, len(TEXT), 20)
    return candidate_sentences([Hit(chunk, 1.0, title="Terminal opens")])


def test_the_reply_is_checked_numbers_in_range_once_and_the_short_answer_copied() -> None:
    candidates = _candidates()
    picked = parse_picked(
        '{"sentences": [2, 2, 9, 1], "answer": "42 MILLION dollars."}', candidates
    )
    assert (picked.sentences, picked.short, picked.dropped) == ([1, 0], "42 million dollars", [9])
    invented = parse_picked('{"sentences": [1], "answer": "Mayor Smith"}', candidates)
    assert (invented.sentences, invented.short) == ([0], "")  # not in the sentence: not shown
    elsewhere = parse_picked('{"sentences": [1], "answer": "42 million"}', candidates)
    assert elsewhere.short == ""  # in a sentence the model did not pick
    chatty = parse_picked(
        'Sure! {"sentences": [1], "answer": "Ines Okafor"} Hope it helps', candidates
    )
    assert (chatty.sentences, chatty.short) == ([0], "Ines Okafor")
    assert parse_picked('{"sentences": [], "answer": ""}', candidates).sentences == []
    with pytest.raises(LLMError, match="not the JSON asked for"):
        parse_picked("The mayor opened it [1].", candidates)


def _number_of(assistant: Assistant, sentence: str) -> int:
    hits = assistant.retrieve(QUESTION).hits
    texts = [" ".join(c.text.split()) for c in candidate_sentences(hits)]
    return texts.index(" ".join(sentence.split())) + 1


def test_the_picked_sentence_is_quoted_exactly_led_by_the_short_answer(llm) -> None:
    probe, _ = llm()
    n = _number_of(probe, LEAD_SENTENCE)
    reply = json.dumps({"sentences": [n], "answer": "Lt. Gen. Mohammed Saeed"})
    assistant, model = llm(reply, llm_style="extract", unsupported="fallback")
    pieces, answer = run(assistant)
    assert answer.mode == "llm" and not answer.refused and answer.fallback == ""
    assert answer.text == f"Lt. Gen. Mohammed Saeed — {LEAD_SENTENCE} [1]"
    assert "".join(pieces) == answer.text and answer.short_answer == "Lt. Gen. Mohammed Saeed"
    assert [c.quote for c in answer.citations] == [LEAD_SENTENCE]
    assert_exact_quotes(assistant, answer)
    assert answer.usage["prompt_tokens"] > 0 and not answer.unsupported
    (options,) = model.options  # the schema reached the endpoint (api.openai.com's form)
    strict = {"name": "picked", "schema": SCHEMA, "strict": True}
    assert options["response_format"] == {"type": "json_schema", "json_schema": strict}
    prompt = model.prompts[0][1].text
    assert f"[{n}] (Pakistan, U.S. Defence Talks In Washington To Improve Security) " in prompt
    assert prompt.endswith(f"Question: {QUESTION}")


def test_a_refusal_against_strong_evidence_falls_back_with_the_reason(llm) -> None:
    assistant, _ = llm(
        '{"sentences": [], "answer": ""}', llm_style="extract", unsupported="fallback"
    )
    _, answer = run(assistant, "When will the TIFA talks happen?")  # the reader is sure
    assert not answer.refused and "last week of February" in answer.text
    assert answer.fallback.startswith("the model refused although the sources answer")


def test_an_unanswerable_question_is_refused_before_the_model_is_asked(llm) -> None:
    assistant, model = llm(
        '{"sentences": [1], "answer": "x"}', llm_style="extract", unsupported="fallback"
    )
    _, answer = run(assistant, "Who leads the Indian delegation?")
    assert answer.refused and answer.text == REFUSAL and model.prompts == []


def test_a_reply_that_is_no_json_falls_back_and_says_so(llm) -> None:
    assistant, _ = llm("Mohammed Saeed leads it [1].", llm_style="extract", unsupported="fallback")
    _, answer = run(assistant)
    assert LEAD_SENTENCE in answer.text and not answer.refused
    assert answer.fallback.startswith("the model's reply was not the JSON asked for")
