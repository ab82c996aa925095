"""The clause of a sentence or span that states the value a question asks for: when a span
joins several ("killing 12 and injuring 40"), the one sharing most words with the question
("How many were injured?" → "injuring 40"); and the value as a clause writes it ("more than 45
hours" out of "Jurors spent more than 45 hours considering their verdict").

Usage: ``focus(span, question)``, ``asked_clauses(sentence, question)``, ``stated_at(clause)``
"""

from __future__ import annotations

import re

from rag.core.numbers import MEASURES, NUMBER, SMALL, WORD_NUMBER
from rag.core.values import COUNTED


def focus(span: str, question: str) -> str:
    """The part of ``span`` that states the value ``question`` asks for, when the span joins
    several ("about six metres across and 15 metres deep" → "15 metres deep" for "How deep is
    the sinkhole?"; "killing 12 and injuring 40" → "injuring 40" for "How many were injured?"):
    of its clauses with a number, the one whose words share most with the question; the span
    itself when fewer than two clauses hold a number, or none (or more than one) shares most."""
    if _RANGE.search(span):
        return span  # "between 300 and 400 people" is one value
    found = asked_clauses(span, question)
    if len(found) < 2:
        return span
    shared = [n for _, n in found]
    best = max(shared)
    if best == 0 or shared.count(best) > 1:
        return span
    return found[shared.index(best)][0]


def stated_at(clause: str) -> tuple[str, str]:
    """The value a clause states, as news writes it (a qualifier or currency before the number,
    and the unit or plural nouns after it: "Jurors spent more than 45 hours considering ..." →
    "more than 45 hours"), and what follows it; the clause itself when it has no number."""
    found = NUMBER.search(clause) or WORD_NUMBER.search(clause)
    if found is None:
        return clause, ""
    lead = _LEAD.search(clause[: found.start()])
    start = lead.start() if lead else found.start()
    scale = _TAIL.match(clause, found.end())
    end = scale.end() if scale else found.end()
    for _ in range(2):  # a noun or a unit, not "of", "away" or "considering"
        word = re.match(r"[\s-]+([A-Za-z]+)", clause[end:])
        if word is None or not _counted_word(word[1].lower()):
            break
        end += word.end()
    return clause[start:end].strip(), clause[end:]


_LEAD = re.compile(
    r"(?:[$€£¥]|\b(?:about|around|some|nearly|almost|more than|over|at least|up to|roughly)\s+)+$",
    re.I,
)
_TAIL = re.compile(r"%|\s*(?:per\s*cent|million|billion|thousand|bn|m\b)")


def _counted_word(word: str) -> bool:
    """A unit ("hours", "km") or a plural noun ("households"), what a number counts."""
    single = word[:-1] if word.endswith("s") and len(word) > 3 else word
    if word in MEASURES or single in MEASURES or any(single in kind for kind in COUNTED):
        return True
    return word != single and word not in SMALL and not word.endswith("ss")


def asked_clauses(text: str, question: str) -> list[tuple[str, int]]:
    """The clauses of ``text`` that hold a number, each with how many words it shares with
    ``question`` (none for a clause giving an older figure: "up from 80")."""
    clauses = [c for c in _CLAUSES.split(text) if NUMBER.search(c) or WORD_NUMBER.search(c)]
    asked = stems(question)
    return [(c.strip(), 0 if _OLDER.match(c) else len(stems(c) & asked)) for c in clauses]


_RANGE = re.compile(r"\bbetween\b.+\band\b", re.I)
_OLDER = re.compile(r"(?:up|down|rising|falling|compared)?\s*(?:from|with|than|against)\b", re.I)
_CLAUSES = re.compile(
    r"\s*(?:[,;](?!\d)|(?<!hundred)(?<!thousand)\s\b(?:and|while|but|with|whereas)\b)\s*", re.I
)  # not "two hundred and eighteen"
_ASKING = frozenset("how many much what which who when where does did was were the".split())


def stems(text: str) -> set[str]:
    """Words of ``text`` as compared between a span and a question: lower case, without the
    endings "-ing", "-ed", "-es", "-s" ("injuring" and "injured" are one word)."""
    words = {w.lower() for w in re.findall(r"[A-Za-z]{3,}", text)} - _ASKING - SMALL
    return {_STEM.sub("", w) if len(w) > 4 else w for w in words}


_STEM = re.compile(r"(?:ing|ed|es|s)$")
