"""Whether a later report revises an earlier figure, from what its sentence and passage say:
a revision word with the figure right after "to"/"at" ("raised the death toll to 19", "now
stands at"), a verb that changes a figure ("cut the fine ... to £410,000"), another sentence
calling it "the revised total", a reason for a new figure ("after laboratory tests showed"), or
the older figure given beside the new one ("younger than the 3,400 years first estimated").

Usage: ``revises(later_evidence, its_value, earlier_value)``, ``update_said(evidence, value,
older_values)``
"""

from __future__ import annotations

import re

from rag.core.clauses import stated_at
from rag.core.values import Value, agree, comparable, parse_value
from rag.query.reading.read import Evidence

# said anywhere in the newer report's passage, these revise a figure
_STRONG_REVISION = re.compile(
    r"\b(?:revis(?:ed|es|ing|ion)|correct(?:ed|ion)|restat\w*|ratified|certified|recount\w*"
    r"|final (?:count|tally|toll|figure|result)|updated (?:its|the|their) (?:figure|estimate|"
    r"count|toll|total))\b",
    re.IGNORECASE,
)
_REVISION = re.compile(
    r"\b(?:revis\w*|updat\w*|correct(?:ed|ing|ion)|restat\w*|raised|raising|rais\w+ (?:the|its)"
    r"|(?:rose|risen|climbed|jumped|increased|fell|dropped|lowered|cut) (?:to|from)|up from"
    r"|down from|final (?:count|tally|toll|figure|result|certified)|certified|recount\w*"
    r"|ratified|adjusted|official(?:ly)? (?:count|figure|result|time|toll)"
    r"|(?:earlier|initially|previously) (?:reported|estimated|put|given|said)"
    r"|now (?:stands|put|puts|says?|estimate\w*|believe\w*|faces?|totals?)"
    r"|had (?:earlier|initially) |than (?:first|initially|originally|earlier|previously) "
    r"(?:thought|believed|estimated|reported)|(?:moved|postponed|rescheduled|pushed back|brought "
    r"forward) to|confirmed (?:results|figures)|after (?:\w+ ){0,3}(?:tests?|surveys?|surveyors"
    r"|measur\w+|counting|count|checking|checks|re-\w+|audit\w*|review\w*|bids|inspect\w*"
    r"|analys\w+|examin\w+|recount\w*)\b"
    r"|final(?:\s+\w+){0,2}\s+(?:stood|stands|was|is) at)",
    re.IGNORECASE,
)
# a verb that changes a figure: with the span right after "to" ("cut the fine ... to £410,000");
# ("revised" is a revision word of _REVISION already, checked before)
_CHANGED = re.compile(
    r"\b(?:cut|cuts|reduc\w+|rais\w+|lower\w+|increas\w+|trimm\w+|halv\w+|doubl\w+"
    r"|slash\w+|push\w+ up|bump\w+ up)\b",
    re.IGNORECASE,
)
# said anywhere in the newer report (its headline, its passage): it sets its figure against an
# earlier account ("larger than planned", "cost more than the museum said", "rather than 16
# February") or gives the figure of a fuller or later count ("a fresh survey", "audited accounts")
_AGAINST_EARLIER = re.compile(
    r"\b(?:rather than|instead of|than (?:\w+ ){0,3}(?:said|says|announced|planned|expected|"
    r"thought|reported|stated|claimed|estimated|first|initially|originally|previously|earlier|"
    r"it first appeared)|(?:new|fresh|fuller|full|later|latest|audited|official|revised) "
    r"(?:\w+ )?(?:survey|study|data|figures?|records?|count|tally|accounts|estimate|analysis|"
    r"measurements?|dating|assessment|search))\b",
    re.IGNORECASE,
)
# a sentence after the figure's own that calls it revised
_RESTATED = re.compile(
    r"\bthe (?:revised|final|corrected|updated|new) (?:total|figure|count|tally|toll|estimate)\b",
    re.IGNORECASE,
)
# the figure a revision names comes after these ("raised to", "stands at", "a final count of")
_TO = re.compile(
    r"\b(?:to|at|as|(?:count|tally|total|toll|figure|estimate) of|now says?)\s+"
    r"(?:about\s+|around\s+|some\s+)?$",
    re.IGNORECASE,
)
_CHANGED_TO = re.compile(r"\bto\s+(?:about\s+|around\s+|some\s+)?$", re.IGNORECASE)


def revises(later: Evidence, value: Value, earlier: Value) -> bool:
    """Whether a later report's reading ``value`` is a revised figure: its sentence says it
    revises with the span right after "to"/"at" ("raised the toll to 19", "lowered the count ...
    to 36,950"), another sentence of its passage calls it "the revised total", or its sentence
    gives the earlier report's value beside its own ("about 2,950 years, younger than the 3,400
    years ..."); the last two only for a value of the earlier one's measure."""
    said = later.candidate.text
    if says_revised(later) or _CHANGED.search(said) and revised_to(later, _CHANGED_TO):
        return True
    if value.unit != earlier.unit:
        return False  # "of which it pays 455 million" beside "the revised 910 million euros"
    if _RESTATED.search(later.candidate.hit.chunk.text.replace(said, " ")):
        return True  # "... produced 6,128 strikes. The revised total makes it a record."
    return gives_older(said, value, [earlier])


def says_revised(e: Evidence) -> bool:
    """Whether the quoted sentence says it revises a figure, and the span is that figure."""
    return bool(_REVISION.search(e.candidate.text)) and revised_to(e)


def update_said(newest: Evidence, value: Value, older: list[Value]) -> bool:
    """Whether the newest report says it revises (a revision word in its sentence, or an
    unambiguous one in its passage; its headline or passage setting its figure against an
    earlier account or a fuller count; a verb that changes a figure with the value right after
    its "to") or gives an older report's value beside its own."""
    said, hit = newest.candidate.text, newest.candidate.hit
    if _REVISION.search(said) or _STRONG_REVISION.search(hit.chunk.text):
        return True
    if _AGAINST_EARLIER.search(f"{hit.title}\n{hit.chunk.text}"):
        return True
    if _CHANGED.search(said) and revised_to(newest, _CHANGED_TO):
        return True  # "cut the fine imposed on the firm to £410,000"
    return gives_older(said, value, older)


def gives_older(said: str, value: Value, older: list[Value]) -> bool:
    """Whether ``said`` also gives an older report's value (one of its measure, equal to it)
    beside ``value``."""
    values = [parse_value(m) for m in _mentions(said, value.kind)]
    return any(
        v.unit == o.unit and comparable(v, o) and agree(v, o) and v.key != value.key
        for v in values
        for o in older
    )  # of its measure: not the "20" of "voted 35 to 20" for an older "20 percent"


def revised_to(e: Evidence, before: re.Pattern[str] = _TO) -> bool:
    """Whether the span is the figure a revision names: "raised the toll to 19", "stands at",
    "ratified as" (not another number of the sentence: "of which it pays 455 million")."""
    hit = e.candidate.hit
    if hit.reading is None or hit.reading.start < 0:
        return False
    return bool(before.search(hit.chunk.text[: hit.reading.start]))


def _mentions(text: str, kind: str) -> list[str]:
    """Spans of ``text`` that may state a value of ``kind`` (numbers with what follows them)."""
    if kind != "number":
        return []
    number = r"\b\d[\d,.]*(?:\s+(?:million|billion|thousand))?(?:\s+[A-Za-z]+)?"
    # with the word after when it is a unit or what is counted ("3,120 students", not "it")
    return [stated_at(m[0])[0] for m in re.finditer(number, text)]
