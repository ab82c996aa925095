"""Does a claim say the opposite of its quote? A negation or an antonym flip keeps nearly every
word of the sentence it cites ("Saeed will not lead the delegation [1]" on "Saeed will lead the
delegation"), so cosine and word overlap pass it; this check does not.

- Negation: a word is negated when one of NEGATORS stands at most SCOPE words before it. The
  claim flips its quote when a content word both share is negated in one and plain in the other
  ("will not lead" / "will lead", "no longer chairs" / "chairs").
- Antonyms: the claim uses one side of a pair (rose/fell, won/lost, confirmed/denied, ...) and
  the quote the other side, never the claim's own word.

A negation is not counted as flipped when the other side says "not" in other words (UNSAID:
"failed to detect" for "could not detect", "left unchanged" for "did not change"); an antonym
paraphrase of a negation ("sat out" for "did not play") is still flagged rather than pass a flip.

Usage: ``flipped("X will not lead it.", "X will lead it.")`` -> "says “not lead”; the cited ..."
"""

from __future__ import annotations

import re
from functools import cache

NEGATORS = frozenset(
    "not no never none neither nor without cannot n't nobody nothing nowhere".split()
)
# words that say "not" without a negator ("failed to detect", "left it unchanged", "has yet to
# be tested", "will remain in"): a sentence holding one may restate its quote's negation
UNSAID = frozenset(
    "fail failed fails failing yet unchanged lack lacked lacks lacking refuse refused refuses "
    "declined declines absent avoid avoided remain remained remains stay stayed stays still "
    "lost miss missed without instead rather".split()
)
SCOPE = 3  # words after a negator that it negates: "did not formally lead"
# stems (PyStemmer English) of word pairs that say opposite things about the same event
ANTONYMS = (
    ("rise", "fall"),
    ("increas", "decreas"),
    ("gain", "lose"),
    ("higher", "lower"),
    ("win", "lose"),
    ("confirm", "deni"),
    ("accept", "reject"),
    ("approv", "reject"),
    ("acquit", "convict"),
    ("guilti", "innoc"),
    ("open", "close"),
    ("allow", "ban"),
    ("support", "oppos"),
    ("abov", "below"),
    ("more", "fewer"),
    ("expand", "shrink"),
    ("rais", "lower"),
    ("resign", "stay"),
    ("arriv", "leav"),
    ("arriv", "depart"),
    ("pass", "fail"),
    ("rais", "cut"),
    ("increas", "cut"),
    ("boost", "cut"),
    ("expand", "cut"),
    ("increas", "reduc"),
    ("increas", "lower"),
    ("rise", "drop"),
    ("gain", "drop"),
    ("grow", "shrink"),
    ("ahead", "trail"),
    ("ahead", "behind"),
    ("pass", "reject"),
    ("back", "reject"),
    ("close", "reopen"),
    ("overturn", "uphold"),
    ("guilti", "acquit"),
    ("profit", "loss"),
    ("surplus", "deficit"),
    ("improv", "worsen"),
    ("strengthen", "weaken"),
    ("earlier", "later"),
    ("minimum", "maximum"),
    ("lift", "impos"),
    ("allow", "prohibit"),
    ("hire", "fire"),
)
# past forms the stemmer leaves alone, as the stem of their verb: "led" is "lead"
IRREGULAR = {
    "led": "lead", "won": "win", "lost": "lose", "rose": "rise", "risen": "rise", "fell": "fall",
    "fallen": "fall", "left": "leav", "shrank": "shrink", "began": "begin", "took": "take",
    "gave": "give", "held": "hold", "met": "meet", "paid": "pay", "sold": "sell", "bought": "buy",
    "chose": "choos", "ran": "run", "upheld": "uphold", "grew": "grow", "shrunk": "shrink",
    "spoke": "speak", "wrote": "write", "told": "tell",
}  # fmt: skip
STOP = frozenset(
    "a an the of to in on at for from and or but by with as is are was were be been being has "
    "have had do does did it its he she they his her their this that than so also still yet".split()
)
_TOKEN = re.compile(r"n't|[\w']+|[,;:.!?()\u2014\u2013]")


@cache
def _stemmer() -> object:
    import Stemmer

    return Stemmer.Stemmer("english")


def _tokens(text: str) -> list[str]:
    """Lower-cased words and clause punctuation, "n't" split off: "didn't lead" -> ["did", "n't",
    "lead"]."""
    out: list[str] = []
    for w in _TOKEN.findall(text.lower().replace("\u2019", "'")):
        out += [w[:-3], "n't"] if w.endswith("n't") and w != "n't" else [w]
    return out


def _negates(text: str, also: frozenset[str] = frozenset()) -> bool:
    return any(t in NEGATORS or t in also for t in _tokens(text))


def polarity(text: str) -> tuple[dict[str, str], dict[str, str]]:
    """(negated, plain) content words of ``text`` as {stem: the words as written, a negated one
    with its negator: "not … team"}. A negation
    reaches SCOPE content words and stops at clause punctuation ("who did not speak, leads")."""
    tokens = _tokens(text)
    stems = _stemmer().stemWords(tokens)  # type: ignore[attr-defined]
    negated: dict[str, str] = {}
    plain: dict[str, str] = {}
    since, negator = SCOPE + 1, ""  # content words since the last negator
    for word, stem in zip(tokens, stems, strict=True):
        stem = IRREGULAR.get(word, stem)
        if word in NEGATORS:
            since, negator = 0, "not" if word == "n't" else word
        elif not word[0].isalnum() and word != "'":
            since = SCOPE + 1
        elif word == "longer" and since == 0:  # "no longer leads" negates "leads"
            negator += " longer"
        elif word not in STOP:
            since += 1
            if since > SCOPE:
                plain.setdefault(stem, word)
            else:
                negated.setdefault(stem, f"{negator} {'' if since == 1 else '… '}{word}")
    return negated, plain


def flipped(claim: str, quote: str) -> str:
    """Why ``claim`` says the opposite of ``quote`` ("" when it does not). A negation flip
    needs one side with no negation at all: when both negate something, a paraphrase has
    usually moved the negation ("not fully recovered" / "still not over"), not removed it."""
    c_neg, c_plain = polarity(claim)
    q_neg, q_plain = polarity(quote)
    for stem, word in c_neg.items() if not q_neg and not _negates(quote, UNSAID) else ():
        if stem in q_plain:
            return f"says “{word}”; the cited sentence does not negate it"
    for stem, word in c_plain.items() if not c_neg and not _negates(claim, UNSAID) else ():
        if stem in q_neg:
            return f"states “{word}”; the cited sentence says “{q_neg[stem]}”"
    c_all = {stem: word.split()[-1] for stem, word in (c_neg | c_plain).items()}
    q_all = {stem: word.split()[-1] for stem, word in (q_neg | q_plain).items()}
    for stem, word in c_plain.items():  # "damaged" / "undamaged", either way round
        other = stem[2:] if stem.startswith("un") else f"un{stem}"
        if other in q_plain and stem not in q_plain:
            return f"says “{word}” where the cited sentence says “{q_plain[other]}”"
    for a, b in ANTONYMS:
        for mine, theirs in ((a, b), (b, a)):
            if mine in c_all and theirs in q_all and mine not in q_all:
                return f"says “{c_all[mine]}” where the cited sentence says “{q_all[theirs]}”"
    return ""
