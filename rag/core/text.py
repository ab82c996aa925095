"""Rule-based sentence spans with character offsets that keep "Lt. Gen. Saeed" and "U.S." whole.

Usage: ``[text[s:e] for s, e in sentence_spans(text)]``
"""

from __future__ import annotations

import re

# Words that end with a period but rarely end a sentence (titles, months, corporate suffixes).
ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof sr jr st lt gen col maj capt cpt sgt cpl adm gov sen rep rev pres sec
    amb hon supt cmdr brig lieut gen. no nos vol vols vs etc inc co corp ltd jan feb mar apr jun
    jul aug sep sept oct nov dec mt ft ave blvd rd approx dept est fig al e.g i.e a.m p.m""".split()
)
# After an acronym such as "U.S." these words show that a new sentence began.
SENTENCE_STARTERS = frozenset(
    """the he she it they we i but and in a an this that these those there his her its their
    our on at for after before when while however meanwhile officials""".split()
)
_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])")
_ACRONYM = re.compile(r"^(?:[A-Za-z]\.)+[A-Za-z]$")
_LINE = re.compile(r"[^\n]+")
_WORDS = re.compile(r"[a-z0-9]+")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Return (start, end) offsets of the sentences of ``text``, whitespace trimmed.

    Line breaks always end a sentence; inside a line a sentence ends at . ! ? (with any
    closing quotes) before a capital, digit or opening quote, except after abbreviations,
    initials ("J. K.") and acronyms ("U.S.") that are not followed by a sentence starter.
    """
    spans: list[tuple[int, int]] = []
    for line in _LINE.finditer(text):
        start = line.start()
        for end_match in _END.finditer(text, line.start(), line.end()):
            end = end_match.end()
            if _is_boundary(text, start, end_match):
                _append(spans, text, start, end)
                start = end
        _append(spans, text, start, line.end())
    return spans


def sentences(text: str) -> list[str]:
    """The sentence strings of ``text`` (see ``sentence_spans``)."""
    return [text[s:e] for s, e in sentence_spans(text)]


def word_overlap(a: str, b: str) -> float:
    """The share of the shorter text's distinct words (lower-cased letters and digits) that the
    other holds: 1.0 for a copy cut short, near 0 for unrelated sentences; 0.0 when one is empty.

    Usage: ``word_overlap("Fire kills 41.", "A fire kills 41 people.") -> 1.0``
    """
    x, y = set(_WORDS.findall(a.lower())), set(_WORDS.findall(b.lower()))
    return len(x & y) / min(len(x), len(y)) if x and y else 0.0


def _is_boundary(text: str, start: int, end_match: re.Match[str]) -> bool:
    punct = end_match.group(0)
    if not punct.startswith("."):
        return True
    before = text[start : end_match.start()]
    word = before.rsplit(None, 1)[-1] if before.strip() else ""
    word = word.lstrip("\"'“‘([")
    if not word:
        return True
    if _ACRONYM.match(word):
        following = text[end_match.end() :].lstrip().lstrip("\"'“‘([")
        next_word = re.match(r"[A-Za-z]+", following)
        return bool(next_word) and next_word.group(0).lower() in SENTENCE_STARTERS
    if len(word) == 1 and word.isupper():
        return False  # an initial: "J. K. Rowling"
    return word.lower() not in ABBREVIATIONS


def _append(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))
