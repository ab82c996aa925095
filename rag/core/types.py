"""The project's own types passed between stages: Article -> Chunk -> Hit -> Retrieval ->
Answer, plus the Filters a question carries and the records the store keeps."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rag.core.news import Conflict
    from rag.core.reader_net import PassageReading


@dataclass(frozen=True, slots=True)
class Article:
    """A cleaned article; ``text`` is what every character offset refers to."""

    id: str
    text: str
    title: str = ""
    url: str = ""
    published: str = ""
    source: str = ""
    author: str = ""
    origin: str = ""  # where it came from: "path", "path:line" or a URL
    also: tuple[str, ...] = ()  # other outlets and URLs of the same story ("outlet url")


@dataclass(frozen=True, slots=True)
class Chunk:
    """A run of whole sentences of one article: ``article.text[start:end] == text``."""

    id: str
    article_id: str
    index: int
    text: str
    start: int
    end: int
    n_tokens: int


@dataclass(frozen=True, slots=True)
class Hit:
    """A retrieved chunk with its article's metadata; ``score`` ranks it (fused in hybrid
    retrieval), ``dense`` is its cosine to the question, ``lexical`` its BM25 score (0: not
    found by BM25), ``reading`` the reader's verdict when the reader reranked the hits."""

    chunk: Chunk
    score: float
    title: str = ""
    url: str = ""
    published: str = ""
    source: str = ""
    dense: float = 0.0
    lexical: float = 0.0
    reading: PassageReading | None = None


@dataclass(frozen=True, slots=True)
class Filters:
    """Restrict retrieval to one outlet and/or a publication-date range (inclusive); articles
    without a known date fail a date filter. ``as_of`` is the day the question is asked: no
    article published after it is retrieved, and the ones published shortly before it rank
    first. The store translates filters to its own syntax."""

    source: str | None = None
    since: date | None = None
    until: date | None = None
    as_of: date | None = None

    def __post_init__(self) -> None:  # a dict like {"$ne": ...} must not reach the store
        for name, kind in (("source", str), ("since", date), ("until", date), ("as_of", date)):
            value = getattr(self, name)
            if value is not None and not isinstance(value, kind):
                need = "a string" if kind is str else "a date"
                raise TypeError(f"Filters.{name} must be {need}, not {type(value).__name__}")

    @property
    def latest(self) -> date | None:
        """The last publication day allowed (``until`` or ``as_of``, whichever is earlier)."""
        days = [d for d in (self.until, self.as_of) if d is not None]
        return min(days) if days else None


@dataclass(slots=True)
class Retrieval:
    """The hits for a question, best first, and the question's vector (answerers reuse it)."""

    question: str
    vector: list[float]
    hits: list[Hit] = field(default_factory=list)

    def top(self, k: int) -> Retrieval:
        """The same retrieval cut to its ``k`` best hits."""
        return Retrieval(self.question, self.vector, self.hits[:k])


@dataclass(frozen=True, slots=True)
class Citation:
    """One cited source: ``quote`` equals the article text between ``start`` and ``end``."""

    marker: int
    article_id: str
    title: str
    url: str
    published: str
    chunk_id: str
    quote: str
    start: int
    end: int
    claim: str = ""  # LLM answers: the answer sentence this quote supports
    support: float = 0.0  # how well the quote supports the claim (LLM answers)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Unsupported:
    """A sentence of an LLM answer no cited sentence backs: ``start``/``end`` into ``Answer.text``
    (of ``dropped_claims``: the model's reply), ``reason``, ``markers`` it cited, if any."""

    claim: str
    start: int
    end: int
    reason: str
    markers: tuple[int, ...] = ()
    support: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["markers"] = list(self.markers)
        d["support"] = round(self.support, 3)
        return d


class Restart(str):
    """A stream event (an empty string): forget the text streamed so far; the pieces after it
    join to ``Answer.text``. Sent when the endpoint breaks off mid-answer and the offline
    answer takes over. Consumers that only join strings see nothing."""

    __slots__ = ()


@dataclass(frozen=True, slots=True)
class Turn:
    """One earlier exchange of a conversation, as the condenser sees it."""

    question: str
    answer: str


