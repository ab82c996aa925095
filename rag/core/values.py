"""The value a report gives for the slot a question asks (a number, a date, a name), compared as
news compares them: "80" and "more than 80" are one value, "80" and "100" are not; so are
"£2.4 million" and "2.4 million pounds", "May 1" and "1 May", "14" and "fourteen", "June 2027"
and "June 5, 2027". A value is read from the reader's answer span, or from the clause of it the
question asks about when it joins several (``focus``).

Usage: ``agree(parse_value("at least 41"), parse_value("41 people")) -> True``
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rag.core.dates import MONTHS, NAMED_DAY

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "a dozen": 12, "dozen": 12,
}  # fmt: skip
_MONTH_YEAR = re.compile(
    r"\b(" + "|".join(sorted((m.capitalize() for m in MONTHS), key=len, reverse=True)) + r")\.?,?"
    r"\s+(\d{4})\b"
)
_SCALES = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_SUFFIX = {"k": 1e3, "m": 1e6, "mn": 1e6, "bn": 1e9, "b": 1e9}
# a score, a vote split or a race time: compared as written ("3-1", "7-4", "2:09:41")
_TALLY = re.compile(r"\b\d+\s*[-–:]\s*\d+(?:[:.]\d+)*\b")
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
_ORDINALS = """first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth
    thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth""".split()
_PLACE = re.compile(
    r"(?:the\s+)?(?:(" + "|".join(_ORDINALS) + r")(?:\s+place)?|(\d{1,3})(?:st|nd|rd|th)\s+place)",
    re.I,
)  # "the 21st" alone is a day of the month
# a clock time: "4.50pm", "4 p.m.", "16:50" (two digits for the hour: "2:35" may be a race time)
_CLOCK = re.compile(
    r"(?<![\d:.])(\d{1,2})(?:[:.]([0-5]\d))?\s*([ap])\.?\s?m\b\.?"
    r"|(?<![\d:.])([01]\d|2[0-3]):([0-5]\d)(?![\d:])",
    re.I,
)
_ORDINAL = re.compile(r"(\d{1,3})(?:st|nd|rd|th)")  # "84th": past any day of a month, a rank
_RANKED = re.compile(r"(?:the\s+)?(\d{1,3})(?:st|nd|rd|th)\s+(?:out of|of|in|place|among)\b", re.I)
_SCALE = re.compile(r"^\s*(hundred|thousand|million|billion|trillion)\b", re.I)
_MONEY = re.compile(
    r"[$€£¥]|\b(?:euros?|pounds?|dollars?|crowns?|francs?|yen|yuan|rupees?|kronor|krona)\b",
    re.IGNORECASE,
)
SPREAD = 20.0  # two reports of one figure differ by less than this factor
CONVERTED = 0.02  # one length in two units agrees within this share ("5 miles (8km)")
# lengths and weights in metres and kilograms: one measure in any of its units
_IN_BASE = {
    "millimetre": ("length", 0.001), "centimetre": ("length", 0.01), "metre": ("length", 1.0),
    "kilometre": ("length", 1000.0), "inch": ("length", 0.0254), "foot": ("length", 0.3048),
    "mile": ("length", 1609.344), "nautical mile": ("length", 1852.0),
    "kilogram": ("mass", 1.0), "tonne": ("mass", 1000.0),
}  # fmt: skip
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
_PEOPLE = frozenset(
    """people person dead death killed injured hurt wounded missing victim man men woman women
    child children resident passenger worker employee member miner guest patient student pupil
    spectator fan voter soldier civilian officer crew survivor casualtie casualty inmate prisoner
    detainee migrant refugee tourist visitor athlete player runner teacher nurse doctor driver
    staff volunteer protester demonstrator marcher birdwatcher attendee participant customer
    user commuter pilgrim""".split()
)
# other words that count one kind of thing: two counts of such things may be one slot
COUNTED = (
    _PEOPLE,
    frozenset("job position post role vacancy".split()),
    frozenset("home house household property dwelling flat apartment".split()),
    frozenset("charge count offence offense crime".split()),
)
SMALL = frozenset("of off the a an in at on to for from and or by were was are is had have".split())
_TITLES = frozenset(
    """mr mrs ms dr prof sir lady lord lt gen col maj capt sgt adm gov sen rep rev president
    minister chief judge justice mayor coach the a an of and""".split()
)


@dataclass(frozen=True, slots=True)
class Value:
    """A reported value: ``kind`` is "number", "date", "clock", "tally", "rank" or "words";
    ``key`` is what two values of one kind are compared by (a clock time: minutes after
    midnight)."""

    text: str
    kind: str
    key: tuple[object, ...]
    unit: str = ""  # numbers: the word after them ("percent", "hectare"), "" when none
    nouns: tuple[str, ...] = ()  # numbers without a unit: the words after them, singular


def parse_value(text: str) -> Value:
    """The value ``text`` (an answer span) states."""
    text = " ".join(text.split())
    found = NAMED_DAY.search(text)
    if found:
        day = int(found["d1"] or found["d2"])
        month = MONTHS[(found["m1"] or found["m2"]).lower().rstrip(".")]
        year = found["y1"] or found["y2"]
        return Value(text, "date", (month, day, int(year) if year else None))
    month = _MONTH_YEAR.search(text)
    if month and _number(text[: month.start()]) is None:  # "June 2027": its day unknown
        return Value(text, "date", (MONTHS[month[1].lower()], None, int(month[2])))
    place = _PLACE.fullmatch(text.strip(" ."))
    if place:  # "fourth", "the 4th place": a rank in a result
        rank = _ORDINALS.index(place[1].lower()) + 1 if place[1] else int(place[2])
        return Value(text, "rank", (rank,))
    ordinal = _ORDINAL.fullmatch(text.strip(" .")) or _RANKED.match(text.strip())
    if ordinal and int(ordinal[1]) > 31:  # "84th" (in the world rankings); "21st" may be a day
        return Value(text, "rank", (int(ordinal[1]),))
    clock = _clock(text)
    if clock is not None:
        return Value(text, "clock", (clock,))
    tally = _TALLY.search(text)
    if tally:
        return Value(text, "tally", (re.sub(r"\s+", "", tally[0]).replace("–", "-"),))
    number = _number(text)
    if number is not None:  # an amount of money is one unit whatever the currency's name
        unit = "money" if _MONEY.search(text) else number[1]
        return Value(text, "number", (number[0],), unit, () if unit else number[2])
    words = [w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in _TITLES]
    return Value(text, "words", tuple(sorted(set(words))))


def _clock(text: str) -> int | None:
    """Minutes after midnight of the first clock time in ``text`` ("4.50pm", "16:50": 1010)."""
    found = _CLOCK.search(text)
    if found is None:
        return None
    if found[4]:
        return int(found[4]) * 60 + int(found[5])
    hour = int(found[1])
    if not 1 <= hour <= 12:
        return None
    hour = hour % 12 + (12 if found[3].lower() == "p" else 0)
    return hour * 60 + int(found[2] or 0)


def states(text: str, value: Value) -> bool:
    """Whether ``text`` gives ``value`` anywhere, in any wording ("£1.45m" for "1.45 million
    pounds", "4.20pm" for "16:20", "1 May" for "May 1"): each number, clock time, day or tally
    of the text read with the sign before it and the words after it."""
    if value.kind == "words":
        return False
    finders = {"date": NAMED_DAY, "clock": _CLOCK, "tally": _TALLY, "rank": _ORDINAL}
    pattern = finders.get(value.kind, NUMBER)
    for found in pattern.finditer(text):
        start = found.start()
        start -= 1 if start and text[start - 1] in "$€£¥" else 0
        said = parse_value(text[start : found.end() + 30])
        if comparable(said, value) and agree(said, value):
            return True
    return False


def figure(text: str) -> float | None:
    """The first number of ``text``, digits or words, times its scale ("2.4 million": 2.4e6)."""
    number = _number(text)
    return None if number is None else number[0]


def _number(text: str) -> tuple[float, str, tuple[str, ...]] | None:
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
    if suffix == "m" and not _MONEY.search(text) and _metres(digits, rest):  # type: ignore[arg-type]
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
        if word.endswith("ed") and len(word) > 4 and word not in _PEOPLE:
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


def comparable(a: Value, b: Value) -> bool:
    """Whether two values may be reports of one slot: the same kind, and numbers of one measure
    ("41 percent" / "18,442 votes" are two slots, and so are "97 hours" / an age "38"; a sum
    of money or a percentage may be a bare number, "£3m" / "2 million"), without
    two different things counted unless both count one kind of thing (``COUNTED``: people,
    jobs, homes; "35 extra coaches" / "340 services" are two slots; "57 dead" / "41 people",
    "88 inmates" / "101 prisoners" may be one) and within ``SPREAD`` times of each other ("up to
    €10,000" a business / "€10 million" a fund)."""
    if a.kind != b.kind:
        return False
    if _convertible(a, b):  # "2.7 nautical miles"
        x, y = sorted((abs(_in_base(a)), abs(_in_base(b))))  # / "3.4 miles": one length
        return y <= SPREAD if x == 0 else y / x <= SPREAD
    if (a.unit or b.unit) and a.unit != b.unit:
        loose = {a.unit, b.unit} - {""}  # "£3m" / "2 million", "44 percent" / "41" may be one
        if a.unit and b.unit or not loose <= {"money", "percent"}:
            return False
    if a.nouns and b.nouns and not counted_alike(a.nouns, b.nouns):
        return False
    if a.kind != "number":
        return True
    x, y = sorted((abs(float(a.key[0])), abs(float(b.key[0]))))  # type: ignore[arg-type]
    return y <= SPREAD if x == 0 else y / x <= SPREAD


def _convertible(a: Value, b: Value) -> bool:
    """Two numbers of one measure in two of its units (a length in miles and in kilometres)."""
    x, y = _IN_BASE.get(a.unit), _IN_BASE.get(b.unit)
    return (
        a.kind == b.kind == "number"
        and a.unit != b.unit
        and x is not None
        and y is not None
        and x[0] == y[0]
    )


def _in_base(value: Value) -> float:
    """A length or weight in metres or kilograms."""
    return float(value.key[0]) * _IN_BASE[value.unit][1]  # type: ignore[arg-type]


def counted_alike(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Whether two numbers' nouns count one kind of thing ("88 inmates" / "101 prisoners")."""
    x, y = set(a), set(b)
    return bool(x & y) or any(x & kind and y & kind for kind in COUNTED)


def agree(a: Value, b: Value) -> bool:
    """Whether two values are one report of the slot: equal numbers (whatever the words and
    qualifiers around them), the same day, the same tally, or names one of which holds the
    other ("Saeed" / "Lt. Gen. Mohammed Saeed"). Values that are not ``comparable`` agree."""
    if not comparable(a, b):
        return True
    if _convertible(a, b):  # one length in two units, rounded
        x, y = _in_base(a), _in_base(b)
        return abs(x - y) <= CONVERTED * max(abs(x), abs(y))
    if a.kind == "number":
        x, y = float(a.key[0]), float(b.key[0])  # type: ignore[arg-type]
        return abs(x - y) <= 1e-9 * max(abs(x), abs(y))
    if a.kind == "date":
        days = a.key[1], b.key[1]  # a month without its day agrees with any day of it
        same_day = a.key[0] == b.key[0] and (None in days or days[0] == days[1])
        return same_day and (a.key[2] is None or b.key[2] is None or a.key[2] == b.key[2])
    if a.kind in ("tally", "rank", "clock"):
        return a.key == b.key
    x, y = set(a.key), set(b.key)
    return bool(x) and bool(y) and (x <= y or y <= x)
