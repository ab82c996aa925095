"""The kind of value a question asks for, and whether an answer span is one: "How much did the
council pay ...?" wants an amount of money (not "25 percent"), "How long did the strike last?"
a duration (not "1,340 metres"), "How old is ...?" an age, "How many pilots ...?" a count of
pilots (not "96 aircraft" from a sentence that never names a pilot), and the measures of
rag.core.slots ("What share ...?" a percentage). The reader model often lands on the
neighbouring slot of a sentence that is about the question but does not answer it; a passage
none of whose best spans is of the wanted kind counts less toward answering the question
(rag.query.retrieval.rerank.of_kind).

Usage: ``wanted = wants("How many pilots does it employ?")``;
``fits_kind(wanted, "96", "a fleet of ", " aircraft.") -> False``
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rag.core.numbers import MEASURES, NUMBER, SMALL
from rag.core.slots import LENGTH, asked, fits
from rag.core.values import Value, counted_alike, parse_value

CONTEXT = 60  # characters each side of a span that ``span_fits`` reads

_MONEY_WORDS = (
    r"pay|paid|pays|paying|cost|costs|costing|spend|spent|spending|money|cash|fined?|worth|price"
    r"|salary|salaries|wages?|compensation|damages|profits?|turnover|revenues?|prize|reward"
    r"|budget|funding|invest\w*|raised?|earn\w*|charged?|fees?|grants?|loans?|bonus\w*|donat\w*"
    r"|bail|ransom|sold for|sell for|bid|bill"
)
_HOW_MUCH_MONEY = re.compile(rf"(?<!by )\bhow much\b.*\b(?:{_MONEY_WORDS})\b", re.I)
_WHAT_MONEY = re.compile(
    r"\bwhat (?:was |is |will be |were |are )?(?:the |its |their |his |her )?"
    r"(?:\w+ ){0,2}(?:salary|wage|price|fee|fine|reward|bonus|compensation|profit|turnover"
    r"|revenue|budget|ransom|bail|damages)\b",
    re.I,
)
_HOW_LONG = re.compile(
    r"\bhow long\b(?=.*\b(?:last|lasted|lasting|take|took|taken|spend|spent|serve|served"
    r"|stay|stayed|wait|waited|been|remain|remained|run for|go on|continue|deliberat\w*)\b)"
    r"|\bfor how long\b|\bhow long (?:did|does|do|will|would|has|have|had|can|could|must)\b",
    re.I,
)
_HOW_OLD = re.compile(r"\bhow old\b|\bwhat age\b|\bat what age\b", re.I)
_HOW_MANY = re.compile(r"\bhow many((?: [\w'’-]+){1,4})", re.I)
_NOT_NOUNS = SMALL | frozenset(
    """more times other others were was are is did does do have has had will would can
    could should must of them these those such different separate new""".split()
)
_QUANTITY_WORDS = re.compile(  # a count in words, as a span opens with it
    r"^(?:(?:about|around|nearly|almost|more than|fewer than|over|some|a|an)\s+)*"
    r"(?:dozens?|scores|hundreds|thousands|millions|handful|several|few)\b",
    re.I,
)
_YEAR = re.compile(r"^(?:1[89]|20)\d\d$")
_MONTH_BEFORE = re.compile(
    r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s*$"
)
_WORDS_AFTER = re.compile(r"^[^\S\n]*(?:[\w%-]+[^\S\n]*){1,3}")
# counted things that may be any thing asked for ("14 animals" for "how many beavers")
_ANY_THING = frozenset("animal creature individual item thing unit one".split())
NEAR = 60  # characters each side of a count where the thing asked for may be named
_HOW_LONG_IS = re.compile(r"\bhow long (?:is|was|are|were)\b", re.I)
_TIME_UNITS = frozenset({"year", "month", "week", "day", "hour", "minute", "second"})
_TIME_WORDS = re.compile(  # a duration in words, or its ends ("from Monday to Thursday")
    r"\b(?:decades?|fortnights?|century|centuries|years?|months?|weeks?|days?|hours?|minutes?"
    r"|seconds?|nights?|overnight|seasons?|until|till|through|since|(?:mon|tues|wednes|thurs"
    r"|fri|satur|sun)day|january|february|march|april|may|june|july|august|september|october"
    r"|november|december)\b",
    re.I,
)


@dataclass(frozen=True, slots=True)
class Wanted:
    """What a question's words say its answer is: ``kind`` is "money", "duration", "extent"
    (a duration or a length: "how long is"), "age", "count" (``nouns``: the thing counted,
    singular; ``unit``: a measure counted, "hour", "vote") or "measure" (rag.core.slots, in
    ``question``)."""

    kind: str
    nouns: tuple[str, ...] = ()
    unit: str = ""
    question: str = ""


def wants(question: str) -> Wanted | None:
    """The kind of value ``question`` asks for; None when its words do not say."""
    if _HOW_OLD.search(question):
        return Wanted("age")
    if _HOW_LONG.search(question):
        return Wanted("duration")
    if _HOW_LONG_IS.search(question):  # a time or a length: "How long is the contract/bridge?"
        return Wanted("extent")
    many = _HOW_MANY.search(question)
    if many:  # the thing counted: the words after "how many", names left out
        words = [w.lower() for w in many[1].split() if not w[0].isupper()][:2]
        if not words or words[0] in _NOT_NOUNS:
            return None
        unit = MEASURES.get(_singular(words[0]), "")
        if unit:
            return Wanted("count", unit=unit)
        nouns = tuple(_singular(w) for w in words if w not in _NOT_NOUNS)
        return Wanted("count", nouns=nouns)
    if _HOW_MUCH_MONEY.search(question) or _WHAT_MONEY.search(question):
        return Wanted("money")
    if asked(question) is not None:
        return Wanted("measure", question=question)
    return None


def span_fits(wanted: Wanted | None, text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is a value of the wanted kind, read with the ``CONTEXT``
    characters around it (``fits_kind``)."""
    before, after = text[max(0, start - CONTEXT) : start], text[end : end + CONTEXT]
    return fits_kind(wanted, text[start:end], before, after)


