"""Answer scoring primitives: normalisation and accepted-answer containment.

Usage: ``contains_answer("led by Lt. Gen. Mohammed Saeed", ["Mohammed Saeed"]) -> True``
"""

from __future__ import annotations

import re
import string
import unicodedata

_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "—": "-", "–": "-"})


def normalize(text: str) -> str:
    """Lower case, no punctuation, quotes or articles, single spaces (SQuAD-style)."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).lower()
    text = "".join(" " if ch in string.punctuation else ch for ch in text)
    text = re.sub(r"\b(a|an|the)\b", " ", text)
    return " ".join(text.split())


def contains_answer(answer: str, accepted: list[str]) -> bool:
    """True when any accepted answer occurs in ``answer`` after normalisation, on word bounds."""
    haystack = f" {normalize(answer)} "
    return any(norm and f" {norm} " in haystack for norm in (normalize(a) for a in accepted))
