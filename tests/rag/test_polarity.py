"""The claim check's negation and antonym rule (issue 25, item 2): a claim that says the opposite
of the sentence it cites is caught, a faithful restatement is not."""

from __future__ import annotations

import pytest

from rag.query.llm.polarity import flipped

LEAD = "Lt. Gen. Mohammed Saeed will lead the Pakistani delegation at the talks."


@pytest.mark.parametrize(
    ("claim", "quote", "reason"),
    [
        (
            "Lt. Gen. Mohammed Saeed will not lead the Pakistani delegation.",
            LEAD,
            "says “not lead”; the cited sentence does not negate it",
        ),
        (
            "Saeed won't lead the delegation.",
            LEAD,
            "says “not lead”; the cited sentence does not negate it",
        ),
        (
            "Saeed never led the team.",
            "Saeed led the team.",
            "says “never led”; the cited sentence does not negate it",
        ),
        (
            "Saeed no longer chairs the board.",
            "Saeed chairs the board.",
            "says “no longer chairs”; the cited sentence does not negate it",
        ),
        (
            "Saeed leads the team.",
            "Saeed didn't lead the team.",
            "states “leads”; the cited sentence says “not lead”",
        ),
        (
            "The ministry denied the report.",
            "The ministry confirmed the report on Monday.",
            "says “denied” where the cited sentence says “confirmed”",
        ),
        (
            "Prices rose 3% in May.",
            "Prices fell 3% in May.",
            "says “rose” where the cited sentence says “fell”",
        ),
        (
            "Leeds won the final.",
            "Leeds lost the final 2-1 on Saturday.",
            "says “won” where the cited sentence says “lost”",
        ),
        (
            "Leeds lost the final.",
            "Leeds won the final 2-1 on Saturday.",
            "says “lost” where the cited sentence says “won”",
        ),
    ],
)
def test_a_negated_or_reversed_claim_is_caught(claim: str, quote: str, reason: str) -> None:
    assert flipped(claim, quote) == reason


@pytest.mark.parametrize(
    ("claim", "quote"),
    [
        ("Saeed will lead the Pakistani delegation.", LEAD),
        ("He did not attend the hearing.", "He did not attend the hearing, his lawyer said."),
        # a negation in another clause of the quote does not reach the claim's words
        ("Saeed leads the team.", "Saeed, who did not speak, leads the team."),
        ("Leeds lost the final.", "Leeds lost the final 2-1, and Hull won the plate."),
        ("Saeed no longer chairs the board.", "Saeed no longer chairs the board."),
    ],
)
def test_a_faithful_claim_passes(claim: str, quote: str) -> None:
    assert flipped(claim, quote) == ""
