"""The measure a question asks for when its words name one ("What distance does the race
cover?", "How tall is the turbine?", "What was the lowest temperature?"): a reading of another
measure answers another slot ("22:16:51" is a time, not a distance; "520 metres away" is how far
the blade flew, not how tall the turbine is), so two such readings are not two reports of one
value.

Usage: ``fits(parse_value("164km"), "", asked("What distance does the race cover?")) -> True``
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rag.core.values import Value

_LENGTHS = frozenset(
    {"metre", "kilometre", "centimetre", "millimetre", "inch", "foot", "mile", "nautical mile", ""}
)


@dataclass(frozen=True, slots=True)
class Asked:
    """What a question's words say about its value: the units a reading may carry ("" for a
    bare number) and, for a dimension, the words that may follow the value ("tall", "high")."""

    units: frozenset[str]
    dimension: frozenset[str] = frozenset()


LENGTH = Asked(_LENGTHS, frozenset({"long", "away"}))  # "1.2 km", not "1.2 km wide"

# the dimensions news gives after a measure ("118 metres tall", "520 metres away")
_DIMENSIONS = {
    "tall": "tall high", "high": "tall high", "height": "tall high",
    "deep": "deep", "depth": "deep",
    "wide": "wide across", "width": "wide across", "across": "wide across",
    "far": "away", "distance": "away long",
}  # fmt: skip
_DIMENSION_WORD = re.compile(r"^[\s-]*(tall|high|deep|wide|across|long|away)\b", re.I)
_ASKS = (
    (re.compile(r"\bhow (tall|high|deep|wide|far)\b(?! ahead| in advance| back| along| into)"
                r"|(?<!its )\b(height|depth|width|distance)\b", re.I), _LENGTHS),
    (re.compile(r"\btemperature\b|\bhow (?:hot|cold|warm)\b", re.I), frozenset({"degree", ""})),
    (re.compile(r"\b(?:percentage|per ?cent|proportion|turnout|share of)\b", re.I),
     frozenset({"percent", ""})),
)  # fmt: skip


def asked(question: str) -> Asked | None:
    """The measure ``question`` names, None when it names none."""
    for pattern, units in _ASKS:
        found = pattern.search(question)
        if found is None:
            continue
        word = next((g.lower() for g in found.groups() if g), "")
        words = frozenset(_DIMENSIONS.get(word, "").split())
        return Asked(units, words)
    return None


def fits(value: Value, after: str, slot: Asked | None) -> bool:
    """Whether ``value`` (followed in its passage by ``after``) may answer ``slot``: a number of
    one of its units or a bare number, not followed by another dimension ("520 metres away" for
    "how tall")."""
    if slot is None:
        return True
    if value.kind != "number" or value.unit not in slot.units:
        return False
    if not value.unit and value.nouns:
        return False  # a count of things ("1,200 homes") is no measure
    said = _DIMENSION_WORD.match(after)
    return not (slot.dimension and said and said[1].lower() not in slot.dimension)
