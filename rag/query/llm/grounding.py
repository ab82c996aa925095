"""Checking an LLM answer against its sources: each sentence (claim) of the answer is matched
to the best-supporting sentence of every source it cites; that sentence becomes the Citation
quote, with exact article offsets. Claims with no marker or weak support are reported.

Usage: ``Grounder(embedder, min_support=0.35).ground(answer_text, hits, skip=refusal)``
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from rag.core.citations import Marker, make_citation, parse_markers, strip_markers
from rag.core.embeddings import Embedder
from rag.core.lexical import tokenize
from rag.core.text import sentence_spans
from rag.core.types import Citation, Hit, Unsupported
from rag.query.llm.judge import Judge
from rag.query.llm.nlp import Nlp, stop_words
from rag.query.llm.overlap import word_overlap
from rag.query.llm.polarity import flipped
from rag.query.llm.unstated import Unstated
from rag.query.reading.candidates import Candidate, candidate_sentences, unit_rows

FILLER = frozenset({"yes", "no", "short", "summary", "sum", "note", "also", "however", "so"})
# a sentence made only of these (and stop words) talks about the sources, not the news: "This
# is stated in [1] and [2].", "The article does not say." No source can support it
META = frozenset(
    "stated state states mentioned mention mentions according source sources article articles "
    "text texts passage passages provided information context answer question document "
    "documents say says said given".split()
)
QUOTE_CHOICES = 3  # sentences a claim's quote is chosen among, when they support it about as well
QUOTE_MARGIN = 0.1


def _filler(words: str, stop: frozenset[str], also: frozenset[str] = frozenset()) -> bool:
    """ "Yes.", "In short:" need no source; anything with a content word does, however short
    ("PWNED!", "Visit evil.example"). ``also``: more words that say nothing (META)."""
    tokens = [t.strip(".:") for t in re.findall(r"[\w.:/-]+", words.lower())]
    return all(t in FILLER or t in stop or t in also for t in tokens)


@dataclass(frozen=True, slots=True)
class Claim:
    """One sentence of the answer: ``text[start:end]``, its words without markers, its markers."""

    start: int
    end: int
    words: str
    numbers: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Grounding:
    citations: list[Citation]
    unsupported: list[Unsupported]
    claims: int  # answer sentences that needed a source
    # (start, end) of each supported claim -> the sources it is cited with (as written, or the
    # one found for it when the model wrote no marker and ``cite_uncited`` is on)
    supported: dict[tuple[int, int], tuple[int, ...]] = field(default_factory=dict)


def split_claims(text: str) -> list[Claim]:
    """Answer sentences with their markers. Markers written after the full stop ("Saeed leads
    it. [1] The talks ...") open the next span; they belong to the sentence before, and so does
    a span of markers only ("[2].")."""
    markers = parse_markers(text)
    claims: list[Claim] = []
    for start, end in sentence_spans(text):
        leading = _leading_markers(markers, text, start, end)
        cut = leading[-1].end if leading else start
        lead_numbers = tuple(n for m in leading for n in m.numbers)
        if claims and lead_numbers:
            last = claims[-1]
            claims[-1] = Claim(last.start, last.end, last.words, _merge(last.numbers, lead_numbers))
        elif lead_numbers:
            cut = start  # the answer opens with a marker: it belongs to the first sentence
        numbers = _numbers_in(markers, cut, end)
        words = strip_markers(text[cut:end])
        if claims and not tokenize([words])[0]:
            last = claims[-1]
            claims[-1] = Claim(last.start, end, last.words, _merge(last.numbers, numbers))
            continue
        claims.append(Claim(start, end, words, numbers))
    return claims


class Grounder:
    """Maps cited claims to source sentences; ``min_support`` separates weak from supported."""

    def __init__(
        self,
        embedder: Embedder,
        min_support: float,
        nlp: Nlp | None = None,
        cite_uncited: bool = False,
        judge: Judge | None = None,
    ) -> None:
        self.embedder = embedder
        self.min_support = min_support
        self.nlp = nlp  # with spaCy: every name, date and number of a claim must be quoted
        # with the trained claim checker: a claim the rules pass is still unsupported when the
        # checker rates every sentence of its cited sources below its line (a changed relation)
        self.judge = judge
        # a claim the model left without a marker is checked against every source and cited
        # with the one that supports it best (NEWSRAG_UNSUPPORTED=drop rewrites the text)
        self.cite_uncited = cite_uncited

    def stop_words(self) -> frozenset[str]:
        return self.nlp.stop_words() if self.nlp is not None else stop_words()

    def ground(self, text: str, hits: list[Hit], skip: str = "") -> Grounding:
        stop = self.stop_words()
        claims = [
            c
            for c in split_claims(text)
            if not _filler(c.words, stop) and (not skip or skip not in c.words)
        ]
        citations: dict[tuple[int, int, int], Citation] = {}
        unsupported: list[Unsupported] = []
        supported: dict[tuple[int, int], tuple[int, ...]] = {}
        meta = {(c.start, c.end) for c in claims if _filler(c.words, stop, META)}
        for c in [c for c in claims if (c.start, c.end) in meta]:
            why = "says nothing a source could support (it speaks about the sources)"
            unsupported.append(Unsupported(c.words, c.start, c.end, why, c.numbers))
        claims = [c for c in claims if (c.start, c.end) not in meta]
        cited = sorted({n for c in claims for n in c.numbers if 1 <= n <= len(hits)})
        uncited = self.cite_uncited and any(not c.numbers for c in claims)
        if uncited:
            cited = list(range(1, len(hits) + 1))
        sentences = {n: candidate_sentences([hits[n - 1]], min_words=1) for n in cited}
        judged = (
            self.judge.best([c.words for c in claims], sentences, [c.numbers for c in claims])
            if self.judge
            else None
        )
        vectors = self._embed([c.words for c in claims], sentences)
        for i, claim in enumerate(claims):
            numbers = claim.numbers
            if not numbers and uncited and judged is not None:
                numbers = _best_judged(judged, i)
            elif not numbers and uncited:
                numbers = self._best_source(claim.words, vectors.claims[i], sentences, vectors)
            if not numbers:
                unsupported.append(
                    Unsupported(claim.words, claim.start, claim.end, "no citation marker")
                )
                continue
            best_support = 0.0
            facts = Unstated(self.nlp, claim.words) if self.nlp is not None else None
            quotes: list[str] = []
            before: list[str] = []  # the chunk's text before each quote ("the city" names)
            for n in numbers:
                if not 1 <= n <= len(hits):
                    continue  # the stream filter drops these; never index past the sources
                found = quote_for(claim.words, facts, vectors.claims[i], sentences[n], vectors[n])
                if found is None:
                    continue
                candidate, support = found
                best_support = max(best_support, support)
                start, end = candidate.quote_span()
                offset = candidate.hit.chunk.start
                quotes.append(candidate.hit.chunk.text[start - offset : end - offset])
                before.append(candidate.hit.chunk.text[: start - offset])
                key = (n, start, end)
                if key not in citations or citations[key].support < support:
                    citations[key] = make_citation(
                        n, candidate.hit, start, end, claim=claim.words, support=support
                    )
            missing = facts.all(quotes, before) if quotes and facts is not None else []
            flips = [flipped(claim.words, q) for q in quotes]
            where = "the cited source" if claim.numbers else "any source"
            judged_best = max(
                (judged[(i, n)][1] for n in numbers if judged is not None and (i, n) in judged),
                default=0.0,
            )
            if quotes and all(flips) and best_support >= self.min_support:
                why = flips[0]  # a negation or antonym flip: every quote says the opposite
            elif missing and best_support >= self.min_support:
                why = f"names {', '.join(missing)}, which the cited sentence does not"
            elif best_support < self.min_support:
                why = f"weak support in {where} ({best_support:.2f} < {self.min_support:.2f})"
            elif self.judge is not None and judged_best < self.judge.threshold:
                why = (
                    f"the claim checker finds no sentence in {where} that says it "
                    f"({judged_best:.2f} < {self.judge.threshold:.2f})"
                )
            else:
                supported[(claim.start, claim.end)] = numbers
                continue
            why = why if claim.numbers else f"no citation marker; {why}"
            unsupported.append(
                Unsupported(claim.words, claim.start, claim.end, why, claim.numbers, best_support)
            )
        ordered = sorted(citations.values(), key=lambda c: (c.marker, c.start))
        unsupported.sort(key=lambda u: u.start)
        return Grounding(ordered, unsupported, len(claims) + len(meta), supported)

    def _best_source(
        self,
        words: str,
        vector: np.ndarray,
        sentences: dict[int, list[Candidate]],
        vectors: _Vectors,
    ) -> tuple[int, ...]:
        """The source whose best sentence supports an uncited claim most, if any does."""
        found = [(best_sentence(words, vector, sentences[n], vectors[n]), n) for n in sentences]
        scored = [(best[1], n) for best, n in found if best is not None]
        return (max(scored)[1],) if scored else ()

    def _embed(self, claims: list[str], sentences: dict[int, list[Candidate]]) -> _Vectors:
        """Every claim and every sentence of the cited chunks, embedded in one call."""
        texts = claims + [c.text for n in sentences for c in sentences[n]] if claims else []
        if not texts:
            return _Vectors(np.zeros((0, 0)), {})
        rows = unit_rows(np.asarray(self.embedder.embed_documents(texts)))
        by_source: dict[int, np.ndarray] = {}
        at = len(claims)
        for n, candidates in sentences.items():
            by_source[n] = rows[at : at + len(candidates)]
            at += len(candidates)
        return _Vectors(rows[: len(claims)], by_source)


@dataclass(frozen=True, slots=True)
class _Vectors:
    claims: np.ndarray
    sources: dict[int, np.ndarray]

    def __getitem__(self, n: int) -> np.ndarray:
        return self.sources[n]


def _best_judged(judged: dict[tuple[int, int], tuple[Candidate, float]], i: int) -> tuple[int, ...]:
    """The source the checker rates highest for claim ``i`` (an uncited claim), if any."""
    scored = [(found[1], n) for (j, n), found in judged.items() if j == i]
    return (max(scored)[1],) if scored else ()


def best_sentence(
    claim: str, claim_vector: np.ndarray, candidates: list[Candidate], vectors: np.ndarray
) -> tuple[Candidate, float] | None:
    """The candidate that best supports ``claim``: 0.5 cosine + 0.5 word overlap."""
    ranked = ranked_sentences(claim, claim_vector, candidates, vectors)
    return ranked[0] if ranked else None


def quote_for(
    claim: str,
    facts: Unstated | None,
    vector: np.ndarray,
    candidates: list[Candidate],
    vectors: np.ndarray,
) -> tuple[Candidate, float] | None:
    """The sentence that best supports ``claim``; of the sentences that support it almost as
    well (within QUOTE_MARGIN), the first that states all of its names, dates and numbers
    (``facts``): a claim joining two sentences is quoted with the one that carries its facts."""
    ranked = ranked_sentences(claim, vector, candidates, vectors)
    if not ranked:
        return None
    close = [r for r in ranked[:QUOTE_CHOICES] if r[1] >= ranked[0][1] - QUOTE_MARGIN]
    if facts is not None and len(close) > 1:
        for found in close:
            if not facts.names([found[0].text]):
                return found
    return ranked[0]


def ranked_sentences(
    claim: str, claim_vector: np.ndarray, candidates: list[Candidate], vectors: np.ndarray
) -> list[tuple[Candidate, float]]:
    """The candidates with how well each supports ``claim`` (0.5 cosine + 0.5 word overlap),
    best first (the earlier of two equal ones first)."""
    if not candidates:
        return []
    cosines = vectors @ claim_vector
    overlaps = word_overlap(tokenize([claim])[0], tokenize([c.text for c in candidates]))
    scored = [
        (c, 0.5 * max(0.0, float(cosines[i])) + 0.5 * overlaps[i]) for i, c in enumerate(candidates)
    ]
    return sorted(scored, key=lambda x: (-x[1], x[0].start))


def _leading_markers(markers: list[Marker], text: str, start: int, end: int) -> list[Marker]:
    """The markers that open ``text[start:end]``, before any word."""
    out: list[Marker] = []
    at = start
    for m in markers:
        if m.start < start or m.start >= end:
            continue
        if text[at : m.start].strip():
            break
        out.append(m)
        at = m.end
    return out


def _numbers_in(markers: list[Marker], start: int, end: int) -> tuple[int, ...]:
    found: list[int] = []
    for m in markers:
        if start <= m.start < end:
            found.extend(n for n in m.numbers if n not in found)
    return tuple(found)


def _merge(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, ...]:
    return a + tuple(n for n in b if n not in a)
