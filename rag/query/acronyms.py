"""Acronyms a question asks to expand ("What does TIFA stand for?") and where a text defines
them: "the Trade and Investment Framework Agreement (TIFA)". The long form is found as in
Schwartz & Hearst (2003): the words right before the parenthesis whose initials, read in order,
spell the acronym (small words such as "and" and "of" may be skipped).

Usage: ``acronym = asked_acronym(question)``; ``span = defined_in(acronym, text)`` -> (start, end)
"""

from __future__ import annotations

import re

_ASKED = re.compile(
    r"\bwhat (?:does|do|did) (?:the (?:letters|acronym|abbreviation) )?[\"“']?"
    r"([A-Z][A-Za-z&.]{1,9})[\"”']? (?:stand|stands) for\b"
    r"|\bwhat is (?:the )?[\"“']?([A-Z][A-Z&.]{1,9})[\"”']? short for\b",
    re.I,
)
_WORD = re.compile(r"[A-Za-z][\w'’-]*")
_SMALL = frozenset({"and", "of", "for", "the", "on", "in", "to", "a", "an", "&"})


# other ways to ask for the long form: "the full name behind the acronym TIFA", "TIFA is an
# abbreviation of what?", "What is TIFA spelled out?"; then the question's capitalised token is it
_HINT = re.compile(
    r"\b(?:acronym|abbreviation|initialism|stands? for|short for|full (?:name|form|title)|"
    r"spelled out|spell(?:s)? out|expan(?:d|ds|sion))\b",
    re.I,
)
_CAPS = re.compile(r"(?<![\w.])([A-Z][A-Z&.]{1,9})(?![\w])")


def asked_acronym(question: str) -> str:
    """The acronym a question asks to expand, letters only; "" when it asks no such thing."""
    match = _ASKED.search(question)
    if match:
        found = match.group(1) or match.group(2)
    elif _HINT.search(question):
        found = next((m.group(1) for m in _CAPS.finditer(question)), "")
    else:
        return ""
    acronym = re.sub(r"[^A-Za-z]", "", found)
    return acronym if acronym[:1].isupper() and sum(c.isupper() for c in acronym) >= 2 else ""


def defined_in(acronym: str, text: str) -> tuple[int, int] | None:
    """Offsets of the long form ``text`` gives for ``acronym`` ("Long Form (ACR)"), or None."""
    for paren in re.finditer(rf"\(\s*{re.escape(acronym)}\s*\)", text):
        words = list(_WORD.finditer(text[: paren.start()]))[-(2 * len(acronym) + 2) :]
        start = _spell(acronym.lower(), [w.group(0) for w in words])
        if start is not None:
            return words[start].start(), words[-1].end()
    return None


def _spell(letters: str, words: list[str]) -> int | None:
    """Index of the first word of the shortest run ending at the last word whose initials spell
    ``letters`` (small words may be skipped, the first word must count)."""
    need = len(letters) - 1
    for i in range(len(words) - 1, -1, -1):
        word = words[i]
        if need >= 0 and word[0].lower() == letters[need]:
            need -= 1
            if need < 0:
                return i
        elif word.lower() not in _SMALL:
            return None
    return None
