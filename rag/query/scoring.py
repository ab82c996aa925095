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
    tell told according say tell""".split()
)
_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")
_NAME = re.compile(r"\b[A-Z][a-zA-Z'’-]+(?:\s+(?:[A-Z][a-zA-Z'’.-]+|of|de|al|bin|van|von))*")
_TITLES = (
    r"(?:Mr|Mrs|Ms|Dr|Prof|Sir|Dame|Lt|Gen|Col|Maj|Capt|Sgt|Adm|Gov|Sen|Rep|Rev|St|"
    r"President|Prime Minister|Minister|Secretary|Senator|Governor|Mayor|Judge|Justice|"
    r"Chancellor|King|Queen|Prince|Princess|Pope|Chief|Director|Chairman|Chairwoman|CEO|"
    r"Ambassador|Commissioner|Representative|Speaker|General|Colonel|Major|Captain)\.?"
)
_TITLED = re.compile(r"\b(?:" + _TITLES + r"\s+)+[A-Z][a-zA-Z'’-]+")
_FULL_NAME = re.compile(r"\b[A-Z][a-z'’-]+(?:\s+[A-Z]\.)?\s+[A-Z][a-zA-Z'’-]+")
_ORG_WORDS = frozenset(
    """ministry department office agency council committee party company
    university association union court house senate congress army navy force forces bank
    group news times post headquarters government state states nations republic united city
    county street staff affairs foreign joint service services defense defence security
    national international federal world white supreme general chief new north south east west
    american british chinese russian european pakistani indian israeli the a an in on at
    of for and but this that monday tuesday wednesday thursday
    friday saturday sunday january february march april may june july august september october
    november december""".split()
)
_MONTHS = (
    "january february march april may june july august september october november "
    "december jan feb mar apr jun jul aug sep sept oct nov dec"
).split()
_DATE = re.compile(
    r"\b(?:(?:19|20)\d\d|" + "|".join(_MONTHS) + r"|monday|tuesday|wednesday|thursday|friday"
    r"|saturday|sunday|today|yesterday|tomorrow|tonight|(?:last|next|this) (?:week|month|year)"
    r"|weeks?|months?|years?|days?|decades?|centur(?:y|ies))\b",
    re.IGNORECASE,
)
_AMOUNT = re.compile(
    r"[$€£¥]\s?\d|\b\d[\d,.]*\s?(?:%|percent|million|billion|trillion|"
    r"dollars|euros|pounds|rupees|yuan)|\b(?:million|billion|trillion|"
    r"percent|dollars)\b",
    re.IGNORECASE,
)
_NUMBER = re.compile(
    r"\b(?:\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|"
    r"thirty|forty|fifty|hundred|thousand|million|billion|trillion|dozens?|half|percent)\b",
    re.IGNORECASE,
)
_TYPES = (
    (
        "amount",
        re.compile(
            r"\bhow much\b|\bwhat (?:percentage|amount|share|price|sum)\b|"
            r"\bhow (?:big|large)\b",
            re.IGNORECASE,
        ),
    ),
    ("number", re.compile(r"\bhow (?:many|old|long|far)\b|\bwhat (?:number|age)\b", re.IGNORECASE)),
    (
        "date",
        re.compile(
            r"\bwhen\b|\bwhat (?:date|day|year|month|time)\b|\bwhich (?:date|day|"
            r"year|month)\b|\bhow soon\b",
            re.IGNORECASE,
        ),
    ),
    (
        "person",
        re.compile(
            r"^\s*who(?:m|se)?\b|\bwho (?:is|was|are|were|will|leads|led|won)\b", re.IGNORECASE
        ),
    ),
    (
        "name",
        re.compile(
            r"\bwho(?:m|se)?\b|\bwhere\b|\b(?:which|what) (?:\w+ )?(?:newspaper|"
            r"country|city|state|company|group|organi[sz]ation|team|agency|party|"
            r"person|official|leader|president|firm|network|outlet|nation|region|"
            r"continent|island|show|film|movie|book|brand)s?\b",
            re.IGNORECASE,
        ),
    ),
)


IRREGULAR = {
    "led": "lead",
    "leads": "lead",
    "leading": "lead",
    "won": "win",
    "wins": "win",
    "said": "say",
    "says": "say",
    "told": "tell",
    "met": "meet",
    "took": "take",
    "taken": "take",
    "gave": "give",
    "given": "give",
    "went": "go",
    "gone": "go",
    "made": "make",
    "held": "hold",
    "left": "leave",
    "killed": "kill",
    "died": "die",
    "dead": "die",
    "death": "die",
    "began": "begin",
    "begun": "begin",
    "chose": "choose",
    "chosen": "choose",
    "fell": "fall",
    "rose": "rise",
    "paid": "pay",
    "sold": "sell",
    "bought": "buy",
    "built": "build",
    "spent": "spend",
    "found": "find",
    "wrote": "write",
    "written": "write",
    "ran": "run",
    "sent": "send",
    "brought": "bring",
    "thought": "think",
    "lost": "lose",
    "struck": "strike",
    "hit": "hit",
}


def stem(token: str) -> str:
    """A crude English stem: irregular verbs, then -ing / -ed / -es / -s endings."""
    if token in IRREGULAR:
        return IRREGULAR[token]
    for suffix in ("ing", "ed", "es", "s"):
        if len(token) > len(suffix) + 3 and token.endswith(suffix) and not token.endswith("ss"):
            return token[: -len(suffix)]
    return token


def words(text: str) -> list[str]:
    """Lower-cased, stemmed word tokens ("generals" -> "general", "led" -> "lead")."""
    return [stem(t.replace("’", "'")) for t in _WORD.findall(text.lower())]


def content_words(text: str) -> list[str]:
    return [w for w in words(text) if w not in STOPWORDS]


def answer_type(question: str) -> str | None:
    """'amount', 'number', 'date', 'person', 'name' or None, from the question's wording."""
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
        if self.kind == "amount":
            found = _AMOUNT.findall(sentence)
        elif self.kind == "number":
            found = _NUMBER.findall(sentence)
        elif self.kind == "person":
            found = _TITLED.findall(sentence) + [
                m.group(0)
                for m in _FULL_NAME.finditer(sentence)
                if not set(m.group(0).lower().split()) & _ORG_WORDS
            ]
        elif self.kind == "date":
            found = _DATE.findall(sentence)
        else:
            found = [
                m.group(0)
                for m in _NAME.finditer(sentence)
                if m.start() > 0 or len(m.group(0).split()) > 1
            ]
        return 1.0 if any(f.lower() not in self.q_lower for f in found) else 0.0
