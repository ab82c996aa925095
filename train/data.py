"""Training examples for the reader from the project's own data (train/data/*/: articles.jsonl and
qa.jsonl written for newsrag, CC0; see train/data/CARD.md).

Each question becomes (question, passage) examples over the article cut into chunks exactly as
ingest cuts them (ingest.chunk.Chunker, 160 tokens, 40 overlap):
- answerable: every chunk holding the answer (span target), one other chunk of the article and
  the chunk of another article that BM25 ranks first for the question (no answer);
- near miss / false premise: the chunk holding the sentence the question is about, and one more
  chunk of the article (no answer); not given: two chunks of the article (no answer);
- twins: an answerable question with one constraint changed (a year, a month, men's/women's, a
  person or place swapped for one the article never names) on its answer chunk (no answer).

Articles are split into train and validation by a seeded hash, so no article is on both sides.

Usage: ``sets = load_sets(DATA); train, val = split(sets, 0.1); examples(train, seed=13)``
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ingest.chunk import Chunker
from rag.core.bm25 import Bm25, tokenize
from rag.core.reader_net import Passage, header_of
from rag.core.tokens import load_encoding
from rag.core.types import Article, Chunk

DATA = Path(__file__).parent / "data"
UNANSWERABLE = ("near_miss", "not_given", "false_premise")
MONTHS = (
    "January February March April May June July August September October November December"
).split()
SWAPS = {"men's": "women's", "women's": "men's", "men": "women", "women": "men"}


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    article_id: str
    text: str
    kind: str  # answerable, near_miss, not_given, false_premise, twin
    answers: tuple[str, ...] = ()
    evidence: str = ""


@dataclass(frozen=True, slots=True)
class Example:
    """One (question, passage) pair; ``start``/``end`` are the answer's characters in
    ``passage.text``, -1 when the passage does not answer."""

    question: str
    passage: Passage
    start: int
    end: int
    question_id: str
    kind: str


@dataclass(slots=True)
class DataSet:
    articles: dict[str, Article] = field(default_factory=dict)
    questions: list[Question] = field(default_factory=list)


def load_sets(*roots: Path) -> DataSet:
    """Every set under ``roots`` (default: train/data), in the order of their folder names; a
    line that breaks the format raises naming file and line."""
    out = DataSet()
    found = (p for root in roots or (DATA,) for p in root.iterdir() if (p / "qa.jsonl").is_file())
    for folder in sorted(found, key=lambda p: p.name):
        for _, row in _rows(folder / "articles.jsonl"):
            out.articles[row["id"]] = Article(
                id=row["id"],
                text=row["text"],
                title=row.get("title", ""),
                published=row.get("published", ""),
                source=row.get("source", ""),
            )
        for n, row in _rows(folder / "qa.jsonl"):
            if row["article_id"] not in out.articles:
                raise ValueError(f"{folder / 'qa.jsonl'}:{n}: unknown article {row['article_id']}")
            out.questions.append(
                Question(
                    id=row["id"],
                    article_id=row["article_id"],
                    text=row["question"],
                    kind=row["kind"],
                    answers=tuple(row.get("answers") or ()),
                    evidence=row.get("evidence") or "",
                )
            )
    return out


def _rows(path: Path) -> list[tuple[int, dict]]:
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                rows.append((n, json.loads(line)))
            except ValueError as exc:
                raise ValueError(f"{path}:{n}: not JSON ({exc})") from exc
    return rows


def split(data: DataSet, share: float, salt: str = "newsrag-reader") -> tuple[DataSet, DataSet]:
    """(train, validation) by article: an article is in validation when its salted hash falls
    under ``share``."""

    def held(article_id: str) -> bool:
        digest = hashlib.sha256(f"{salt}:{article_id}".encode()).digest()
        return int.from_bytes(digest[:4], "big") / 2**32 < share

    parts = DataSet(), DataSet()
    for a in data.articles.values():
        parts[held(a.id)].articles[a.id] = a
    for q in data.questions:
        parts[held(q.article_id)].questions.append(q)
    return parts


def answer_span(article: Article, q: Question) -> tuple[int, int] | None:
    """The answer's characters in the article: inside its evidence sentence when given."""
    text = article.text
    base = text.find(q.evidence) if q.evidence else -1
    for answer in q.answers:
        if base >= 0:
            at = q.evidence.find(answer)
            if at >= 0:
                return base + at, base + at + len(answer)
        at = text.find(answer)
        if at >= 0:
            return at, at + len(answer)
    return None


