"""An LLM answer without the sentences no source supports (NEWSRAG_UNSUPPORTED=drop).

A small model often writes one right, cited sentence and one it made up (a swapped title, an
uncited aside). Replacing the whole reply with the quoted evidence throws the right sentence
away; keeping it whole shows the made-up one. This keeps each sentence the grounder found
supported and cited, with its markers and citations, and drops the rest; when none is left the
caller falls back to the quoted evidence as before.

Usage: ``kept = drop_unsupported(answer, grounding)`` (None: nothing supported is left)
"""

from __future__ import annotations

import dataclasses
import re

from rag.core.types import Answer
from rag.query.llm.grounding import Grounding, split_claims


def drop_unsupported(answer: Answer, grounding: Grounding) -> Answer | None:
    """``answer`` holding only the sentences ``grounding`` found supported, each followed by
    its markers (those the model wrote, or for a sentence it left uncited, the source found
    for it), plus the ones that needed no source ("Yes."); every other sentence moves to
    ``dropped_claims`` (offsets into the reply as the model wrote it). The answer itself when
    nothing is to drop or cite; None when no supported sentence is left."""
    bad = {(u.start, u.end) for u in answer.unsupported}
    claims = [c for c in split_claims(answer.text) if (c.start, c.end) not in bad]
    if not any((c.start, c.end) in grounding.supported for c in claims):
        return None
    marked = [grounding.supported.get((c.start, c.end), c.numbers) for c in claims]
    if not bad and all(m == c.numbers for m, c in zip(marked, claims, strict=True)):
        return answer
    text = " ".join(_with_markers(c.words, m) for c, m in zip(claims, marked, strict=True))
    kept = {c.words for c in claims}
    citations = [c for c in answer.citations if c.claim in kept]
    used = {n for m in marked for n in m} - {c.marker for c in citations}
    citations += [c for c in answer.citations if c.marker in used]  # a quote two claims share
    return dataclasses.replace(
        answer,
        text=text,
        citations=sorted(citations, key=lambda c: (c.marker, c.start)),
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
