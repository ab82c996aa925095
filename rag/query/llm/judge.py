"""The claim checker as the grounder's judge: each claim of an answer is read by the trained
checker (rag.core.claim_net) against every sentence of each source it cites, the sentence shown
with the one before it (a pronoun's antecedent); the sentence it rates highest is the claim's
quote, and its probability says whether the claim is supported.

Usage: ``found = Judge(ClaimNet()).best(["Saeed leads it."], {1: candidates})[(0, 1)]``
"""

from __future__ import annotations

from rag.core.claim_net import ClaimNet
from rag.query.reading.candidates import Candidate


class Judge:
    """Scores (claim, sentence) pairs in one batch; ``threshold``: the card's line unless set."""

    def __init__(self, net: ClaimNet, threshold: float | None = None) -> None:
        self.net = net
        self.threshold = net.card.threshold if threshold is None else threshold

    def best(
        self,
        claims: list[str],
        sources: dict[int, list[Candidate]],
        cited: list[tuple[int, ...]] | None = None,
    ) -> dict[tuple[int, int], tuple[Candidate, float]]:
        """For each claim and each source it cites (``cited[i]``; every source when it cites
        none, or when ``cited`` is not given), the sentence the checker rates highest and its
        probability, keyed (claim index, source number)."""
        keys = [
            (i, n, c)
            for i in range(len(claims))
            for n in ([m for m in cited[i] if m in sources] if cited and cited[i] else sources)
            for c in sources[n]
        ]
        probs = self.net.support([(claims[i], window(c)) for i, _, c in keys])
        out: dict[tuple[int, int], tuple[Candidate, float]] = {}
        for (i, n, c), p in zip(keys, probs, strict=True):
            if (i, n) not in out or p > out[(i, n)][1]:
                out[(i, n)] = (c, p)
        return out


def window(candidate: Candidate) -> str:
    """The sentence with the one before it in its chunk, as the checker was trained to read."""
    chunk = candidate.hit.chunk
    start = candidate.context_start if candidate.context_start is not None else candidate.start
    return chunk.text[start - chunk.start : candidate.end - chunk.start]
