#!/usr/bin/env python3
"""Stdlib-only checks for the conflict4 (blind test) evaluation set. Run from any directory.

Adapted from conflict3/validate.py. Differences: every report of a story is published on a
different day (no same-day pairs), conflict and update gaps are 1-7 days, articles have
130-180 words, at least 4 update questions have a revising article that does not repeat the
earlier figure, number normalising understands "million"/"hundred" and currency suffixes,
and nothing is shared with ../conflict1, ../conflict2 and ../conflict3 (overlap.py).
"""

import collections
import datetime
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PREFIX = "k4"
SIBLINGS = ("conflict1", "conflict2", "conflict3")
TYPES = ("conflict", "update", "consistent")
ART_KEYS = {"id", "title", "source", "published", "text"}
QA_KEYS = {"id", "question", "answers", "article_ids", "unanswerable", "answer_in_text",
           "question_type", "values", "latest"}
VALUE_KEYS = {"value", "article_id", "published", "source"}
N_ARTICLES, N_QUESTIONS, N_DISTRACTORS = 72, 48, 5
PER_TYPE = {"conflict": 16, "update": 16, "consistent": 16}
MIN_WORDS, MAX_WORDS = 130, 180
GAPS = range(1, 8)  # days between first and last report, for conflict and update questions
# at least 15 outlets, at most 2 name conflicts, at least 4 revisions without the old figure
MIN_OUTLETS, MAX_NAME_CONFLICTS, MIN_SILENT_UPDATES = 15, 2, 4
# wording that would tell the reader a figure was corrected; not allowed in conflict articles
REVISION_WORDS = re.compile(
    r"\b(correct(ed|s|ion|ing)?|revis\w*|amend\w*|updat(ed|es|ing)|earlier (figure|estimate|count)"
    r"|first (reported|thought|announced|estimate)|final (count|total|tally)|closing (total|tally)"
    r"|now (puts?|says?|estimates?|believes?)|has since|have since|raised the|lowered|other reports?"
    r"|(climbed|risen|rose) to|than (first )?(thought|feared|announced))\b",
    re.IGNORECASE,
)
HINT_WORDS = re.compile(r"\b(report|revis|correct|differ|conflict|disagree|latest|update)", re.I)
errors = []


def load(name, directory=HERE, report=True):
    """Rows of a JSON-lines file; problems are reported (for this set) or ignored (siblings)."""
    rows, problems = [], []
    try:
        with open(os.path.join(directory, name), encoding="utf-8") as f:
            for i, line in enumerate(f, 1):
                try:
                    row = json.loads(line) if line.strip() else "blank line"
                except json.JSONDecodeError as e:
                    row = f"bad JSON: {e}"
                if isinstance(row, dict):
                    rows.append(row)
                else:
                    problems.append(f"{name}:{i}: {row if isinstance(row, str) else 'not an object'}")
    except OSError as e:
        problems.append(f"{name}: cannot open: {e}")
    if report:
        errors.extend(problems)
    return rows


def valid_date(s):
    try:
        d = datetime.date.fromisoformat(s)
    except (TypeError, ValueError):
        return False
    return d.isoformat() == s and d.year == 2026 and d.month <= 11


def days(a, b):
    return abs((datetime.date.fromisoformat(a) - datetime.date.fromisoformat(b)).days)


# --- normalising values (numbers, number words, scales, times, months, names) ------------

UNITS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen "
         "fourteen fifteen sixteen seventeen eighteen nineteen").split()
TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
WORD_NUM = {w: i for i, w in enumerate(UNITS)}
WORD_NUM.update({w: 20 + 10 * i for i, w in enumerate(TENS)})
WORD_RE = re.compile(r"\b(" + "|".join(TENS) + r")(?:[- ](" + "|".join(UNITS[1:10])
                     + r"))?\b|\b(" + "|".join(UNITS) + r")\b", re.IGNORECASE)
