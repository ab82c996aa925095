"""LLM mode behind the evidence and the offline fallback (rag/query/llm/gate.py, fallback.py):
an endpoint failure, a reply that breaks off, an unsupported sentence, a refusal against
the evidence."""

from __future__ import annotations

import httpx
import openai
import pytest

from rag.assistant import Assistant
from rag.core.embeddings import LocalMiniLM
from rag.core.errors import LLMError
from rag.core.types import Restart
from tests.fakes import BreakingChatModel, FailingChatModel
from tests.rag.llm_support import (
    OFFLINE_QUOTES,
    QUESTION,
    REFUSAL,
    assert_exact_quotes,
    run,
)


def _auth_error() -> openai.AuthenticationError:
    request = httpx.Request("POST", "http://127.0.0.1:9/v1/chat/completions")
    response = httpx.Response(401, request=request, json={"error": {"message": "bad key"}})
    return openai.AuthenticationError("bad key", response=response, body=None)


def test_endpoint_failure_falls_back_to_the_extractive_answer(
    seeded: Assistant, minilm: LocalMiniLM
) -> None:
    model = FailingChatModel(messages=iter([]), error=_auth_error())
    assistant = Assistant(
        seeded.settings, embeddings=minilm, store=seeded.pipeline.store, chat_model=model
    )
    pieces, answer = run(assistant)
    assert answer.fallback.startswith("the endpoint rejected the API key (401 from")
    assert answer.mode == "extractive" and "Mohammed Saeed" in answer.text
    assert "".join(pieces) == answer.text


def test_endpoint_failure_without_fallback_is_one_clear_error(
    seeded: Assistant, minilm: LocalMiniLM
) -> None:
    model = FailingChatModel(messages=iter([]), error=_auth_error())
    settings = seeded.settings.model_copy(update={"fallback": "none"})
    assistant = Assistant(
        settings, embeddings=minilm, store=seeded.pipeline.store, chat_model=model
    )
    with pytest.raises(
        LLMError, match=r"^the endpoint rejected the API key \(401 from .*OPENAI_API_KEY"
    ):
        assistant.ask(QUESTION)


def test_a_reply_that_breaks_off_is_replaced_by_the_offline_answer(
    seeded: Assistant, minilm: LocalMiniLM
) -> None:
    request = httpx.Request("POST", "http://127.0.0.1:9/v1/chat/completions")
    model = BreakingChatModel(
        messages=iter([]),
        pieces=["Lt. Gen. ", "Mohammed Saeed"],
        error=openai.APIConnectionError(request=request),
    )
    assistant = Assistant(
        seeded.settings, embeddings=minilm, store=seeded.pipeline.store, chat_model=model
    )
    *pieces, answer = assistant.stream(QUESTION)
    assert pieces[:2] == ["Lt. Gen.", " Mohammed Saeed"] and isinstance(pieces[2], Restart)
    assert "".join(pieces[3:]) == answer.text and answer.mode == "extractive"
    assert answer.fallback == "the endpoint broke off in mid-answer (APIConnectionError)"
    assert [c.quote for c in answer.citations] == OFFLINE_QUOTES


def test_an_unsupported_sentence_gives_way_to_the_quoted_evidence(llm) -> None:
    reply = "Lt. Gen. Mohammed Saeed leads the Pakistani team [1]. He likes tea."
    assistant, _ = llm(reply, unsupported="fallback")
    pieces, answer = run(assistant)
    assert answer.mode == "extractive" and answer.citations and not answer.unsupported
    assert answer.fallback == (
        "the model's answer had 1 sentence no source supports (“He likes tea.”: no citation "
        "marker); the quoted evidence answers instead"
    )
    assert_exact_quotes(assistant, answer)
    assert answer.usage["total_tokens"] > 0 and answer.usage_source == "tiktoken"  # still spent
    restart = next(i for i, p in enumerate(pieces) if isinstance(p, Restart))
    assert "".join(pieces[restart + 1 :]) == answer.text


def test_the_evidence_decides_a_refusal_not_the_model(llm) -> None:
    """Issue 22: a capable model's correct refusal stands; only a refusal against evidence the
    reader is sure of (at or above the card's override line, 0.66) falls back, with the reason;
    and a question the reader sees unanswered is refused before the model is asked."""
    tifa = "When will the TIFA talks happen?"  # the reader is sure: answer probability ~0.86
    refusing, model = llm(REFUSAL, unsupported="fallback")
    answer = run(refusing, tifa)[1]  # the sources do answer: the quoted evidence replaces it
    assert (
        not answer.refused
        and answer.mode == "extractive"
        and "last week of February" in (answer.text)
    )
    assert answer.fallback.startswith(
        "the model refused although the sources answer the question (reader confidence 0.8"
    )
    us_lead = "Who leads the U.S. delegation at the defence dialogue?"  # unanswerable, ~0.21
    refusing, model = llm(REFUSAL, unsupported="fallback")
    answer = run(refusing, us_lead)[1]  # past the gate, below the override line: it stands
    assert answer.refused and answer.text == REFUSAL and answer.fallback == ""
    assert answer.mode == "llm" and len(model.prompts) == 1
    overruling, _ = llm(REFUSAL, unsupported="fallback", override_refusal=0.1)
    assert not run(overruling, us_lead)[1].refused  # a lower line (the old policy) overrules
    unanswerable, model = llm(
        "Pakistan's defence budget is 10 billion dollars [1].", unsupported="fallback"
    )
    answer = run(unanswerable, "What is the salary of the Pakistani finance minister's driver?")[1]
    assert answer.refused and answer.text == REFUSAL and model.prompts == []  # never asked
