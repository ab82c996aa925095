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
    """``answer`` holding only its supported sentences, each followed by its markers (those the
    model wrote, or for a sentence it left uncited, the source the grounder found for it);
    ``unsupported`` moves to ``dropped_claims`` (offsets into the reply as the model wrote it).
    Sentences nothing needed to support ("Yes.", "This is stated in [1].") go too. The answer
    itself when every sentence is cited and supported; None when none is."""
    bad = {(u.start, u.end) for u in answer.unsupported}
    sources: dict[str, set[int]] = {}
    for c in answer.citations:
        sources.setdefault(c.claim, set()).add(c.marker)
    claims = split_claims(answer.text)
    kept = [c for c in claims if (c.start, c.end) not in bad and c.words in sources]
    if not kept:
        return None
    if not bad and all(c.numbers for c in kept) and len(kept) == len(claims):
        return answer
    text = " ".join(
        _with_markers(c.words, c.numbers or tuple(sorted(sources[c.words]))) for c in kept
    )
    words = {c.words for c in kept}
    return dataclasses.replace(
        answer,
        text=text,
        citations=[c for c in answer.citations if c.claim in words],
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