TIME_RE = re.compile(r"\b(\d{1,2})[.:](\d{2})\s*(am|pm|a\.m\.|p\.m\.)|\b(\d{1,2}):(\d{2})"
                     r"(?::(\d{2}))?\b", re.IGNORECASE)
SCALE_WORDS = {"hundred": 100, "thousand": 1e3, "million": 1e6, "billion": 1e9}
SCALE_SUFFIX = {"k": 1e3, "m": 1e6, "bn": 1e9}  # only after a currency sign: "$2.1m"
NUM_RE = re.compile(r"([$€£]?)(\d+(?:,\d{3})*(?:\.\d+)?)(?:\s*(hundred|thousand|million|billion)\b"
                    r"|(k|m|bn)\b)?", re.IGNORECASE)
MONTHS = "january february march april may june july august september october november december"
MONTHS = MONTHS.split()
TITLES = {"mr", "mrs", "ms", "miss", "dr", "professor", "prof", "sir"}


def words_to_digits(s):
    return WORD_RE.sub(lambda m: str(sum(WORD_NUM[g.lower()] for g in m.groups() if g)), s)


def times(s):
    out = []
    for m in TIME_RE.finditer(s):
        if m.group(1):
            ap = m.group(3).lower().replace(".", "")
            out.append(("time", int(m.group(1)) % 12 + (12 if ap == "pm" else 0), int(m.group(2)), 0))
        else:
            out.append(("time", int(m.group(4)), int(m.group(5)), int(m.group(6) or 0)))
    return out


def numbers(s):
    """Figures in a value: times as (h, m, s), other numbers as floats ("$2.1m" = 2100000.0)."""
    found = times(s)
    rest = words_to_digits(TIME_RE.sub(" ", s))
    for m in NUM_RE.finditer(rest):
        x = float(m.group(2).replace(",", ""))
        if m.group(3):
            x *= SCALE_WORDS[m.group(3).lower()]
        elif m.group(4) and m.group(1):
            x *= SCALE_SUFFIX[m.group(4).lower()]
        found.append(round(x, 6))
    return found


def canonical(s):
    nums = numbers(s)
    months = tuple(t for t in re.findall(r"[a-z]+", s.lower()) if t in MONTHS)
    if nums:
        return tuple(nums) + months
    return ("name",) + tuple(t for t in re.findall(r"[a-z]+", s.lower()) if t not in TITLES)


def figures(values):
    return {f for s in values for f in numbers(s)}


# --- articles ------------------------------------------------------------------------------

articles, qas = load("articles.jsonl"), load("qa.jsonl")
by_id = {}
for a in articles:
    aid, text = a.get("id"), str(a.get("text", ""))
    if set(a) != ART_KEYS or aid in by_id:
        errors.append(f"article {aid}: duplicate id or keys {sorted(a)}")
    by_id[aid] = a
    if not valid_date(a.get("published")):
        errors.append(f"article {aid}: bad published date {a.get('published')!r}")
    if not text.startswith(str(a.get("title", "")) + "\n\n"):
        errors.append(f"article {aid}: text does not start with title and a blank line")
    paras = text.split("\n\n")[1:]
    if not 4 <= len(paras) <= 5 or any(not p.strip() or "\n" in p for p in paras):
        errors.append(f"article {aid}: needs 4-5 non-empty paragraphs, has {len(paras)}")
    if not MIN_WORDS <= len(text.split()) <= MAX_WORDS:
        errors.append(f"article {aid}: {len(text.split())} words")
if [a.get("id") for a in articles] != [f"{PREFIX}-a{i:02d}" for i in range(1, N_ARTICLES + 1)]:
    errors.append(f"article ids are not {PREFIX}-a01..{PREFIX}-a{N_ARTICLES:02d} in order")
if [q.get("id") for q in qas] != [f"{PREFIX}-q{i:02d}" for i in range(1, N_QUESTIONS + 1)]:
    errors.append(f"qa ids are not {PREFIX}-q01..{PREFIX}-q{N_QUESTIONS:02d} in order")

