"""Whether a quoted passage states a name, date or number an LLM claim makes, compared as news
restates them: "$3.2 million" and "3.2 million dollars", "nine" and "9", "roughly 90" and "about
90", "Tomas Reyes-Hale" and "Reyes-Hale", "Dastovia's envoy" and "Dastovian envoy", "11 March"
and "March 11" are stated; a different name, figure, month, day or year is not. A relative date
("the previous week") carries nothing to compare and passes; the claim checker judges it.

Usage: ``stated("Tomas Reyes-Hale", "PERSON", "Reyes-Hale did not rule it out.") -> True``
"""

from __future__ import annotations

import re

from rag.core.dates import MONTHS
from rag.core.numbers import NUMBER, WORD_NUMBER, figure

_NUMERIC = frozenset("PERCENT MONEY QUANTITY CARDINAL".split())
_DATED = frozenset("DATE TIME".split())
_WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
_MULTIPLES = {"twice": 2.0, "double": 2.0, "doubled": 2.0, "triple": 3.0, "tripled": 3.0}
_MULTIPLE = re.compile(r"\b(" + "|".join(_MULTIPLES) + r")\b", re.I)
_HYPHENATED = re.compile(r"(\d)-(hundred|thousand|million|billion|trillion)\b", re.I)
_WORD = re.compile(r"[A-Za-z][\w'’.-]*[A-Za-z]|[A-Za-z]")
# title and function words a name's mention may leave out ("Assembly Speaker Dana Whitcombe")
_UNIT = (
    r"(day|week|weekend|month|year|season|decade|quarter|half|term|spring|summer|autumn|fall|"
    r"winter|century)s?"
)
_ANCHORS = {"this": 0, "current": 0, "last": -1, "previous": -1, "past": -1, "prior": -1,
            "before": -1, "earlier": -1, "ago": -1, "next": 1, "coming": 1, "following": 1,
            "later": 1, "after": 1, "first": 1, "second": 2, "third": 3, "fourth": 4}  # fmt: skip
_ANCHOR = "(" + "|".join(_ANCHORS) + ")"
# "last year", "the first half", "earlier this year": the anchor word before the unit;
# "a week earlier", "the year before", "two days later": the anchor word after it
_RELATIVE = re.compile(rf"\b{_ANCHOR}\s+{_UNIT}\b|\b(?:a|an|one|the)\s+{_UNIT}\s+{_ANCHOR}\b", re.I)
_PLACES = frozenset("GPE LOC FAC".split())
# what a story calls a place or an organisation it has named ("the city", "the airline"); spaCy
# labels some of each as the other, so either kind may be referred to by any of them
_NOUNS = frozenset(
    "city town state country county region village capital island province nation area "
    "district borough road street bridge airport station port stadium "
    "company firm bank airline carrier group club team agency union council board party "
    "university school hospital museum branch retailer maker manufacturer insurer utility "
    "network league court department ministry government committee assembly organisation "
    "organization charity foundation festival brand chain lender publisher developer "
    "automaker studio station".split()
)
_MINOR = frozenset("the of and for in on at a an de la van von der da del mr mrs ms dr st".split())


def stated(entity: str, label: str, passage: str) -> bool:
    """Whether ``passage`` states the entity ``entity`` (spaCy's ``label``) of a claim."""
    if label in _DATED:
        return _date_stated(entity, passage)
    figures = numbers_in(entity)
    if figures or label in _NUMERIC:
        return _all_in(figures, numbers_in(passage))
    return _name_stated(entity, label, passage)


def numbers_in(text: str) -> list[float]:
    """Every figure of ``text``, digits or words, times its scale: "3.2 million dollars",
    "$3.2 million" and "3.2-million-dollar" give 3200000.0; "twice" gives 2.0."""
    text = _HYPHENATED.sub(r"\1 \2", text)  # "a 1.2-billion-dollar plant"
    found: list[float] = []
    starts = {m.start() for m in NUMBER.finditer(text)}
    for at in sorted(starts | {m.start() for m in WORD_NUMBER.finditer(text)}):
        value = figure(text[at:])
        if value is not None:
            found.append(value)
    found += [_MULTIPLES[m[1].lower()] for m in _MULTIPLE.finditer(text)]
    return found


def _all_in(figures: list[float], available: list[float]) -> bool:
    return all(any(abs(f - a) <= 1e-9 * max(1.0, abs(f)) for a in available) for f in figures)


def _date_stated(entity: str, passage: str) -> bool:
    """Every month, weekday, day and year the date names is in the passage."""
    words = {_bare(w) for w in _WORD.findall(entity)}
    said = {_bare(w) for w in _WORD.findall(passage)}
    if not re.search(r"\d", entity) and not words & (set(MONTHS) | _WEEKDAYS):
        wanted = relative_dates(entity)  # "last year": the passage must say the same
        return not wanted or bool(wanted & relative_dates(passage))
    wanted = relative_dates(entity)  # "March of last year"
    if wanted and not wanted & relative_dates(passage):
        return False
    months = {MONTHS[w] for w in words if w in MONTHS}
    if months - {MONTHS[w] for w in said if w in MONTHS}:
        return False
    if (words & _WEEKDAYS) - said:
        return False
    return _all_in(numbers_in(entity), numbers_in(passage))


def relative_dates(text: str) -> set[tuple[str, int]]:
    """Each relative date of ``text`` as (unit, anchor): "last year" and "a year earlier" are
    ("year", -1), "this winter" ("winter", 0), "the second half" ("half", 2)."""
    found = set()
    for m in _RELATIVE.finditer(text):
        anchor, unit = (m[1], m[2]) if m[1] else (m[4], m[3])
        found.add((unit.lower(), _ANCHORS[anchor.lower()]))
    return found


def refers_back(label: str, passage: str) -> bool:
    """Whether ``passage`` speaks of a name of kind ``label`` (a place or an organisation)
    without naming it: "the city", "the airline", "the bank's"."""
    if label not in _PLACES and label != "ORG":
        return False
    words = [_bare(w) for w in _WORD.findall(passage)]
    return any(a in ("the", "its") and b in _NOUNS for a, b in zip(words, words[1:], strict=False))


def same_kind(a: str, b: str) -> bool:
    """Two entity labels of one kind: places (GPE, LOC, FAC) go together."""
    return a == b or (a in _PLACES and b in _PLACES)


def _name_stated(entity: str, label: str, passage: str) -> bool:
    """A person is stated by any part of the name (a surname alone); anything else by each of
    its capitalised words, a demonym standing for its country ("Velorian" for "Veloria's")."""
    parts = [_bare(w) for w in _WORD.findall(entity) if w[0].isupper()]
    parts = [p for p in parts if p and p not in _MINOR]
    if not parts:
        return True
    said = {_bare(w) for w in _WORD.findall(passage)}
    hits = [any(_same_name(p, s) for s in said) for p in parts]
    return any(hits) if label == "PERSON" else all(hits)


def _bare(word: str) -> str:
    word = word.lower().replace("’", "'")
    return word[:-2] if word.endswith("'s") else word.rstrip("'.")


def _same_name(a: str, b: str) -> bool:
    """One word, or a place and its people ("veloria", "velorian"; "canada", "canadian")."""
    if a == b:
        return True
    shared = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        shared += 1
    return shared >= 5 and shared >= min(len(a), len(b)) - 1