def twins(q: Question, article: Article, names: list[str], rng: random.Random) -> list[str]:
    """Questions with one constraint of ``q`` changed to a value ``article`` never states."""
    text = article.text
    lower = text.lower()
    out: list[str] = []
    for year in re.findall(r"\b(?:19|20)\d\d\b", q.text):
        for other in (int(year) - 1, int(year) + 1, int(year) - 2):
            if str(other) not in text:
                out.append(re.sub(rf"\b{year}\b", str(other), q.text, count=1))
                break
    for month in MONTHS:
        if re.search(rf"\b{month}\b", q.text):
            others = [m for m in MONTHS if m not in text and m != month]
            if others:
                out.append(re.sub(rf"\b{month}\b", rng.choice(others), q.text, count=1))
    for word, other in SWAPS.items():
        if re.search(rf"(?<![\w']){re.escape(word)}(?![\w'])", q.text) and other not in lower:
            swapped = re.sub(rf"(?<![\w']){re.escape(word)}(?![\w'])", other, q.text, count=1)
            out.append(swapped)
            break
    for name in _capitalised_names(q.text):
        if name in text and names:
            other = rng.choice(names)
            if other not in text and other.split()[-1] not in text:
                out.append(q.text.replace(name, other, 1))
                break
    return out


def _capitalised_names(text: str) -> list[str]:
    """Runs of capitalised words past the question's first word ("Lt. Gen. Aziz", "Dunmore")."""
    words = re.findall(r"(?<!^)\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*", text)
    return [w for w in words if len(w) > 3]


def chunker() -> Chunker:
    return Chunker(load_encoding("cl100k_base"), max_tokens=160, overlap_tokens=40)


def examples(data: DataSet, seed: int, with_twins: bool = True) -> list[Example]:
    """Every (question, passage) example of ``data``; deterministic for ``seed``."""
    rng = random.Random(seed)
    cut = chunker()
    chunks = {a.id: cut.split(a) for a in data.articles.values()}
    pool = Rivals.of([c for a in sorted(chunks) for c in chunks[a]])
    names = sorted({n for q in data.questions for n in _capitalised_names(q.text)})
    out: list[Example] = []
    for q in data.questions:
        article = data.articles[q.article_id]
        own = chunks[q.article_id]
        header = header_of(article.title, article.published)
        if q.kind == "answerable":
            span = answer_span(article, q)
            if span is None:
                continue
            holding = [c for c in own if c.start <= span[0] and span[1] <= c.end]
            others = [c for c in own if c not in holding]
            for c in holding:
                out.append(_example(q, c, header, span))
            for c in rng.sample(others, min(1, len(others))):
                out.append(_example(q, c, header, None))
            near = rival(q, pool)
            if near is not None:
                rival_article = data.articles[near.article_id]
                sh = header_of(rival_article.title, rival_article.published)
                out.append(_example(q, near, sh, None))
            if with_twins and holding:
                for text in twins(q, article, names, rng)[:2]:
                    twin = Question(q.id + "-twin", q.article_id, text, "twin")
                    out.append(_example(twin, holding[0], header, None))
        elif q.kind in UNANSWERABLE:
            at = article.text.find(q.evidence) if q.evidence else -1
            about = [c for c in own if at >= 0 and c.start <= at < c.end][:1]
            rest = [c for c in own if c not in about]
            extra = rng.sample(rest, min(2 - len(about), len(rest)))
            for c in about + extra:
                out.append(_example(q, c, header, None))
    return out


@dataclass(frozen=True, slots=True)
class Rivals:
    """Every chunk of the training articles under BM25, to find for a question the chunk of
    another article that looks most like its answer (the on-topic distractor the product's
    retrieval puts beside the answer)."""

    chunks: list[Chunk]
    index: Bm25

    @classmethod
    def of(cls, chunks: list[Chunk]) -> Rivals:
        return cls(chunks, Bm25.build(tokenize([c.text for c in chunks])))


def rival(q: Question, rivals: Rivals) -> Chunk | None:
    """The best BM25 chunk for ``q`` from an article other than its own."""
    scores = rivals.index.scores(tokenize([q.text])[0])
    for i in np.argsort(-scores, kind="stable")[:50]:
        if rivals.chunks[i].article_id != q.article_id:
            return rivals.chunks[i]
    return None


def _example(q: Question, c: Chunk, header: str, span: tuple[int, int] | None) -> Example:
    passage = Passage(c.text, header)
    if span is None:
        return Example(q.text, passage, -1, -1, q.id, q.kind)
    return Example(q.text, passage, span[0] - c.start, span[1] - c.start, q.id, q.kind)