# --- questions -----------------------------------------------------------------------------

types, gaps = collections.Counter(), {"conflict": collections.Counter(), "update": collections.Counter()}
name_conflicts = silent_updates = three_article_updates = 0
story = {}  # union-find over articles that share a question = one story


def root(x):
    while story.setdefault(x, x) != x:
        x = story[x]
    return x


for q in qas:
    qid, qt = q.get("id"), q.get("question_type")
    types[qt] += 1
    if set(q) != QA_KEYS or qt not in TYPES:
        errors.append(f"qa {qid}: keys {sorted(q)} or question_type {qt!r}")
    if q.get("unanswerable") is not False or q.get("answer_in_text") is not True:
        errors.append(f"qa {qid}: expected unanswerable=false and answer_in_text=true")
    ids = q.get("article_ids") or []
    if len(set(ids)) != len(ids) or any(aid not in by_id for aid in ids):
        errors.append(f"qa {qid}: repeated or unknown article_id in {ids}")
    vals = []
    for v in q.get("values") or []:
        a = by_id.get(v.get("article_id")) if isinstance(v, dict) else None
        if a is None or set(v) != VALUE_KEYS:
            errors.append(f"qa {qid}: bad value entry {v!r}")
            continue
        if not v["value"] or v["value"] not in a["text"]:
            errors.append(f"qa {qid}: value {v['value']!r} not in {a['id']}")
        if (v["published"], v["source"]) != (a["published"], a["source"]):
            errors.append(f"qa {qid}: value published/source differ from {a['id']}")
        vals.append(v)
        story[root(a["id"])] = root(ids[0]) if ids and ids[0] in by_id else a["id"]
    if len(vals) < 2 or sorted(ids) != sorted(v["article_id"] for v in vals):
        errors.append(f"qa {qid}: fewer than 2 values, or article_ids differ from values")
    distinct = {v["value"] for v in vals}
    canon = {v["value"]: canonical(v["value"]) for v in vals}
    pubs = [v["published"] for v in vals]
    if len(set(pubs)) != len(pubs):
        errors.append(f"qa {qid}: two values published on the same day")
    spread = days(min(pubs), max(pubs)) if vals else None
    if qt in ("conflict", "update"):
        if len(distinct) < 2:
            errors.append(f"qa {qid}: {qt} question needs at least 2 different values")
        if spread not in GAPS:
            errors.append(f"qa {qid}: {qt} reports are {spread} days apart")
        else:
            gaps[qt][spread] += 1
    if qt == "conflict":
        if not 2 <= len(vals) <= 3 or len({v["source"] for v in vals}) != len(vals):
            errors.append(f"qa {qid}: conflict needs 2-3 values from different outlets")
        if len(distinct) != len(vals) or len(set(canon.values())) != len(vals):
            errors.append(f"qa {qid}: conflict values are not all different")
        name_conflicts += all(c[0] == "name" for c in canon.values())
        for v in vals:
            m = REVISION_WORDS.search(by_id[v["article_id"]]["text"])
            if m:
                errors.append(f"qa {qid}: conflict article {v['article_id']} says {m.group(0)!r}")
            for w in vals:
                if v["value"] != w["value"] and v["value"] in by_id[w["article_id"]]["text"]:
                    errors.append(f"qa {qid}: conflict value {v['value']!r} also in {w['article_id']}")
    if qt == "consistent" and len(set(canon.values())) != 1:
        errors.append(f"qa {qid}: consistent values do not agree: {sorted(distinct)}")
    latest = q.get("latest")
    newest = max(vals, key=lambda v: v["published"]) if vals else {}
    if latest != newest.get("value"):
        errors.append(f"qa {qid}: latest {latest!r} is not the newest-published value")
    if qt == "update" and vals:
        three_article_updates += len(vals) >= 3
        newest_text = by_id[newest["article_id"]]["text"]
        new_figs = set(numbers(newest_text))
        repeated = False
        for v in vals:
            if v is newest:
                continue
            if canon[v["value"]] == canonical(str(latest)):
                errors.append(f"qa {qid}: earlier value {v['value']!r} equals the revision")
            if str(latest) in by_id[v["article_id"]]["text"]:
                errors.append(f"qa {qid}: revised value appears in earlier {v['article_id']}")
            repeated |= set(numbers(v["value"])) <= new_figs
        silent_updates += not repeated
    answers = q.get("answers") or []
    if set(answers) != distinct or len(answers) != len(set(answers)):
        errors.append(f"qa {qid}: answers {sorted(answers)} differ from values {sorted(distinct)}")
    question = str(q.get("question", ""))
    if not question.strip().endswith("?") or HINT_WORDS.search(question):
        errors.append(f"qa {qid}: question must end with '?' and not hint at reports/revisions")

