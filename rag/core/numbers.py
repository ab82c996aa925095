"""A number as news writes it: digits with their scale or suffix ("£2.4 million", "5km",
"6,421m" metres, "£2.3m" millions), or words ("four thousand six hundred", "two hundred and
eighteen"); then what follows it: the unit of a measure ("hectare", "percent", a rate
"kilometre/hour") or the thing counted ("1,450 bus drivers" → ("bus", "driver")).

Usage: ``read_number("2.4 million pounds") -> (2400000.0, "", ("pound",))``; ``figure("£3bn")``
"""

from __future__ import annotations

import re

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "a dozen": 12, "dozen": 12,
}  # fmt: skip
_SCALES = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_SUFFIX = {"k": 1e3, "m": 1e6, "mn": 1e6, "bn": 1e9, "b": 1e9}
# a unit glued to the number ("41.3C", "5km") ends it too; "m" before a dimension is metres
NUMBER = re.compile(
    r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(?!,?\d)(\.\d+)?(?!\d|(?:st|nd|rd|th)\b)"
    r"(?:(bn|mn|m|k|b)\b)?",
    re.I,
)
_DIMENSION = re.compile(r"[\s-]*(?:wide|long|deep|high|tall|across|thick|away|in diameter)\b(?!-)")
WORD_NUMBER = re.compile(
    r"\b(" + "|".join(sorted(_UNITS, key=len, reverse=True)) + r")(?:[\s-]+(one|two|three|four|"
    r"five|six|seven|eight|nine))?\b",
    re.I,
)
_AND_ONES = re.compile(r"^\s+and\s+" + WORD_NUMBER.pattern[2:], re.I)
_SCALE = re.compile(r"^\s*(hundred|thousand|million|billion|trillion)\b", re.I)
MONEY = re.compile(
    r"[$€£¥]|\b(?:euros?|pounds?|dollars?|crowns?|francs?|yen|yuan|rupees?|kronor|krona)\b",
    re.IGNORECASE,
)
MEASURES = {
    name: measure
    for measure, names in {
        "hectare": "hectare ha",
        "acre": "acre",
        "metre": "metre meter m",
        "kilometre": "kilometre kilometer km",
        "centimetre": "centimetre centimeter cm",
        "millimetre": "millimetre millimeter mm",
        "inch": "inch inche",
        "foot": "foot feet ft",
        "mile": "mile",
        "nautical mile": "nautical",
        "kilogram": "kilogram kg",
        "tonne": "tonne ton",
        "litre": "litre liter",
        "barrel": "barrel",
        "year": "year",
        "month": "month",
        "week": "week",
        "day": "day",
        "hour": "hour",
        "minute": "minute",
        "second": "second",
        "vote": "vote ballot",
        "seat": "seat",
        "point": "point",
        "degree": "degree c celsius fahrenheit",
        "time": "am pm gmt bst",
    }.items()
    for name in names.split()
}
# words that count people (singular as ``_nouns`` makes them): two counts of people may be one
PEOPLE = frozenset(
    """people person dead death killed injured hurt wounded missing victim man men woman women
    child children resident passenger worker employee member miner guest patient student pupil
    spectator fan voter soldier civilian officer crew survivor casualtie casualty inmate prisoner
    detainee migrant refugee tourist visitor athlete player runner teacher nurse doctor driver
    staff volunteer protester demonstrator marcher birdwatcher attendee participant customer
    user commuter pilgrim""".split()
)
SMALL = frozenset("of off the a an in at on to for from and or by were was are is had have".split())


def figure(text: str) -> float | None:
    """The first number of ``text``, digits or words, times its scale ("2.4 million": 2.4e6)."""
    number = read_number(text)
    return None if number is None else number[0]


def read_number(text: str) -> tuple[float, str, tuple[str, ...]] | None:
    """The first number of ``text``, digits or words, times its scale ("2.4 million", "£3bn"),
    the unit word after it and the words after it (the thing counted)."""
    digits = NUMBER.search(text)
    spelled = WORD_NUMBER.search(text)
    if digits and (spelled is None or digits.start() < spelled.start()):
        value = float(digits[1].replace(",", "") + (digits[2] or ""))
        suffix = (digits[3] or "").lower()
        rest = text[digits.end() :]
    elif spelled:  # "four thousand six hundred", "two hundred and eighteen", "a dozen"
        value, end = _spelled(text, spelled)
        return value, _unit(text[end:]), _nouns(text[end:])
    else:
        return None
    scale = _SCALE.match(rest)
    if suffix == "m" and not MONEY.search(text) and _metres(digits, rest):  # type: ignore[arg-type]
        return value, "metre", ()  # "6m wide", "6,421m", "4.63m": metres, not millions
    if suffix:
        value *= _SUFFIX[suffix]
    elif scale:
        value *= _SCALES[scale[1].lower()]
        rest = rest[scale.end() :]
        more = _AND_ONES.match(rest)  # "two hundred and eighteen"
        if more and scale[1].lower() in ("hundred", "thousand"):
            value += _UNITS[more[1].lower()] + (_UNITS[more[2].lower()] if more[2] else 0)
            rest = rest[more.end() :]
    return value, _unit(rest), _nouns(rest)


