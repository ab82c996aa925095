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
