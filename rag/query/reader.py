"""The offline reader: which retrieved sentence answers the question, what the short answer in
it is, and how sure that is.

1. Every candidate sentence gets cheap features: idf-weighted overlap of stemmed words with the
   question (PyStemmer, as BM25 stems), the same for the question's words its article's
   headline does not hold ("spec": the words that tell one sentence of the story from
   another, where the headline's restate the topic every sentence shares), bigram overlap,
   and its passage's fused rank, cosine and BM25 score. A logistic model over these alone
   (``ReaderModel.cheap``) pre-ranks them.
2. The best ``deep`` sentences are read with spaCy (rag.query.nlp) and the embedder: an entity
   of the type the question asks for (rag.query.answer_types) that the question does not name,
   lemma overlap (all the question's content lemmas, and those not in the headline), and the
   sentence's own cosine to the question. The sentence model, over all of these, ranks them
   again.
3. The short answer is the entity of the expected type in the best sentences
   (rag.query.short_answer) that a third logistic model (the span model) rates best, shown
   only when that model gives it at least ``span_threshold``: no short answer beats a wrong
   one. The confidence is a second logistic model over the evidence (best sentence, type
   match, agreement between sentences, retrieval scores).
4. "What does TIFA stand for?" is answered by the long form a sentence spells out
   (rag.query.acronyms), whatever the confidence model says.

The weights are fitted by ``python -m eval.fit`` (cross-validated by article) and ship in
``rag/models/reader.json``.

Usage: ``reading = Reader(embedder, nlp, model).read(retrieval)``; ``reading.confidence``
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

import numpy as np

from rag.core.embeddings import Embedder
from rag.core.lexical import tokenize
from rag.core.types import Retrieval
from rag.query.acronyms import asked_acronym, defined_in
from rag.query.answer_types import expected_labels, focus_at
from rag.query.candidates import Candidate, candidate_sentences, unit_rows
from rag.query.nlp import Entity, Nlp
from rag.query.overlap import off_headline, specific_overlap, word_overlap
from rag.query.short_answer import AGE, Span, named_in, sigmoid, spans

CHEAP_FEATURES = ("overlap", "bigram", "rr", "dense", "lexical", "spec_overlap")
SENTENCE_FEATURES = (*CHEAP_FEATURES, "type_match", "lemma", "cosine", "spec_lemma")
# A news dateline opening a sentence ("CARROW, March 17 — ", "WASHINGTON (CNN) — "): its place
# and date say where and when the story was filed, not what the story says.
_DATELINE = re.compile(
    r"^\s*(?:[A-Z][A-Z .'’-]{2,40}(?:,\s*[A-Z][a-z]{2,9}\.?\s+\d{1,2}(?:,\s*\d{4})?)?\s*)?"
    r"(?:\((?:CNN|AP|Reuters|AFP|VOA)\)\s*)?[—–]\s*"
)
QUESTION_FEATURES = (
    "best", "margin", "type_match", "has_short", "agree", "dense", "lexical", "overlap", "typed",
    "absent", "absent_best",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Logistic:
    """``sigmoid(bias + sum(weight * feature))`` over named features."""

    weights: dict[str, float]
    bias: float

    def logit(self, features: dict[str, float]) -> float:
        return self.bias + sum(w * features.get(f, 0.0) for f, w in self.weights.items())


@dataclass(frozen=True, slots=True)
class ReaderModel:
    """The fitted sentence ranker, answerability model and span model, and where to draw the
    lines."""

    sentence: Logistic
    answerable: Logistic
    threshold: float  # answer when the confidence is at least this
    deep: int = 8
    cheap: Logistic | None = None  # pre-ranks on CHEAP_FEATURES (None: the sentence model)
    span: Logistic | None = None  # None: the span with the highest heuristic, always shown
    span_threshold: float = 0.0  # show the short answer when the span model gives this

    @classmethod
    def load(cls, path: Path | None = None) -> ReaderModel:
        """``path`` or the bundled rag/models/reader.json."""
        text = (
            path.read_text(encoding="utf-8")
            if path
            else files("rag").joinpath("models", "reader.json").read_text(encoding="utf-8")
        )
        data = json.loads(text)
        span, cheap = data.get("span"), data.get("cheap")
        return cls(
            sentence=Logistic(data["sentence"]["weights"], data["sentence"]["bias"]),
            answerable=Logistic(data["answerable"]["weights"], data["answerable"]["bias"]),
            threshold=float(data["threshold"]),
            deep=int(data.get("deep", 8)),
            cheap=Logistic(cheap["weights"], cheap["bias"]) if cheap else None,
            span=Logistic(span["weights"], span["bias"]) if span else None,
            span_threshold=float(data.get("span_threshold", 0.0)),
        )

    def rate(self, span: Span) -> float:
        """How likely ``span`` is the answer (the heuristic share without a span model)."""
        if self.span is None:
            return span.features["share"]
        return sigmoid(self.span.logit(span.features))


@dataclass(slots=True)
class Evidence:
    """A candidate sentence with its features, its score (a logit) and its entities."""

    candidate: Candidate
    features: dict[str, float]
    score: float = 0.0
    entities: tuple[Entity, ...] = ()
    lemma_at: tuple[tuple[str, int], ...] = ()


@dataclass(slots=True)
class Reading:
    """What the reader found: sentences best first, the short answer, and the confidence."""

    ranked: list[Evidence]
    short: str = ""  # "" when no candidate is likely enough to lead the answer
    short_from: Evidence | None = None  # the sentence of the likeliest candidate, shown or not
    confidence: float = 0.0
    features: dict[str, float] = field(default_factory=dict)
    spans: list[Span] = field(default_factory=list)  # every candidate short answer


class Reader:
    """Ranks candidate sentences, finds the short answer and rates the evidence."""

    def __init__(self, embedder: Embedder, nlp: Nlp, model: ReaderModel) -> None:
        self.embedder = embedder
        self.nlp = nlp
        self.model = model

    def read(self, retrieval: Retrieval) -> Reading:
        question = retrieval.question
        evidence = self._cheap(question, retrieval)
        if not evidence:
            return Reading([], features=dict.fromkeys(QUESTION_FEATURES, 0.0))
        cheap = self.model.cheap or self.model.sentence
        for e in evidence:
            e.score = cheap.logit(e.features)
        evidence.sort(key=lambda e: -e.score)
        deep = evidence[: self.model.deep]
        labels = expected_labels(question)
        q_lemmas, focus = self._deepen(question, retrieval.vector, labels, deep)
        for e in deep:
            e.score = self.model.sentence.logit(e.features)
        deep.sort(key=lambda e: -e.score)
        ranked = deep + evidence[self.model.deep :]
        found = spans(question, labels, deep, q_lemmas, focus=focus)
        pick = max(found, key=self.model.rate, default=None)
        features = _question_features(ranked, labels, pick, retrieval)
        shown = pick is not None and self.model.rate(pick) >= self.model.span_threshold
        short = pick.text if pick and shown else ""
        source = pick.source if pick else None  # quoted even when too unsure to lead with
        features.update(_absence(question, ranked[0], retrieval))
        confidence = sigmoid(self.model.answerable.logit(features))
        defined = _definition(question, ranked)
        if defined is not None:  # the text spells the acronym out: that is the answer
            short, source = defined
            ranked = [source, *(e for e in ranked if e is not source)]
            confidence = max(confidence, self.model.threshold)
        return Reading(ranked, short, source, confidence, features, found)

    def _cheap(self, question: str, retrieval: Retrieval) -> list[Evidence]:
        candidates = candidate_sentences(retrieval.hits)
        if not candidates:
            return []
        q_terms = tokenize([question])[0]
        tokens = tokenize([c.text for c in candidates])
        overlaps = word_overlap(q_terms, tokens)
        specific = specific_overlap(q_terms, [c.hit.title for c in candidates], tokens)
        q_bigrams = set(zip(q_terms, q_terms[1:], strict=False))
        ranks = {h.chunk.id: r for r, h in enumerate(retrieval.hits, 1)}
        top_lexical = max((h.lexical for h in retrieval.hits), default=0.0) or 1.0
        out = []
        for c, toks, overlap, spec in zip(candidates, tokens, overlaps, specific, strict=True):
            bigrams = set(zip(toks, toks[1:], strict=False))
            features = {
                "overlap": overlap,
                "bigram": len(q_bigrams & bigrams) / max(1, len(q_bigrams)),
                "rr": 1.0 / ranks.get(c.hit.chunk.id, len(ranks) + 1),
                "dense": max(0.0, c.hit.dense),
                "lexical": c.hit.lexical / top_lexical,
                "spec_overlap": spec,
            }
            out.append(Evidence(c, features))
        return out

    def _deepen(
        self, question: str, vector: list[float], labels: tuple[str, ...], deep: list[Evidence]
    ) -> tuple[set[str], str]:
        """Add the deep features to ``deep``; returns the question's content lemmas and the
        lemma of the noun it counts ("how many days" -> "day"; "" if none)."""
        parsed = self.nlp.parse([question] + [e.candidate.text for e in deep])
        at = focus_at(question)
        focus = next((lemma for lemma, i in parsed[0].lemma_at if i == at), "")
        stop = self.nlp.stop_words()
        q_lemmas = {lemma for lemma in parsed[0].lemmas if len(lemma) > 2 and lemma not in stop}
        cosines = self._cosines(vector, deep)
        titles = {e.candidate.hit.title for e in deep}  # once per article, not per sentence
        off = {title: off_headline(q_lemmas, title) for title in titles}
        for e, p, cosine in zip(deep, parsed[1:], cosines, strict=True):
            dateline = _DATELINE.match(e.candidate.text)
            cut = dateline.end() if dateline else 0
            e.entities = tuple(x for x in p.entities if x.start >= cut and not AGE.search(x.text))
            new = [x for x in p.entities if not named_in(x.text, question, x.label)]
            typed = [x for x in new if x.label in labels]
            e.features["type_match"] = 1.0 if typed else (0.5 if not labels else 0.0)
            lemmas = set(p.lemmas)
            e.features["lemma"] = len(q_lemmas & lemmas) / max(1, len(q_lemmas))
            specific = off[e.candidate.hit.title]
            e.features["spec_lemma"] = len(specific & lemmas) / len(specific) if specific else 0.0
            e.features["cosine"] = cosine
            e.lemma_at = p.lemma_at
        return q_lemmas, focus

    def _cosines(self, vector: list[float], deep: list[Evidence]) -> list[float]:
        if not deep or not vector:
            return [0.0] * len(deep)
        rows = unit_rows(
            np.asarray(self.embedder.embed_documents([e.candidate.text for e in deep]))
        )
        q = unit_rows(np.asarray(vector)[None, :])[0]
        return [max(0.0, float(x)) for x in rows @ q]


def _definition(question: str, ranked: list[Evidence]) -> tuple[str, Evidence] | None:
    """For "What does TIFA stand for?", the long form the best sentence defining it gives."""
    acronym = asked_acronym(question)
    for e in ranked if acronym else ():
        span = defined_in(acronym, e.candidate.text)
        if span:
            return e.candidate.text[span[0] : span[1]], e
    return None


def _question_features(
    ranked: list[Evidence],
    labels: tuple[str, ...],
    pick: Span | None,
    retrieval: Retrieval,
) -> dict[str, float]:
    best = ranked[0]
    second = ranked[1].score if len(ranked) > 1 else best.score - 5.0
    return {
        "best": best.score,
        "margin": min(5.0, best.score - second),
        "type_match": best.features.get("type_match", 0.0),
        "has_short": 1.0 if pick else 0.0,
        "agree": min(3.0, float(pick.support)) if pick else 0.0,
        "dense": max((h.dense for h in retrieval.hits), default=0.0),
        "lexical": math.log1p(max((h.lexical for h in retrieval.hits), default=0.0)),
        "overlap": best.features.get("overlap", 0.0),
        "typed": 1.0 if labels else 0.0,
    }


def _absence(question: str, best: Evidence, retrieval: Retrieval) -> dict[str, float]:
    """Shares of the question's words (stemmed) that no retrieved chunk holds, and that the best
    sentence and the one before it do not: a question about a detail the articles never give
    ("What is the mayor's salary?") asks for words they do not use."""
    terms = set(tokenize([question])[0])
    if not terms:
        return {"absent": 0.0, "absent_best": 0.0}
    everywhere = set(tokenize([" ".join(h.chunk.text for h in retrieval.hits)])[0])
    c = best.candidate
    start = c.context_start if c.context_start is not None else c.start
    chunk = c.hit.chunk
    near = set(tokenize([chunk.text[start - chunk.start : c.end - chunk.start]])[0])
    return {
        "absent": len(terms - everywhere) / len(terms),
        "absent_best": len(terms - near) / len(terms),
    }
