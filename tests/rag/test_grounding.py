"""The claim check of LLM answers (rag/query/llm/grounding.py) on the real seed store: a
sentence without a marker, weak support, a swapped name, a negation."""

from __future__ import annotations

from tests.rag.llm_support import (
    LEAD_SENTENCE,
    run,
)


def test_claims_without_markers_are_unsupported(llm) -> None:
    _, answer = run(llm("Mohammed Saeed leads the delegation.")[0])
    assert not answer.refused and answer.citations == []
    assert [(u.claim, u.reason, u.markers) for u in answer.unsupported] == [
        ("Mohammed Saeed leads the delegation.", "no citation marker", ())
    ]
    u = answer.unsupported[0]
    assert answer.text[u.start : u.end] == "Mohammed Saeed leads the delegation."


def test_weakly_supported_claim_is_flagged(llm) -> None:
    _, answer = run(llm("The moon is made of green cheese [3].")[0])
    assert len(answer.unsupported) == 1
    weak = answer.unsupported[0]
    assert weak.markers == (3,) and weak.reason.startswith("weak support in the cited source")
    assert weak.support < 0.35


def test_an_entity_swap_does_not_pass_the_claim_check(llm) -> None:
    """The invented answer seen with a 1.5B model: the right name on the wrong office, with a
    [1] on a sentence that shares the office's words but not the name."""
    reply = "The Chief of Army Staff is Lt. Gen. Mohammed Saeed [1]."
    assistant, _ = llm(reply)
    (claim,) = run(assistant)[1].unsupported
    assert claim.claim == "The Chief of Army Staff is Lt. Gen. Mohammed Saeed."
    assert (
        claim.reason.startswith("names “") and "which the cited sentence does not" in claim.reason
    )
    faithful = run(llm("Lt. Gen. Mohammed Saeed leads the Pakistani team [1].")[0])[1]
    assert faithful.unsupported == [] and faithful.citations[0].quote == LEAD_SENTENCE


def test_a_negated_claim_does_not_pass_the_claim_check(llm) -> None:
    """The probe's case (issue 25): the model says the opposite of the sentence it cites."""
    reply = "Lt. Gen. Mohammed Saeed did not lead the Pakistani team [1]."
    assistant, _ = llm(reply)
    (claim,) = run(assistant)[1].unsupported
    assert claim.claim == "Lt. Gen. Mohammed Saeed did not lead the Pakistani team."
    assert claim.reason == "says “not lead”; the cited sentence does not negate it"
    fell = run(llm("The Pakistani team left the U.S. capital on Sunday afternoon [1].")[0])[1]
    assert [u.reason for u in fell.unsupported] == [
        "says “left” where the cited sentence says “arrived”"
    ]
