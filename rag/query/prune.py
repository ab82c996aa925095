"""An LLM answer without the sentences no source supports (NEWSRAG_UNSUPPORTED=drop).

A small model often writes one right, cited sentence and one it made up (a swapped title, an
uncited aside). Replacing the whole reply with the quoted evidence throws the right sentence
away; keeping it whole shows the made-up one. This keeps each sentence the grounder found
supported and cited, with its markers and citations, and drops the rest; when none is left the
caller falls back to the quoted evidence as before.

Usage: ``kept = drop_unsupported(answer)`` (None: nothing supported is left)
"""

from __future__ import annotations

import dataclasses
import re

from rag.core.types import Answer
from rag.query.grounding import split_claims


def drop_unsupported(answer: Answer) -> Answer | None:
    """A copy of ``answer`` holding only its supported sentences, each followed by its markers;
    ``unsupported`` moves to ``dropped_claims`` (offsets into the reply as the model wrote it)."""
    bad = {(u.start, u.end) for u in answer.unsupported}
    kept = [c for c in split_claims(answer.text) if (c.start, c.end) not in bad]
    cited = [c for c in kept if c.numbers]
    if not cited:
        return None
    text = " ".join(_with_markers(c.words, c.numbers) for c in kept)
    claims = {c.words for c in cited}
    return dataclasses.replace(
        answer,
        text=text,
        citations=[c for c in answer.citations if c.claim in claims],
        unsupported=[],
        dropped_claims=list(answer.unsupported),
        support=1.0,
    )


def _with_markers(words: str, numbers: tuple[int, ...]) -> str:
    """ "Saeed leads it." with (1,) -> "Saeed leads it [1]." (markers before the full stop)."""
    body, stop = _END.match(words.strip()).groups()  # type: ignore[union-attr]
    markers = "".join(f"[{n}]" for n in numbers)
    return f"{body} {markers}{stop}" if markers else f"{body}{stop}"


_END = re.compile(r"(.*?)([.!?]*)$", re.DOTALL)
