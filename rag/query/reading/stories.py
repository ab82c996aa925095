"""Whether two passages report one story, told from the names they share: reports of one fire,
trial or vote share at least two names (capitalised words that do not just open a sentence); or,
published within ``STORY_DAYS`` of each other, one name the question itself asks about ("How
many flights were cancelled at Tervick airport?": two reports that both name Tervick, a day
apart, are two reports of that snowstorm).

Usage: ``one_story((text_a, title_a, day_a), (text_b, title_b, day_b), asked_names(question))``
"""

from __future__ import annotations

import re
from datetime import date

from rag.core.text import sentence_spans

STORY_NAMES = 2  # names two passages share to be reports of one story
STORY_DAYS = 14  # ...or one name the question asks about, when this close in time
_WORDS = re.compile(r"[^\W\d_]{3,}")
_NOT_NAMES = frozenset(
    """The This That These Those There Their They Then When Where What Which Who Why How While
    After Before But And For With From Police Officials Officers Monday Tuesday Wednesday
    Thursday Friday Saturday Sunday January February March April May June July August
    September October November December He She His Her Its It We Our In On At As By If Did
    Does Do Was Were Is Are Has Have Had Will Would Can Could""".split()
)


def asked_names(question: str) -> frozenset[str]:
    """The names a question asks about: its capitalised words but the first."""
    words = _WORDS.findall(question)
    return frozenset(w for w in words[1:] if w[0].isupper() and w not in _NOT_NAMES)


def one_story(
    a: tuple[str, str, date | None],
    b: tuple[str, str, date | None],
    asked: frozenset[str] = frozenset(),
) -> bool:
    """Whether passages ``a`` and ``b`` (each its text, headline and day) report one story."""
    shared = names(a[0], a[1], asked) & names(b[0], b[1], asked)
    if len(shared) >= STORY_NAMES:
        return True
    day_a, day_b = a[2], b[2]
    close = day_a is not None and day_b is not None and abs((day_a - day_b).days) <= STORY_DAYS
    return close and bool(shared & asked)


def names(text: str, title: str, asked: frozenset[str] = frozenset()) -> set[str]:
    """Capitalised words of the passage's sentences, each sentence's first word left out unless
    the word after it is capitalised too ("Ferrowyn Robotics on Tuesday ...") or the question
    asks about it ("Glenmarrow council has updated ..."), and the headline (whose words are all
    capitalised) left out."""
    found: set[str] = set()
    for start, end in sentence_spans(text):
        sentence = text[start:end]
        if sentence == title:
            continue
        words = [w for w in _WORDS.findall(sentence) if w[0].isupper()]
        tokens = [t.strip("\"“‘'(,") for t in sentence.split()[:2]]
        opener = tokens[0] if tokens else ""
        if len(tokens) == 2 and tokens[1][:1].isupper():
            opener = ""  # a name opens the sentence: its first word is a name too
        found.update(w for w in words if (w != opener or w in asked) and w not in _NOT_NAMES)
    return found
