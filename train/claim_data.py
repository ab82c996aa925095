"""Training pairs for the claim checker (``python -m train.claims``), from the training articles
of train/data and the claims written for them in train/claims (never an evaluation set).

Each pair is (claim, evidence window, supported?). The window is what the product shows the
checker: a sentence of the cited text with the sentence before it (rag.query.llm.judge). Kinds:
- ``written``: a claim of train/claims with the window of its evidence sentence, labelled as
  written (restated: supported; one fact changed: not);
- ``elsewhere``: a supported written claim against another window of its article (not);
- ``twin``: a supported written claim or an article sentence with one name, number, date or
  polarity changed by rule (spaCy finds them), against the window (not);
- ``copy``: an article sentence against its own window (supported).

Usage: ``pairs = claim_pairs(load_articles(DATA), load_claims(CLAIMS), Nlp(), seed=13)``
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from dataclasses import dataclass
from pathlib import Path

from rag.core.text import sentence_spans
from rag.query.llm.nlp import Nlp

DATA = Path(__file__).parent / "data"
CLAIMS = Path(__file__).parent / "claims"
SWAPPED_LABELS = ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC")
NUMBER_LABELS = ("CARDINAL", "MONEY", "PERCENT", "QUANTITY")
WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
MONTHS = (
    "January February March April May June July August September October November December"
).split()
# opposite words a twin may put in place of each other (both directions)
OPPOSITES = (
    ("won", "lost"), ("rose", "fell"), ("increased", "decreased"), ("approved", "rejected"),
    ("accepted", "rejected"), ("opened", "closed"), ("acquitted", "convicted"),
    ("higher", "lower"), ("more", "fewer"), ("above", "below"), ("raised", "cut"),
    ("allowed", "banned"), ("supported", "opposed"), ("passed", "failed"),
    ("men's", "women's"), ("final", "semi-final"),
    ("gained", "lost"), ("confirmed", "denied"), ("guilty", "not guilty"),
)  # fmt: skip
AUXILIARIES = re.compile(r"\b(was|were|is|are|has|have|had|will|would|can|could|did|does)\b")
NEGATED = re.compile(r"\b(?:was|were|is|are|has|have|had|will|would|could|did|does)( not)\b")
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


@dataclass(frozen=True, slots=True)
class ClaimPair:
    claim: str
    evidence: str
    supported: bool
    kind: str
    article_id: str


def load_articles(data: Path = DATA) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for path in sorted(data.glob("*/articles.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                article = json.loads(line)
                out[article["id"]] = article
    return out


def load_claims(folder: Path = CLAIMS) -> list[dict]:
    rows = []
    for path in sorted(folder.glob("*/claims.jsonl")):
        rows += [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
    return rows


def held_out(article_id: str, share: float) -> bool:
    """Whether an article is kept for validation (a salted hash: stable across runs)."""
    digest = hashlib.sha1(f"claims:{article_id}".encode()).hexdigest()
    return int(digest[:8], 16) / 0xFFFFFFFF < share


def windows(text: str) -> list[tuple[int, int, int]]:
    """(window start, sentence start, sentence end) of each sentence of ``text``: the window
    opens at the sentence before it (the one a pronoun may need)."""
    spans = [(s, e) for s, e in sentence_spans(text) if len(text[s:e].split()) >= 3]
    return [(spans[i - 1][0] if i else s, s, e) for i, (s, e) in enumerate(spans)]


def window_of(text: str, start: int, end: int) -> str:
    """The window of the sentences that [start, end) overlaps, with the sentence before."""
    spans = windows(text)
    inside = [w for w in spans if w[1] < end and w[2] > start]
    if not inside:
        return text[start:end]
    return text[inside[0][0] : inside[-1][2]]


def claim_pairs(
    articles: dict[str, dict], claims: list[dict], nlp: Nlp, seed: int, copies: int = 6
) -> list[ClaimPair]:
    """Every training pair of the written claims and the articles (see the module's kinds)."""
    rng = random.Random(seed)
    pairs: list[ClaimPair] = []
    for c in claims:
        article = articles.get(c["article_id"])
        at = article["text"].find(c["evidence"]) if article else -1
        if article is None or at < 0:
            continue
        text = article["text"]
        window = window_of(text, at, at + len(c["evidence"]))
        pairs.append(ClaimPair(c["claim"], window, bool(c["supported"]), "written", article["id"]))
        if not c["supported"]:
            continue
        others = [w for w in windows(text) if w[2] <= at or w[1] >= at + len(c["evidence"])]
        if others:
            w = rng.choice(others)
            pairs.append(
                ClaimPair(c["claim"], text[w[0] : w[2]], False, "elsewhere", c["article_id"])
            )
        twin = make_twin(c["claim"], text, nlp, rng)
        if twin:
            pairs.append(ClaimPair(twin, window, False, "twin", c["article_id"]))
    for article in articles.values():
        text = article["text"]
        spans = windows(text)[1:]  # the headline line opens most texts
        for w in rng.sample(spans, min(copies, len(spans))):
            sentence, window = text[w[1] : w[2]], text[w[0] : w[2]]
            pairs.append(ClaimPair(sentence, window, True, "copy", article["id"]))
            twin = make_twin(sentence, text, nlp, rng)
            if twin:
                pairs.append(ClaimPair(twin, window, False, "twin", article["id"]))
    return pairs


def make_twin(claim: str, article: str, nlp: Nlp, rng: random.Random) -> str:
    """``claim`` with one fact changed by rule (a name of the article's for another of the same
    kind, a number, a weekday, month or year, an opposite word, a negation), or "" when no rule
    applies. The changed claim must not occur in the article."""
    parsed = nlp.parse([claim, article])
    claim_ents, article_ents = parsed[0].entities, parsed[1].entities
    options = []
    for e in claim_ents:
        if e.label in SWAPPED_LABELS:
            same = {a.text for a in article_ents if a.label == e.label}
            same = [s for s in same if s not in claim and e.text not in s and s not in e.text]
            if same:
                options.append((e.start, e.end, rng.choice(sorted(same))))
        elif e.label in NUMBER_LABELS or e.label == "DATE":
            changed = _changed_number_or_date(e.text, rng)
            if changed:
                options.append((e.start, e.end, changed))
    for a, b in OPPOSITES:
        for x, y in ((a, b), (b, a)):
            m = re.search(rf"\b{re.escape(x)}\b", claim)
            if m and not (x == "lost" and y == "won" and "gained" in claim):
                options.append((m.start(), m.end(), y))
    aux = AUXILIARIES.search(claim)
    negated = NEGATED.search(claim)
    if negated:  # the negation taken away
        options.append((negated.start(1), negated.end(1), ""))
    elif aux and not re.search(r"\b(not|never|n't|no longer)\b", claim):
        options.append((aux.end(), aux.end(), " not"))
    rng.shuffle(options)
    for start, end, new in options:
        twin = claim[:start] + new + claim[end:]
        if twin != claim and twin not in article:
            return twin
    return ""


def _changed_number_or_date(text: str, rng: random.Random) -> str:
    """``text`` with its weekday, month, year or first number changed ("" when none)."""
    for names in (WEEKDAYS, MONTHS):
        for name in names:
            if name in text:
                return text.replace(name, rng.choice([n for n in names if n != name]), 1)
    year = re.search(r"\b(19|20)\d\d\b", text)
    if year:
        new = str(int(year.group()) + rng.choice((-2, -1, 1, 2)))
        return text[: year.start()] + new + text[year.end() :]
    number = _NUMBER.search(text)
    if number:
        raw = number.group().replace(",", "")
        value = float(raw)
        factor = rng.choice((0.5, 0.75, 1.5, 2.0, 3.0))
        new_value = value * factor if value > 3 else value + rng.choice((1, 2, 3))
        new = f"{new_value:,.0f}" if "." not in raw else f"{new_value:.1f}"
        return text[: number.start()] + new + text[number.end() :] if new != raw else ""
    words = {"two": "three", "three": "four", "four": "five", "five": "six", "six": "eight"}
    for word, other in words.items():
        if re.search(rf"\b{word}\b", text, re.IGNORECASE):
            return re.sub(rf"\b{word}\b", other, text, count=1, flags=re.IGNORECASE)
    return ""
