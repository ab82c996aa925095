"""What kind of thing a question asks for, as spaCy entity labels: "Who ...?" -> PERSON (or ORG,
NORP), "When ...?" -> DATE/TIME, "How many ...?" -> CARDINAL, "How much ...?" -> MONEY,
"Which company ...?" -> ORG. The entities themselves come from spaCy's NER (rag.query.nlp);
this module only maps the question's form to the labels an answer should carry.

Usage: ``expected_labels("Who leads the Pakistani delegation?") -> ("PERSON", "ORG", "NORP")``
"""

from __future__ import annotations

import re

_WH_RULES: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = (
    (
        re.compile(
            r"\bhow (?:much|expensive)\b|\bwhat (?:percentage|percent|amount|share|price|sum|"
            r"fine|cost|salary|budget|value)\b",
            re.I,
        ),
        ("MONEY", "PERCENT", "QUANTITY", "CARDINAL"),
    ),
    (
        re.compile(
            r"\bhow (?:many|large|big|tall|far|high|heavy|fast)\b|\bwhat (?:number|size)\b", re.I
        ),
        ("CARDINAL", "QUANTITY", "MONEY", "PERCENT"),
    ),
    (re.compile(r"\bhow (?:old|long)\b|\bwhat age\b", re.I), ("DATE", "TIME", "CARDINAL")),
    (
        re.compile(
            r"\bwhen\b|\b(?:what|which) (?:date|day|year|month|time|decade|century)\b|"
            r"\bhow soon\b",
            re.I,
        ),
        ("DATE", "TIME"),
    ),
    (re.compile(r"\bwhere\b", re.I), ("GPE", "LOC", "FAC", "ORG")),
)
_NOUNS: tuple[tuple[tuple[str, ...], str], ...] = (
    (
        ("ORG",),
        "company firm brand network team organization organisation group agency party "
        "university newspaper outlet airline bank automaker retailer maker manufacturer club "
        "league union charity institution department ministry court channel studio label school "
        "college startup business corporation publisher platform app service",
    ),
    (
        ("GPE", "LOC"),
        "country nation city state continent region island capital province county town "
        "territory ocean sea river lake mountain place area location neighborhood district village",
    ),
    (
        ("WORK_OF_ART", "PRODUCT", "ORG", "EVENT"),
        "show series film movie book song album novel play game podcast documentary musical "
        "painting program programme title",
    ),
    (
        ("PERSON",),
        "person people official leader president actor actress singer player athlete star "
        "celebrity author writer rapper musician artist director judge senator governor minister "
        "ceo founder billionaire lawmaker candidate man woman coach member spokesperson "
        "journalist executive chef comedian host king queen prince princess pope general mayor",
    ),
    (
        ("EVENT",),
        "event tournament championship festival storm hurricane war battle election "
        "competition race award",
    ),
    (("LAW",), "law bill act legislation rule regulation amendment treaty"),
    (("NORP",), "nationality religion"),
    (("LANGUAGE",), "language"),
    (
        ("PRODUCT",),
        "product phone car vehicle device drug vaccine medication aircraft plane rocket ship "
        "spacecraft telescope robot",
    ),
    (("FAC",), "airport bridge building stadium museum tower station highway road"),
)
_NOUN_LABELS = {noun: labels for labels, nouns in _NOUNS for noun in nouns.split()}
_WH = re.compile(r"\b(?:who|whom|whose|what|which|when|where|how)\b", re.I)
_WHICH = re.compile(r"\b(?:which|what)\b", re.I)
_WHO = re.compile(r"\bwho(?:m|se)?\b", re.I)


def expected_labels(question: str) -> tuple[str, ...]:
    """The spaCy labels an answer should carry, most likely first; () when the form says none."""
    parts = [p for p in re.split(r"(?<=[.?!])\s+", question.strip()) if p]
    clause = next((p for p in reversed(parts) if _WH.search(p)), question)
    for pattern, labels in _WH_RULES:
        if pattern.search(clause):
            return labels
    which = _WHICH.search(clause)
    if which:
        for word in re.findall(r"[A-Za-z'-]+", clause[which.end() :])[:5]:
            word = word.lower()
            labels = _NOUN_LABELS.get(word) or _NOUN_LABELS.get(word.removesuffix("s"))
            if labels:
                return labels
    if _WHO.search(clause):
        return ("PERSON", "ORG", "NORP")
    return ()


_HOW_LONG = re.compile(r"\bhow long\b|\bfor how (?:many|much)\b|\bwhat (?:duration|length)\b", re.I)
TIME_UNITS = frozenset(
    "second minute hour day night week weekend fortnight month year decade century".split()
)
_DURATION = re.compile(rf"\b(?:{'|'.join(sorted(TIME_UNITS))})s?\b", re.I)


def wants_duration(question: str) -> bool:
    """ "How long ...?" asks for a span of time: spaCy labels "four-day" and "seven minutes"
    DATE or TIME like any date, so the span is told apart by its unit."""
    return bool(_HOW_LONG.search(question))


def is_duration(entity: str) -> bool:
    return bool(_DURATION.search(entity.replace("-", " ")))


_FOCUS = re.compile(
    r"\bhow (?:many|much)\s+(?:more\s+|fewer\s+)?(?!(?:of|did|do|does|is|are|was|were|has|have"
    r"|had|will|would|can|could|should|the|a|an|in|on|at|for|to)\b)([A-Za-z][A-Za-z-]*)",
    re.I,
)  # "how many of the ...", "how much did ..." count no noun


def focus_at(question: str) -> int | None:
    """Where the noun a "how many"/"how much" question counts starts ("How many *days* ...",
    "how much *rain*"), or None: the answer is the number of that noun ("five-day strike",
    "3,400 nurses"), not any number of the sentence."""
    found = _FOCUS.search(question)
    return found.start(1) if found else None