# every story (articles linked by questions) has its reports on different days, 1-7 days apart
groups = collections.defaultdict(list)
for aid in story:
    groups[root(aid)].append(by_id[aid]["published"])
for r, pubs in groups.items():
    if len(set(pubs)) != len(pubs) or days(min(pubs), max(pubs)) not in GAPS:
        errors.append(f"story of {r}: dates {sorted(pubs)} are not distinct days 1-7 days apart")

distractors = sorted(set(by_id) - set(story))
outlets = collections.Counter(a.get("source") for a in articles)
for bad, msg in (
    (len(articles) != N_ARTICLES, f"expected {N_ARTICLES} articles, found {len(articles)}"),
    (len(qas) != N_QUESTIONS, f"expected {N_QUESTIONS} questions, found {len(qas)}"),
    (dict(types) != PER_TYPE, f"expected {PER_TYPE} question types, found {dict(types)}"),
    (len(distractors) != N_DISTRACTORS, f"expected {N_DISTRACTORS} distractors: {distractors}"),
    (len(outlets) < MIN_OUTLETS, f"only {len(outlets)} outlets, expected {MIN_OUTLETS}+"),
    (name_conflicts > MAX_NAME_CONFLICTS, f"{name_conflicts} name conflicts, at most 2"),
    (silent_updates < MIN_SILENT_UPDATES, f"only {silent_updates} silent revisions, need 4"),
):
    if bad:
        errors.append(msg)
for kind in gaps:
    if len(gaps[kind]) < 4 or max(gaps[kind].values() or [0]) > PER_TYPE[kind] // 2:
        errors.append(f"{kind} gaps are not varied enough: {dict(gaps[kind])}")

# --- nothing shared with conflict1-3 (overlap.py) --------------------------------------------

sys.path.insert(0, HERE)
from overlap import sibling_errors  # noqa: E402

shared_errors, skipped = sibling_errors(articles, qas, outlets, load, figures, HERE, SIBLINGS)
errors += shared_errors

if errors:
    sys.exit(f"{len(errors)} problem(s):\n  " + "\n  ".join(errors))
print("OK")
print(f"articles: {len(articles)} ({len(articles) - len(distractors)} in {len(groups)} story "
      f"groups, {len(distractors)} distractors: {', '.join(distractors)}), {len(outlets)} outlets")
print(f"questions: {len(qas)} (" + ", ".join(f"{t} {types[t]}" for t in TYPES) + ")")
for kind in ("conflict", "update"):
    print(f"{kind} date gaps (first to last report): "
          + ", ".join(f"{g}d x{n}" for g, n in sorted(gaps[kind].items())))
print(f"update questions with three articles: {three_article_updates}; revisions that omit the "
      f"earlier figure: {silent_updates}; name conflicts: {name_conflicts}; every story's reports "
      "on different days; no revision wording in conflict articles")
if skipped:
    print("overlap check skipped for: " + ", ".join(skipped) + " (not found next to this set)")
else:
    print("no outlet, proper name, answer value or answer figure shared with " + " / ".join(SIBLINGS))
