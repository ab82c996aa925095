"""LLM answers by picking sentences (``NEWSRAG_LLM_STYLE=extract``): the model reads the numbered
candidate sentences of the retrieved chunks and returns structured output (a JSON schema the
endpoint enforces: OpenAI's structured outputs, llama.cpp's grammar) naming the sentences that
answer and a short answer, or none. The reply is built from the sentences picked, so every quote
is article text at its offsets by construction; the short answer is shown only when it is
copied from a picked sentence. Small local models read better this way than they write.

Usage: ``ExtractAnswerer(chat_client, refusal).stream(retrieval)`` (pieces, then the Answer)
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from prompts import load_prompt
from rag.core.errors import LLMError
from rag.core.types import Answer, Retrieval
from rag.query.llm.chat import ChatClient, Message
from rag.query.reading.candidates import Candidate, candidate_sentences
from rag.query.reading.extractive import cite_sentences, stream_answer

MAX_SENTENCES = 40  # ~1,500 prompt tokens: the reranked chunks' sentences, best chunks first
MOST_PICKED = 3
SCHEMA = {
    "type": "object",
    "properties": {
        "sentences": {"type": "array", "items": {"type": "integer"}, "maxItems": MOST_PICKED},
        "answer": {"type": "string"},
    },
    "required": ["sentences", "answer"],
    "additionalProperties": False,
}


@dataclass(frozen=True, slots=True)
class Picked:
    """What the model's JSON said, checked: sentence indexes (0-based, valid, once each), the
    short answer as it stands in the first picked sentence that holds it ("" when none does),
    and the numbers that named no sentence."""

    sentences: list[int]
    short: str = ""
    dropped: list[int] = field(default_factory=list)


def extract_messages(candidates: list[Candidate], question: str) -> list[Message]:
    lines = []
    for n, c in enumerate(candidates, 1):
        head = ", ".join(x for x in (_flat(c.hit.title), c.hit.published) if x)
        lines.append(f"[{n}] ({head}) {_flat(c.text)}" if head else f"[{n}] {_flat(c.text)}")
    user = load_prompt("extract_user").format(sentences="\n".join(lines), question=question)
    return [
        ("system", load_prompt("extract_system").format(most=MOST_PICKED)),
        ("human", user),
    ]


def parse_picked(reply: str, candidates: list[Candidate]) -> Picked:
    """The sentences and short answer of the model's ``reply``; numbers out of range or
    repeated are dropped. LLMError when the reply is no JSON object (the fallback answers)."""
    match = re.search(r"\{.*\}", reply, re.S)
    try:
        data = json.loads(match.group(0)) if match else None
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise LLMError(
            f"the model's reply was not the JSON asked for ({_flat(reply)[:60]!r}); "
            "the quoted evidence answers instead"
        )
    numbers = data.get("sentences")
    numbers = [n for n in numbers if isinstance(n, int)] if isinstance(numbers, list) else []
    picked: list[int] = []
    dropped: list[int] = []
    for n in numbers:
        if 1 <= n <= len(candidates) and n - 1 not in picked and len(picked) < MOST_PICKED:
            picked.append(n - 1)
        elif not 1 <= n <= len(candidates):
            dropped.append(n)
    return Picked(picked, _copied(data.get("answer"), [candidates[i] for i in picked]), dropped)


def _copied(answer: object, sentences: list[Candidate]) -> str:
    """``answer`` as written in the first picked sentence that holds it (case aside)."""
    if not isinstance(answer, str) or not answer.strip():
        return ""
    wanted = " ".join(answer.split()).strip(" .,;:\"'“”")
    for c in sentences:
        at = c.text.lower().find(wanted.lower())
        if wanted and at >= 0:
            return c.text[at : at + len(wanted)]
    return ""


class ExtractAnswerer:
    """A chat model picks the answering sentences; the product quotes them."""

    mode = "llm"

    def __init__(self, chat: ChatClient, refusal: str, max_sentences: int = MAX_SENTENCES) -> None:
        self.chat = chat
        self.refusal = refusal
        self.max_sentences = max_sentences

    def answer(self, retrieval: Retrieval) -> Answer:
        *_, final = self.stream(retrieval)
        assert isinstance(final, Answer)
        return final

    def stream(self, retrieval: Retrieval) -> Iterator[str | Answer]:
        candidates = candidate_sentences(retrieval.hits)[: self.max_sentences]
        base = {"question": retrieval.question, "mode": self.mode, "model": self.chat.name}
        if not candidates:  # nothing to read: no call, no cost
            yield from stream_answer(Answer(text=self.refusal, refused=True, **base))
            return
        started = time.perf_counter()
        messages = extract_messages(candidates, retrieval.question)
        completion = self.chat.complete(messages, schema=SCHEMA)
        base |= {
            "usage": dict(completion.usage),
            "usage_source": completion.usage_source,
            "timings_ms": {"model": (time.perf_counter() - started) * 1000},
        }
        picked = parse_picked(completion.text, candidates)
        base["dropped_markers"] = picked.dropped
        if not picked.sentences:
            yield from stream_answer(Answer(text=self.refusal, refused=True, **base))
            return
        citations = cite_sentences([candidates[i] for i in picked.sentences])
        lead = f"{picked.short} — " if picked.short else ""
        text = lead + " ".join(f"{c.quote} [{c.marker}]" for c in citations)
        answer = Answer(
            text=text, refused=False, citations=citations, short_answer=picked.short, **base
        )
        yield from stream_answer(answer)


def _flat(text: str) -> str:
    return " ".join((text or "").split())
