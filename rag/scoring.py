"""How well a sentence answers a question: meaning, shared words, and the expected answer type.

Usage: ``scorer = SentenceScorer(question, sentences); scorer.features(i, cosine)``
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

STOPWORDS = frozenset(
    """a an the and or but if of to in on at by for with from as into about over after before
    is are was were be been being am do does did has have had having will would shall should can
    could may might must what which who whom whose when where why how that this these those
    it its he she they them his her their we our you your i me my not no than then there here
    so such also just only very more most much many any some all each both other said says say
    tell told according""".split()
)
_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")
_NAME = re.compile(r"\b[A-Z][a-zA-Z'’-]+(?:\s+(?:[A-Z][a-zA-Z'’.-]+|of|de|al|bin|van|von))*")
_MONTHS = ("january february march april may june july august september october november "
           "december jan feb mar apr jun jul aug sep sept oct nov dec").split()
_DATE = re.compile(
    r"\b(?:(?:19|20)\d\d|" + "|".join(_MONTHS) + r"|monday|tuesday|wednesday|thursday|friday"
    r"|saturday|sunday|today|yesterday|tomorrow|tonight|(?:last|next|this) (?:week|month|year)"
    r"|weeks?|months?|years?|days?|decades?|centur(?:y|ies))\b", re.IGNORECASE)
_NUMBER = re.compile(
    r"\b(?:\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|"
    r"thirty|forty|fifty|hundred|thousand|million|billion|trillion|dozens?|half|percent)\b",
    re.IGNORECASE)
_TYPES = (
    ("number", re.compile(r"\bhow (?:many|much|old|long|far|big|large)\b|\bwhat (?:percentage|"
                          r"number|amount|age)\b", re.IGNORECASE)),
    ("date", re.compile(r"\bwhen\b|\bwhat (?:date|day|year|month|time)\b|\bwhich (?:date|day|"
                        r"year|month)\b|\bhow soon\b", re.IGNORECASE)),
    ("name", re.compile(r"\bwho(?:m|se)?\b|\bwhere\b|\b(?:which|what) (?:\w+ )?(?:newspaper|"
                        r"country|city|state|company|group|organi[sz]ation|team|agency|party|"
                        r"person|official|leader|president|firm|network|outlet|nation|region|"
                        r"continent|island|show|film|movie|book|brand)s?\b", re.IGNORECASE)),
)


def words(text: str) -> list[str]:
    """Lower-cased word tokens with a crude plural fold ("generals" -> "general")."""
    out = []
    for token in _WORD.findall(text.lower()):
        token = token.replace("’", "'")
        if len(token) > 3 and token.endswith("s") and not token.endswith("ss"):
            token = token[:-1]
        out.append(token)
    return out


def content_words(text: str) -> list[str]:
    return [w for w in words(text) if w not in STOPWORDS]


def answer_type(question: str) -> str | None:
    """'number', 'date', 'name' or None, from the question's wording."""
    for name, pattern in _TYPES:
        if pattern.search(question):
            return name
    return None


@dataclass(frozen=True, slots=True)
class Features:
    """The scores one sentence gets for one question (each in 0..1)."""

    cosine: float
    overlap: float
    type_match: float
    novelty: float


class SentenceScorer:
    """Scores candidate sentences against one question; idf comes from the candidates."""

    def __init__(self, question: str, sentences: list[str]) -> None:
        self.question = question
        self.kind = answer_type(question)
        self.q_terms = set(content_words(question))
        self.q_lower = question.lower()
        self.terms = [set(content_words(s)) for s in sentences]
        self.sentences = sentences
        df = Counter(t for terms in self.terms for t in terms)
        n = max(1, len(sentences))
        self.idf = {t: math.log(1 + n / (1 + df[t])) + 0.1 for t in self.q_terms}

    def features(self, i: int, cosine: float) -> Features:
        return Features(
            cosine=max(0.0, cosine),
            overlap=self._overlap(i),
            type_match=self._type_match(i),
            novelty=self._novelty(i),
        )

    def _overlap(self, i: int) -> float:
        total = sum(self.idf.values())
        if not total:
            return 0.0
        return sum(w for t, w in self.idf.items() if t in self.terms[i]) / total

    def _novelty(self, i: int) -> float:
        """Share of the sentence's content words that the question does not already say."""
        terms = self.terms[i]
        return len(terms - self.q_terms) / len(terms) if terms else 0.0

    def _type_match(self, i: int) -> float:
        """1 when the sentence holds something of the expected type that the question lacks."""
        if self.kind is None:
            return 0.5
        sentence = self.sentences[i]
        if self.kind == "number":
            found = _NUMBER.findall(sentence)
        elif self.kind == "date":
            found = _DATE.findall(sentence)
        else:
            found = [m.group(0) for m in _NAME.finditer(sentence) if m.start() > 0 or
                     len(m.group(0).split()) > 1]
        return 1.0 if any(f.lower() not in self.q_lower for f in found) else 0.0
