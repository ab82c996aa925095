"""Publication dates: free text from sources -> ``date`` for filtering.

Usage: ``parse_date("2022/06/17") -> date(2022, 6, 17)``; ``parse_date("yesterday") -> None``
"""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache

from dateutil import parser as date_parser


@lru_cache(maxsize=65536)
def parse_date(text: str) -> date | None:
    """Parse a publication date given as ISO, ``YYYY/MM/DD`` or prose; None when unknown."""
    text = (text or "").strip()
    if not text or not re.search(r"\d{4}", text):
        return None
    try:
        parsed = date_parser.parse(text, default=datetime(1900, 1, 1), fuzzy=True)
    except (ValueError, OverflowError):
        return None
    return parsed.date() if parsed.year >= 1900 else None


def day_number(day: date) -> int:
    """The integer Chroma filters on (proleptic Gregorian ordinal)."""
    return day.toordinal()


MONTHS = {
    name: number
    for number, names in enumerate(
        (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
         ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
         ("oct", "october"), ("nov", "november"), ("dec", "december")),
        start=1,
    )
    for name in names
}  # fmt: skip
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
NAMED_DAY = re.compile(
    rf"\b(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m1>{_MONTH})\.?(?:,?\s+(?P<y1>\d{{4}}))?"
    rf"|(?P<m2>{_MONTH})\.?\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y2>\d{{4}}))?)\b",
    re.IGNORECASE,
)
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_RELATIVE = re.compile(
    r"\b(?:(?:on|last|late on|early on)\s+(?P<weekday>" + "|".join(_WEEKDAYS) + r")"
    r"|(?P<yesterday>yesterday)|(?P<today>today|this morning|tonight|this afternoon))\b",
    re.IGNORECASE,
)


_AHEAD = re.compile(r"\b(?:will|would|to|next|until|from|by)(?:\s+\w+){0,3}\s*$", re.IGNORECASE)


def _day_of(year: int | None, month: int, day: int, published: date) -> date | None:
    """The day named, in ``year`` or (no year given) in the publication's year, or the year
    before when that day is more than a month ahead of publication; None when no such day."""
    for candidate in [year] if year else [published.year, published.year - 1]:
        try:
            named = date(candidate, month, day)
        except ValueError:
            continue
        if year or named.toordinal() <= published.toordinal() + 31:
            return named
    return None


def days_named(text: str, published: date, relative: bool = True) -> list[date]:
    """The days ``text`` names, in order, read as a report published on ``published`` reads
    them: "July 13" (this year, or last year when that day is still ahead), "13 July 2026",
    and unless ``relative`` is False "on Monday" (the last Monday up to the day of
    publication), "yesterday", "today"."""
    found: list[tuple[int, date]] = []
    for m in NAMED_DAY.finditer(text):
        month_name = m["m1"] or m["m2"]
        if month_name.lower() == "may" and not month_name[0].isupper():
            continue  # "20 may have died"
        month = MONTHS[month_name.lower().rstrip(".")]
        day, year = int(m["d1"] or m["d2"]), m["y1"] or m["y2"]
        named = _day_of(int(year) if year else None, month, day, published)
        if named is not None:
            found.append((m.start(), named))
    for m in _RELATIVE.finditer(text) if relative else ():
        if m["weekday"]:
            if _AHEAD.search(text[: m.start()]):
                continue  # "will resume on Friday": a day to come, not one reported
            back = (published.weekday() - _WEEKDAYS.index(m["weekday"].lower())) % 7
            back = back or (7 if m[0].lower().startswith("last") else 0)
            named = date.fromordinal(published.toordinal() - back)
        else:
            named = date.fromordinal(published.toordinal() - (1 if m["yesterday"] else 0))
        found.append((m.start(), named))
    return [d for _, d in sorted(found)]
