"""Follow-up questions condensed before retrieval (rag/query/llm/condense.py): by the chat model
in LLM mode, by topic words offline."""

from __future__ import annotations

from rag.assistant import Assistant
from rag.core.types import Turn
from tests.rag.llm_support import (
    LEAD_SENTENCE,
    QUESTION,
    run,
)


def test_follow_up_is_condensed_before_retrieval(llm) -> None:
    assistant, model = llm(
        "How long will the Pakistani delegation's talks in Washington last?",
        "The talks last from Monday to Thursday [1].",
    )
    history = [Turn(QUESTION, f"{LEAD_SENTENCE} [1]")]
    pieces, answer = run(assistant, "How long will they stay?", history=history)
    condense_prompt, answer_prompt = model.prompts
    assert f"User: {QUESTION}" in condense_prompt[0].text
    assert "Follow-up question: How long will they stay?" in condense_prompt[0].text
    assert answer.question == "How long will they stay?"
    assert answer.condensed_question == (
        "How long will the Pakistani delegation's talks in Washington last?"
    )
    assert answer_prompt[-1].text.rstrip().endswith(f"Question: {answer.condensed_question}")
    streamed = "".join(pieces)
    assert streamed == answer.text and "Washington last" not in streamed
    assert answer.citations[0].quote == "The talks will last from Monday to Thursday."
    # usage counts both calls: the condense call adds to the answer call
    assert answer.usage["prompt_tokens"] > 900 and answer.usage["completion_tokens"] >= 20


def test_offline_follow_up_adds_the_previous_topic(seeded: Assistant) -> None:
    previous = seeded.ask(QUESTION)
    answer = seeded.ask("How long will they stay?", history=[previous])
    assert answer.mode == "extractive"
    assert answer.condensed_question == "How long will they stay? (leads Pakistani delegation)"
    assert seeded.ask(QUESTION, history=[previous]).condensed_question == QUESTION


def test_a_condenser_reply_that_is_no_question_is_not_used(llm) -> None:
    assistant, _ = llm("Saeed leads it.", "The talks last from Monday to Thursday [1].")
    history = [Turn(QUESTION, f"{LEAD_SENTENCE} [1]")]
    answer = run(assistant, "How long will they stay?", history=history)[1]
    assert answer.condensed_question == "How long will they stay? (leads Pakistani delegation)"


def test_the_llm_condenses_even_when_the_answerer_was_built_first(llm) -> None:
    assistant, model = llm("Where do the talks take place?", "In Washington [1].")
    assert assistant.pipeline.answerer.mode == "llm"
    answer = run(assistant, "Where are they?", history=[Turn(QUESTION, "Saeed [1]")])[1]
    assert answer.condensed_question == "Where do the talks take place?"
    assert len(model.prompts) == 2


def test_offline_follow_ups_keep_the_topic_over_several_turns(seeded: Assistant) -> None:
    first = seeded.ask(QUESTION)
    second = seeded.ask("How long will they stay?", history=[first])
    third = seeded.ask("Where will they meet?", history=[first, second])
    assert third.condensed_question == (
        "Where will they meet? (long stay leads Pakistani delegation)"
    )
