"""What an LLM claim states that its quotes do not: the names, dates and figures spaCy finds in
the claim (compared as news restates them, rag.query.llm.mentions) and the titles it gives a
person (rag.query.llm.roles). A name the quote refers back to ("Brightline" for "the airline",
"Austin" for "the city") counts when the text before the quote names it and the quote names
nothing else of its kind.

Usage: ``Unstated(nlp, "Judge Ann Lee spoke.").all(["Lee spoke."], [""]) -> ["“judge”"]``
"""

from __future__ import annotations

import re

from rag.query.llm.mentions import refers_back, same_kind, stated
from rag.query.llm.nlp import Entity, Nlp
from rag.query.llm.roles import untitled

# entity kinds a claim may only state when its quote does: a swapped name, date or number
# must not pass on a sentence that merely shares the claim's other words
CHECKED_LABELS = frozenset(
    "PERSON NORP FAC ORG GPE LOC PRODUCT EVENT WORK_OF_ART LAW DATE TIME PERCENT MONEY "
    "QUANTITY CARDINAL".split()
)

_ARTICLES = re.compile(r"\b(?:the|a|an)\b|\W+", re.I)  # what leaves no words when taken out


class Unstated:
    """One claim's names, dates, figures and titles, checked against its quotes."""

    def __init__(self, nlp: Nlp, claim: str) -> None:
        self.nlp = nlp
        self.claim = claim
        (parsed,) = nlp.parse([claim])
        self.entities: list[Entity] = [
            e for e in parsed.entities if e.label in CHECKED_LABELS and _ARTICLES.sub("", e.text)
        ]

    def names(self, quotes: list[str]) -> list[str]:
        """The entities none of ``quotes`` states, as a reason shows them (“Friday”)."""
        found = [e for e in self.entities if not any(stated(e.text, e.label, q) for q in quotes)]
        return list(dict.fromkeys(f"“{e.text}”" for e in found))

    def all(self, quotes: list[str], before: list[str]) -> list[str]:
        """The entities and titles that no quote states; ``before[i]``: the chunk's text
        before ``quotes[i]``, where a name the quote refers back to, or a person's title, may
        be given."""
        people = [e.text for e in self.entities if e.label == "PERSON"]
        pairs = list(zip(quotes, before, strict=True))
        unsaid = [set(untitled(self.claim, q, b, people)) for q, b in pairs]
        titles = [f"“{t}”" for t in sorted(set.intersection(*unsaid))] if unsaid else []
        missing = [
            f"“{e.text}”"
            for e in self.entities
            if not any(stated(e.text, e.label, q) for q in quotes)
            and not any(self._referred(e, q, b) for q, b in pairs)
        ]
        return list(dict.fromkeys(missing + titles))

    def _referred(self, entity: Entity, quote: str, before: str) -> bool:
        """``quote`` speaks of ``entity`` as "the city", "the airline": named before it, and
        no other name of its kind in the quote."""
        if not refers_back(entity.label, quote) or not stated(entity.text, entity.label, before):
            return False
        (parsed,) = self.nlp.parse([quote])
        return not any(
            same_kind(e.label, entity.label) and not stated(e.text, e.label, self.claim)
            for e in parsed.entities
        )