_SPELLED_WORD = re.compile(r"[\s-]*([A-Za-z]+)")


def _spelled(text: str, found: re.Match[str]) -> tuple[float, int]:
    """A number spelled out in words from ``found`` on, and where it ends: "four thousand six
    hundred" is 4,600, "two hundred and eighteen" 218, "three million" 3,000,000."""
    total = 0.0
    current = float(_UNITS[found[1].lower()] + (_UNITS[found[2].lower()] if found[2] else 0))
    end, after_scale = found.end(), False
    while word := _SPELLED_WORD.match(text, end):
        name = word[1].lower()
        if name in _SCALES and name != "hundred":
            total, current = total + current * _SCALES[name], 0.0
        elif name == "hundred":
            current *= 100
        elif name == "and" and after_scale:
            pass  # "two hundred and eighteen"; what follows must be a number
        elif after_scale and (more := WORD_NUMBER.match(text, word.start(1))):
            current += _UNITS[more[1].lower()] + (_UNITS[more[2].lower()] if more[2] else 0)
            word = more
        else:
            break
        after_scale = name in _SCALES or name == "and"
        end = word.end()
    if text[end - 3 : end].lower() == "and":  # a dangling "and" is not part of the number
        end -= 3
    return total + current, end


def singular(word: str) -> str:
    """A plural as news counts it, made singular ("properties" → "property", "homes" → "home")."""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    return word[:-1] if word.endswith("s") and len(word) > 3 else word


def _metres(digits: re.Match[str], rest: str) -> bool:
    """Whether an "m" glued to a number outside money is metres: before a dimension ("6m
    wide"), after thousands ("6,421m": a count that large is not written in millions) or after
    two decimals ("4.63m" a river's level; millions are "2.3m")."""
    return bool(_DIMENSION.match(rest) or "," in digits[1] or len(digits[2] or "") > 2)


def _nouns(rest: str) -> tuple[str, ...]:
    """Up to three words after a number, small words left out, singular ("1,450 bus drivers"
    → ("bus", "driver")), up to a verb: what it counts."""
    words = []
    for word in (w.lower() for w in re.findall(r"[A-Za-z]+", rest)[:3]):
        if word.endswith("ed") and len(word) > 4 and word not in PEOPLE:
            break  # a verb: "8,156 included ...", "2,000 attended" count no "included"
        words.append(singular(word))
    return tuple(w for w in words if w not in SMALL)


def _unit(rest: str) -> str:
    """The measure at the start of ``rest`` ("percent" for %, per cent; "hectare", "year",
    "vote", ...), "" for a counted noun ("people", "dead", "homes") or none: counts of things
    compare with each other, measures only with the same measure."""
    rest = rest.lstrip(" -°")
    if rest.startswith("%") or re.match(r"per\s*cent|pc\b", rest, re.I):
        return "percent"
    word = re.match(r"[A-Za-z]+", rest)
    unit = word[0].lower() if word else ""
    unit = unit[:-1] if unit.endswith("s") and len(unit) > 3 else unit
    measure = MEASURES.get(unit, "")
    per = _PER.match(rest[word.end() :]) if word and measure else None
    if per:  # a rate: "121 kilometres per hour", "121 km/h" is no distance
        return f"{measure}/{_PER_UNITS.get(per[1].lower(), per[1].lower().rstrip('s'))}"
    return measure


_PER = re.compile(r"\s*(?:/\s*|\s+per\s+|\s+an?\s+(?=hour\b|second\b|minute\b))([A-Za-z]+)", re.I)
_PER_UNITS = {"h": "hour", "hr": "hour", "s": "second", "sec": "second", "min": "minute"}
_SPELLED_BEFORE = re.compile(
    r"(?:\b(?:(?:" + "|".join(k for k in _UNITS if " " not in k) + r")[\s-]+"
    r"|(?:hundred|thousand)[\s-]+(?:and[\s-]+)?|(?:million|billion)[\s-]+))+$",
    re.I,
)


def spelled_start(text: str, start: int) -> int:
    """Where a number spelled out in words begins when a span starts inside it: "eight
    turbines" of "one hundred and eight turbines" starts at "one"."""
    if not WORD_NUMBER.match(text, start):
        return start
    before = _SPELLED_BEFORE.search(text[max(0, start - 60) : start])
    return start - len(before[0]) if before else start
