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
from rag.core.numbers import MONEY, NUMBER, PEOPLE, read_number

_MONTH_YEAR = re.compile(
    r"\b(" + "|".join(sorted((m.capitalize() for m in MONTHS), key=len, reverse=True)) + r")\.?,?"
    r"\s+(\d{4})\b"
)
# a score, a vote split or a race time: compared as written ("3-1", "7-4", "2:09:41")
_TALLY = re.compile(r"\b\d+\s*[-–:]\s*\d+(?:[:.]\d+)*\b")
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
SPREAD = 20.0  # two reports of one figure differ by less than this factor
CONVERTED = 0.02  # one length in two units agrees within this share ("5 miles (8km)")
# lengths and weights in metres and kilograms: one measure in any of its units
_IN_BASE = {
    "millimetre": ("length", 0.001), "centimetre": ("length", 0.01), "metre": ("length", 1.0),
    "kilometre": ("length", 1000.0), "inch": ("length", 0.0254), "foot": ("length", 0.3048),
    "mile": ("length", 1609.344), "nautical mile": ("length", 1852.0),
    "kilogram": ("mass", 1.0), "tonne": ("mass", 1000.0),
}  # fmt: skip
# other words that count one kind of thing: two counts of such things may be one slot
COUNTED = (
    PEOPLE,
    frozenset("job position post role vacancy".split()),
    frozenset("home house household property dwelling flat apartment".split()),
    frozenset("charge count offence offense crime".split()),
    frozenset("boat vessel ship yacht craft ferry dinghy".split()),
    frozenset("car vehicle van lorry truck".split()),
)
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
    if month and read_number(text[: month.start()]) is None:  # "June 2027": its day unknown
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
    number = read_number(text)
    if number is not None:  # an amount of money is one unit whatever the currency's name
        unit = "money" if MONEY.search(text) else number[1]
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
