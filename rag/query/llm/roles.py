"""Whether a quote gives a person the title or occupation an LLM claim gives them. "Dana
Whitcombe, the minority leader" on "Assembly Speaker Dana Whitcombe" keeps every name and passes
an overlap check; the title is what changed. The title words a claim gives a person (TITLES:
"speaker", "senator", "pharmacist", "chief", "officer", ... within CLOSE words of the name)
must be in the quote, or in the text before
it near the person's name ("Gould said ..." after "County health officer Teresa Gould ...").

Usage: ``untitled("Judge Ann Lee said it.", "Ann Lee said it.", "", ["Ann Lee"]) -> ["judge"]``
"""

from __future__ import annotations

import re

TITLES = frozenset(
    """
    speaker leader minister premier president chair chairman chairwoman chairperson secretary
    commissioner senator representative congressman congresswoman governor mayor councillor
    councilor councilman councilwoman alderman deputy ambassador envoy diplomat spokesman
    spokeswoman spokesperson judge prosecutor attorney lawyer solicitor barrister defendant
    sheriff constable officer detective inspector sergeant captain lieutenant colonel admiral
    commander chief executive director manager administrator superintendent headteacher
    headmaster dean provost professor lecturer researcher scientist economist analyst engineer
    architect physician doctor surgeon nurse pharmacist physiotherapist dentist epidemiologist
    virologist biologist ecologist geologist glaciologist climatologist meteorologist astronomer
    physicist chemist historian archaeologist curator librarian novelist poet writer editor
    journalist reporter photographer artist painter sculptor composer musician singer actor
    actress filmmaker programmer coach striker goalkeeper midfielder pitcher quarterback referee
    umpire jockey founder treasurer auditor accountant banker broker trader farmer fisherman
    miner pilot firefighter paramedic teacher chancellor comptroller controller registrar clerk
    ombudsman regulator
    """.split()
)
NEAR = 6  # words between a title and the person's name in the text before the quote
CLOSE = 6  # ... and in the claim: "Dana Whitcombe, the assembly's minority leader"
_WORD = re.compile(r"[a-z]+(?:-[a-z]+)*(?:['’]s\b)?")


def untitled(claim: str, quote: str, before: str, people: list[str]) -> list[str]:
    """The claim's title words that neither the quote states nor the text before it gives
    near one of ``people`` (the claim's persons)."""
    names = {part for p in people for part in _words(p) if len(part) > 2}  # noqa: PLR2004
    wanted = [w for w in dict.fromkeys(_near(_words(claim), names, CLOSE)) if w in TITLES]
    if not wanted:
        return []
    said = set(_words(quote))
    given = _near(_words(before), names, NEAR)
    return [w for w in wanted if w not in said and w not in given]


def _near(words: list[str], names: set[str], reach: int) -> set[str]:
    """The words at most ``reach`` words from one of ``names``."""
    return {
        words[j]
        for i, w in enumerate(words)
        if w in names
        for j in range(max(0, i - reach), min(len(words), i + reach + 1))
    }


def _words(text: str) -> list[str]:
    """Lower-case words, a plural title as its singular ("senators" → "senator")."""
    out = []
    for w in _WORD.findall(text.lower()):
        w = w.removesuffix("'s").removesuffix("’s")
        single = w[:-1] if w.endswith("s") and w[:-1] in TITLES else w
        out.append(single)
    return out