def fits_kind(wanted: Wanted | None, span: str, before: str = "", after: str = "") -> bool:
    """Whether ``span`` (between ``before`` and ``after`` in its passage) is a value of the
    wanted kind. A number is read with the words after it ("9,400" then " people") and as a
    day when a month comes before it ("September 13"). A count of another thing fits when the
    thing asked for is named within ``NEAR`` characters ("its 300 captains and pilots")."""
    if wanted is None or not span.strip():
        return True
    if _MONTH_BEFORE.search(before[-12:]) and re.fullmatch(r"\d{1,2}", span.strip()):
        return False  # a day of the month
    if wanted.kind != "duration" and _YEAR.match(span.strip()):
        return False  # a year
    value = parse_value(span)
    if value.kind == "number" and not value.unit and not value.nouns:
        words = _WORDS_AFTER.match(after)
        value = parse_value(span + words[0]) if words else value
    if value.kind == "number" and wanted.kind != "measure":  # any number the span gives
        starts = [m.start() for m in NUMBER.finditer(span)][1:]
        values = [value, *(parse_value(span[at:]) for at in starts)]
        near = before[-NEAR:] + " " + span + " " + after[:NEAR]
        return any(_fits(wanted, v, span, after, near) for v in values)
    return _fits(wanted, value, span, after, "")


def _fits(wanted: Wanted, value: Value, span: str, after: str, near: str) -> bool:
    if wanted.kind == "money":
        return value.kind == "number" and value.unit == "money"
    if wanted.kind in ("duration", "extent"):  # a time, its ends (a date), a race time
        if value.kind == "number":  # an extent may be a length too, never money or things
            length = wanted.kind == "extent" and fits(value, after, LENGTH)
            return value.unit in _TIME_UNITS or length or (not value.unit and not value.nouns)
        return value.kind in ("date", "tally") or bool(_TIME_WORDS.search(span))
    if wanted.kind == "age":
        if value.kind != "number" or value.unit not in ("", "year"):
            return False
        age = float(value.key[0])  # type: ignore[arg-type]
        return 0 < age and (value.unit == "year" or age < 130)  # a wreck is "410 years" old
    if wanted.kind == "measure":
        return fits(value, after, asked(wanted.question))
    if value.kind == "words":
        return bool(_QUANTITY_WORDS.match(span))  # "dozens", "a handful"; not "a fleet"
    return _fits_count(wanted, value.kind, value.unit, value.nouns, near)


def _fits_count(wanted: Wanted, kind: str, unit: str, nouns: tuple[str, ...], context: str) -> bool:
    if kind in ("date", "rank", "tally", "clock"):
        return False
    if wanted.unit:
        return unit == wanted.unit or (not unit and not nouns)
    if unit:
        return False  # money, a percentage, a measure: not a count of things
    if not nouns or counted_alike(nouns, wanted.nouns) or _ANY_THING & set(nouns):
        return True
    said = {_singular(w) for w in re.findall(r"[a-z]+", context.lower())}
    return any(n in said for n in wanted.nouns)


def _singular(word: str) -> str:
    return word[:-1] if word.endswith("s") and len(word) > 3 else word