@dataclass(frozen=True, slots=True)
class Answer:
    """What ``Assistant.ask`` returns: text with [n] markers and the citations they point at.
    Frozen: each stage that adds to it (pricing, fallback, the assistant's question and timings)
    builds a new one with ``dataclasses.replace``."""

    question: str
    text: str
    refused: bool
    citations: list[Citation] = field(default_factory=list)
    mode: str = "extractive"
    model: str = ""
    timings_ms: dict[str, float] = field(default_factory=dict)
    usage: dict[str, int] = field(default_factory=dict)
    support: float = 0.0  # the answerer's confidence score (extractive: best sentence score)
    condensed_question: str = ""  # the standalone question retrieval used (multi-turn)
    unsupported: list[Unsupported] = field(default_factory=list)
    dropped_claims: list[Unsupported] = field(default_factory=list)  # NEWSRAG_UNSUPPORTED=drop
    dropped_markers: list[int] = field(default_factory=list)  # [n] that cite no source
    usage_source: str = ""  # "api" when the endpoint reported usage, "tiktoken" when counted
    fallback: str = ""  # why the offline answerer stood in for the LLM ("" when it did not)
    cost_usd: float | None = None  # estimated from usage and the price table; None if unknown
    short_answer: str = ""  # offline answers: the name, date or number the quotes support
    closest: list[Citation] = field(default_factory=list)  # a refusal's nearest passages:
    # shown as "not a confirmed answer", never part of the answer
    conflict: Conflict | None = None  # offline answers: the reports differ or were updated

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of ``newsrag ask --json`` (DESIGN.md)."""
        return {
            "question": self.question,
            "answer": self.text,
            "refused": self.refused,
            "citations": [c.to_dict() for c in self.citations],
            "mode": self.mode,
            "model": self.model,
            "timings_ms": {k: round(v, 1) for k, v in self.timings_ms.items()},
            "usage": dict(self.usage),
            "usage_source": self.usage_source,
            "cost_usd": None if self.cost_usd is None else round(self.cost_usd, 6),
            "condensed_question": self.condensed_question or self.question,
            "unsupported": [u.to_dict() for u in self.unsupported],
            "dropped_claims": [u.to_dict() for u in self.dropped_claims],
            "dropped_markers": list(self.dropped_markers),
            "fallback": self.fallback,
            "short_answer": self.short_answer,
            "closest": [c.to_dict() for c in self.closest],
            "conflict": None if self.conflict is None else self.conflict.to_dict(),
        }


@dataclass(frozen=True, slots=True)
class Skipped:
    """An input that was not ingested and why; ``error`` is False for benign skips."""

    where: str
    reason: str
    error: bool = True
    duplicate: bool = False  # the same story is stored already (exactly or nearly)


@dataclass(slots=True)
class ReindexReport:
    """What one ``Assistant.reindex`` did: the store moved from one embedding model to another."""

    old_model: str
    new_model: str
    chunks: int = 0  # chunks the store holds
    embedded: int = 0  # embedded by this run (a resumed run: only the rest)
    resumed: bool = False  # an earlier, interrupted run had staged some
    seconds: float = 0.0

    def summary(self) -> str:
        if self.old_model == self.new_model:
            return f"the store already holds {self.new_model} vectors; nothing to do"
        again = " (resumed)" if self.resumed else ""
        return (
            f"moved {self.chunks} chunks from {self.old_model} to {self.new_model}{again}: "
            f"{self.embedded} embedded in {self.seconds:.1f} s"
        )


@dataclass(slots=True)
class IngestReport:
    """What one ``Assistant.ingest`` call did."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    chunks_added: int = 0
    chunks_deleted: int = 0
    chunks_embedded: int = 0
    seconds: float = 0.0
    expected: int = 0  # articles this ingest expects to read (an estimate, for progress)

    @property
    def done(self) -> int:
        """Articles dealt with so far: added, updated, unchanged or skipped."""
        return len(self.added) + len(self.updated) + len(self.unchanged) + len(self.skipped)

    @property
    def errors(self) -> list[Skipped]:
        return [s for s in self.skipped if s.error]

    @property
    def duplicates(self) -> list[Skipped]:
        return [s for s in self.skipped if s.duplicate]

    def summary(self) -> str:
        """One line: added / updated / unchanged / duplicate / failed, and the chunk work."""
        other = len(self.skipped) - len(self.errors) - len(self.duplicates)
        return (
            f"added {len(self.added)}, updated {len(self.updated)}, unchanged "
            f"{len(self.unchanged)}, duplicate {len(self.duplicates)}, failed "
            f"{len(self.errors)}, skipped {other}; {self.chunks_added} chunks added, "
            f"{self.chunks_deleted} removed, {self.chunks_embedded} embedded in "
            f"{self.seconds:.1f}s"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": [asdict(s) for s in self.skipped],
            "chunks_added": self.chunks_added,
            "chunks_deleted": self.chunks_deleted,
            "chunks_embedded": self.chunks_embedded,
            "seconds": round(self.seconds, 3),
            "duplicates": len(self.duplicates),
            "failed": len(self.errors),
        }


@dataclass(frozen=True, slots=True)
class ArticleRecord:
    """What the store remembers of an article to decide whether an ingest must touch it."""

    id: str
    content_hash: str
    meta_hash: str


@dataclass(frozen=True, slots=True)
class ArticleInfo:
    """One stored article as ``newsrag list`` shows it."""

    id: str
    title: str
    source: str
    published: str
    url: str
    n_chunks: int
    content_hash: str
    origin: str = ""
    also: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class StoredChunk:
    """A chunk as stored, with the article version it was written for (None: unrecorded)."""

    chunk: Chunk
    version: str | None


@dataclass(frozen=True, slots=True)
class Census:
    """All a store holds: chunks, and per article id the article, record and chunk count."""

    chunks: list[StoredChunk]
    articles: dict[str, tuple[Article, ArticleRecord, int]]
