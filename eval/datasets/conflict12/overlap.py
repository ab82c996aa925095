"""Helpers of validate.py, split out to keep each file short: the value normaliser, and the
overlap check (nothing of conflict12 - outlets, proper names, answer values and figures - may
occur in conflict1 .. conflict11). Stdlib only.

Copied from conflict11/overlap.py without changes to the logic; only this docstring differs.
The normaliser reads runs of number words, ordinals, scale words ("million", "£4.5m"), dates,
scores (also in words, "six goals to two"), clock times and names."""

import os
import re

# --- normalising values (numbers, number words, scales, dates, scores, times, names) ----

UNITS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
# "first", "second" and "third" are left out: in values they are rarely ranks ("first-year",
# "a third"), and "second" would clash with the unit of time
ORDINALS = (
    "- - - - fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
    "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth"
).split()
TENTHS = "twentieth thirtieth fortieth fiftieth sixtieth seventieth eightieth ninetieth".split()
WORD_NUM = {w: i for i, w in enumerate(UNITS)}
WORD_NUM.update({w: 20 + 10 * i for i, w in enumerate(TENS)})
WORD_NUM.update({w: i for i, w in enumerate(ORDINALS) if w != "-"})
WORD_NUM.update({w: 20 + 10 * i for i, w in enumerate(TENTHS)})
BIG = {"hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9}
NUM_WORD = r"(?:" + "|".join(sorted(list(WORD_NUM) + list(BIG), key=len, reverse=True)) + r")"
# a run of number words: "forty-three", "two hundred and fourteen", "thirty-seventh"
WORD_RUN_RE = re.compile(
    r"\b" + NUM_WORD + r"(?:(?:[- ]|\s+and\s+)" + NUM_WORD + r")*\b", re.IGNORECASE
)
MONTHS = (
    "january february march april may june july august september october november december"
).split()
MON = "(" + "|".join(MONTHS) + ")"
DATE_RE = re.compile(
    r"\b(\d{1,2})(?:st|nd|rd|th)?\s+" + MON + r"\b|\b" + MON + r"\s+(\d{1,2})(?:st|nd|rd|th)?\b",
    re.IGNORECASE,
)
SCORE_RE = re.compile(r"\b(\d{1,3})[-\u2013](\d{1,3})\b")
TIME_RE = re.compile(
    r"\b(\d{1,2})(?:[.:](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)|\b(\d{1,2}):(\d{2})(?::(\d{2}))?\b",
    re.IGNORECASE,
)
GOALS_RE = re.compile(
    r"\b(\d{1,3}|[a-z]+(?:-[a-z]+)?)\s+(?:goals?|points?)\s+to\s+(\d{1,3}|[a-z]+(?:-[a-z]+)?)\b",
    re.IGNORECASE,
)
NUM = r"\d+(?:,\d{3})*(?:\.\d+)?"
NUM_RE = re.compile(NUM)
SCALE = {"hundred": 100, "thousand": 1e3, "million": 1e6, "billion": 1e9}
SCALE.update({"m": 1e6, "bn": 1e9, "k": 1e3})
SCALE_RE = re.compile(r"(" + NUM + r")\s*(hundred|thousand|million|billion)\b", re.IGNORECASE)
MONEY_SCALE_RE = re.compile(r"[£$€](" + NUM + r")(m|bn|k)\b")
TITLES = set(
    "mr mrs ms miss dr professor prof sir captain judge justice councillor father skip "
    "inspector sergeant".split()
)


def word_run_value(run):
    """Value of a run of number words, e.g. "three hundred and thirty" -> 330."""
    total = current = 0
    for w in re.findall(r"[a-z]+", run.lower()):
        if w == "and":
            continue
        if w == "hundred":
            current = (current or 1) * 100
        elif w in BIG:
            total += (current or 1) * BIG[w]
            current = 0
        else:
            current += WORD_NUM[w]
    return total + current


def words_to_digits(s):
    return WORD_RUN_RE.sub(lambda m: str(word_run_value(m.group(0))), s)


def word_score(m):
    """"four goals to three" -> "4-3" (either side may be digits or number words)."""
    sides = []
    for side in (m.group(1), m.group(2)):
        if side.isdigit():
            sides.append(side)
        elif all(w in WORD_NUM for w in side.lower().split("-")):
            sides.append(str(word_run_value(side)))
        else:
            return m.group(0)
    return "-".join(sides)


def numbers(s):
    """Everything numeric in s: dates, scores and times as tuples, other numbers as floats
    (number words, ordinals and scale words such as "million" or "£4.5m" applied)."""
    found = []
    s = GOALS_RE.sub(word_score, s)
    for m in DATE_RE.finditer(s):
        day, mon = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        found.append(("date", MONTHS.index(mon.lower()) + 1, int(day)))
    s = DATE_RE.sub(" ", s)
    for m in TIME_RE.finditer(s):
        if m.group(3):
            ap = m.group(3).lower().replace(".", "")
            hour = int(m.group(1)) % 12 + (12 if ap == "pm" else 0)
            found.append(("time", hour, int(m.group(2) or 0), 0))
        else:
            found.append(("time", int(m.group(4)), int(m.group(5)), int(m.group(6) or 0)))
    s = TIME_RE.sub(" ", s)
    found += [("score", int(a), int(b)) for a, b in SCORE_RE.findall(s)]
    s = SCORE_RE.sub(" ", s)

    def scaled(m):
        return (
            ("%.3f" % (float(m.group(1).replace(",", "")) * SCALE[m.group(2).lower()]))
            .rstrip("0")
            .rstrip(".")
        )

    # digits with a scale word first ("2.5 million", "$4.5m"), then runs of number words
    s = words_to_digits(MONEY_SCALE_RE.sub(scaled, SCALE_RE.sub(scaled, s)))
    return found + [float(x.replace(",", "")) for x in NUM_RE.findall(s)]


def canonical(s):
    nums = numbers(s)
    if nums:
        return tuple(nums)
    return ("name",) + tuple(t for t in re.findall(r"[a-z]+", s.lower()) if t not in TITLES)


def same(c1, c2):
    """Two canonical values denote the same thing (a name may be a shorter form)."""
    if c1 == c2:
        return True
    return c1[0] == c2[0] == "name" and (set(c1[1:]) <= set(c2[1:]) or set(c2[1:]) <= set(c1[1:]))


def figures(values):
    out = set()
    for s in values:
        out.update(numbers(s))
    return out


# --- nothing shared with the sibling sets -------------------------------------------

# Capitalised words that are not proper names even when they never occur in lower case.
COMMON = set(
    """I Mr Mrs Ms Dr Sir Monday Tuesday Wednesday Thursday Friday Saturday Sunday January
    February March April May June July August September October November December Easter
    Christmas CCTV GP""".split()
)


def corpus_words(rows):
    """(word, initial) pairs; initial = first word of the title, a paragraph or a sentence."""
    out = []
    for a in rows:
        # an outlet name is a name throughout, so none of its words counts as initial
        out.extend((w, False) for w in re.findall(r"[A-Za-z]+", str(a.get("source", ""))))
        for chunk in str(a.get("text", "")).split("\n\n"):
            for m in re.finditer(r"[A-Za-z]+", chunk):
                before = chunk[: m.start()].rstrip(" \"'(\u201c\u2018")
                out.append((m.group(0), not before or before[-1] in ".!?:"))
    return out


def proper_names(words, lower_seen):
    """Capitalised words never seen in lower case, used at least once inside a sentence."""
    return {
        w for w, initial in words if not initial and w[0].isupper() and w.lower() not in lower_seen
    } - COMMON


def sibling_errors(articles, qas, outlets, load, here, siblings):
    """Problems from anything this set shares with its sibling sets, and the siblings that
    were not found next to it (their check is skipped)."""
    errors, skipped, sibling_rows = [], [], {}
    for sib in siblings:
        d = os.path.join(here, os.pardir, sib)
        arts = load("articles.jsonl", d, report=False)
        qa = load("qa.jsonl", d, report=False)
        if not arts or not qa:
            skipped.append(sib)
            continue
        sibling_rows[sib] = (arts, qa)
    if not sibling_rows:
        return errors, skipped

    mine_words = corpus_words(articles)
    all_words = list(mine_words)
    for arts, _ in sibling_rows.values():
        all_words += corpus_words(arts)
    lower_seen = {w for w, _ in all_words if w.islower()}
    my_names = proper_names(mine_words, lower_seen)
    my_answers = {str(x) for q in qas for x in q.get("answers") or []}
    my_figures = figures(my_answers)
    my_outlets = set(outlets)
    my_text = "\n".join(a.get("text", "") for a in articles)
    for sib, (arts, qa) in sibling_rows.items():
        their_outlets = {a.get("source") for a in arts}
        for o in sorted(my_outlets & their_outlets):
            errors.append(f"outlet {o!r} is also used in {sib}")
        their_text = "\n".join(a.get("text", "") for a in arts)
        for o in sorted(my_outlets):
            if o in their_text:
                errors.append(f"outlet {o!r} is named in {sib}'s articles")
        for o in sorted(their_outlets):
            if o and o in my_text:
                errors.append(f"{sib} outlet {o!r} is named in this set")
        for w in sorted(my_names & proper_names(corpus_words(arts), lower_seen)):
            errors.append(f"proper name {w!r} also occurs in {sib}")
        their_answers = {str(x) for q in qa for x in q.get("answers") or []}
        for s in sorted({x.lower() for x in my_answers} & {x.lower() for x in their_answers}):
            errors.append(f"answer value {s!r} also used in {sib}")
        for f in sorted(my_figures & figures(their_answers), key=str):
            errors.append(f"answer figure {f!r} also used in {sib}")
    return errors, skipped
