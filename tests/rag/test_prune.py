"""NEWSRAG_UNSUPPORTED=drop (rag/query/llm/prune.py): the supported, cited sentences of an LLM
answer are kept, the rest dropped and listed."""

from __future__ import annotations

from rag.core.types import Restart
from tests.rag.llm_support import (
    LEAD_SENTENCE,
    OFFLINE_QUOTES,
    assert_exact_quotes,
    lead_markers,
    run,
)


def test_drop_keeps_the_supported_sentences_and_drops_the_rest(llm) -> None:
    swap = "The Chief of Army Staff is Lt. Gen. Mohammed Saeed [1]."
    reply = f"Lt. Gen. Mohammed Saeed leads the Pakistani team [1]. {swap} He likes tea."
    assistant, _ = llm(reply, unsupported="drop")
    pieces, answer = run(assistant)
    assert answer.mode == "llm" and answer.fallback == "" and not answer.refused
    (citation,) = answer.citations  # cited with a source holding the sentence, wherever it ranks
    assert citation.quote == LEAD_SENTENCE and citation.marker in lead_markers(assistant)
    assert answer.text == f"Lt. Gen. Mohammed Saeed leads the Pakistani team [{citation.marker}]."
    assert answer.unsupported == [] and answer.support == 1.0
    dropped = [(u.claim, u.reason.split(";")[0]) for u in answer.dropped_claims]
    assert dropped[0][0] == "The Chief of Army Staff is Lt. Gen. Mohammed Saeed."
    assert dropped[0][1].startswith("names “") and dropped[1] == (
        "He likes tea.",
        "no citation marker",
    )
    assert (
        reply[answer.dropped_claims[1].start : answer.dropped_claims[1].end].strip()
        == "He likes tea."
    )
    assert_exact_quotes(assistant, answer)
    restart = next(i for i, p in enumerate(pieces) if isinstance(p, Restart))
    assert "".join(pieces[:restart]) == reply  # what streamed first is withdrawn
    assert "".join(pieces[restart + 1 :]) == answer.text
    assert answer.to_dict()["dropped_claims"][1]["claim"] == "He likes tea."


def test_drop_falls_back_to_the_quoted_evidence_when_nothing_supported_is_left(llm) -> None:
    assistant, _ = llm(
        "He likes tea. The Chief of Army Staff is Lt. Gen. Mohammed Saeed [1].", unsupported="drop"
    )
    answer = run(assistant)[1]
    assert answer.mode == "extractive" and [c.quote for c in answer.citations] == OFFLINE_QUOTES
    assert answer.fallback.startswith("the model's answer had 2 sentences no source supports")
    assert answer.dropped_claims == []


def test_drop_cites_a_supported_sentence_the_model_left_without_a_marker(llm) -> None:
    reply = "Lt. Gen. Mohammed Saeed leads the Pakistani team. He likes tea."
    assistant, _ = llm(reply, unsupported="drop")
    pieces, answer = run(assistant)
    assert answer.mode == "llm" and answer.fallback == ""
    (citation,) = answer.citations  # cited with a source holding the sentence, wherever it ranks
    assert citation.quote == LEAD_SENTENCE and citation.marker in lead_markers(assistant)
    assert answer.text == f"Lt. Gen. Mohammed Saeed leads the Pakistani team [{citation.marker}]."
    assert [(u.claim, u.reason.split(";")[0]) for u in answer.dropped_claims] == [
        ("He likes tea.", "no citation marker")
    ]
    assert_exact_quotes(assistant, answer)
    assert "".join(pieces[pieces.index(Restart()) + 1 :]) == answer.text
    flagged = run(llm(reply, unsupported="flag")[0])[1]  # only drop looks for a source
    assert [u.reason for u in flagged.unsupported] == ["no citation marker"] * 2


def test_drop_keeps_two_sentences_that_share_a_quote(llm) -> None:
    reply = (
        "Lt. Gen. Mohammed Saeed leads the Pakistani team [1]. "
        "The Pakistani team arrived in the U.S. capital on Sunday [1]."
    )
    pieces, answer = run(llm(reply, unsupported="drop")[0])
    assert answer.text == reply and answer.dropped_claims == []
    assert not any(isinstance(p, Restart) for p in pieces)
    assert {c.quote for c in answer.citations} == {LEAD_SENTENCE}


def test_drop_leaves_a_fully_cited_answer_as_written(llm) -> None:
    reply = "The Pakistani delegation is led by Lt. Gen. Mohammed Saeed [1]."
    pieces, answer = run(llm(reply, unsupported="drop")[0])
    assert answer.text == reply and not any(isinstance(p, Restart) for p in pieces)
    assert answer.dropped_claims == [] and answer.citations[0].quote == LEAD_SENTENCE
