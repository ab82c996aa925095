#!/usr/bin/env python3
"""Stdlib-only checks for the conflict3 (blind test) evaluation set. Run from any directory.

Adapted from conflict2/validate.py. Extra checks: conflict questions may have 2 or 3 values
and their publication gaps vary (0-5 days); update gaps are 1-7 days; values of a
consistent question denote the same thing; and nothing (outlet, proper name, answer value
or answer figure) is shared with the sibling sets ../conflict1 and ../conflict2.
"""

import collections
import datetime
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PREFIX = "k3"
SIBLINGS = ("conflict1", "conflict2")
TYPES = ("conflict", "update", "consistent")
ART_KEYS = {"id", "title", "source", "published", "text"}
QA_KEYS = {
    "id",
    "question",
    "answers",
    "article_ids",
    "unanswerable",
    "answer_in_text",
    "question_type",
    "values",
    "latest",
}
VALUE_KEYS = {"value", "article_id", "published", "source"}
N_ARTICLES = 72
N_QUESTIONS = 48
PER_TYPE = {"conflict": 16, "update": 16, "consistent": 16}
N_DISTRACTORS = 5
MIN_WORDS, MAX_WORDS = 130, 200
MIN_OUTLETS = 15
CONFLICT_GAPS = range(0, 6)  # days between the first and last report of a conflict
UPDATE_GAPS = range(1, 8)  # days between the first report and the revision
MAX_NAME_CONFLICTS = 2
# wording that would tell the reader a figure was corrected; not allowed in conflict articles
REVISION_WORDS = re.compile(
    r"\b(correct(ed|s|ion|ing)?|revis\w*|amend\w*|updat(ed|es|ing)|earlier (figure|estimate|count)"
    r"|first (reported|thought|announced)|final (count|total|tally)|now (puts|says|estimates)"
    r"|has since|raised the|lowered|other reports?)\b",
    re.IGNORECASE,
)
errors = []


def load(name, directory=HERE, report=True):
    rows = []
    path = os.path.join(directory, name)
    try:
        f = open(path, encoding="utf-8")
    except OSError as e:
        if report:
            errors.append(f"{name}: cannot open: {e}")
        return rows
    with f:
        for i, line in enumerate(f, 1):
            if not line.strip():
                if report:
                    errors.append(f"{name}:{i}: blank line")
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as e:
                if report:
                    errors.append(f"{name}:{i}: bad JSON: {e}")
                continue
            if not isinstance(row, dict):
                if report:
                    errors.append(f"{name}:{i}: not a JSON object")
                continue
            rows.append(row)
    return rows


def valid_date(s):
    try:
        d = datetime.date.fromisoformat(s)
    except (TypeError, ValueError):
        return False
    return d.isoformat() == s and d.year == 2026 and d.month <= 11


def days(a, b):
    return abs((datetime.date.fromisoformat(a) - datetime.date.fromisoformat(b)).days)


# --- normalising values (numbers, number words, times, names) ---------------------------

UNITS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
WORD_NUM = {w: i for i, w in enumerate(UNITS)}
WORD_NUM.update({w: 20 + 10 * i for i, w in enumerate(TENS)})
WORD_RE = re.compile(
    r"\b(" + "|".join(TENS) + r")(?:[- ](" + "|".join(UNITS[1:10]) + r"))?\b|\b("
    + "|".join(UNITS) + r")\b",
    re.IGNORECASE,
)
TIME_RE = re.compile(
    r"\b(\d{1,2})[.:](\d{2})\s*(am|pm|a\.m\.|p\.m\.)|\b(\d{1,2}):(\d{2})(?::(\d{2}))?\b",
    re.IGNORECASE,
)
NUM_RE = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")
TITLES = {"mr", "mrs", "ms", "miss", "dr", "professor", "prof", "sir"}


def words_to_digits(s):
    def repl(m):
        if m.group(3):
            return str(WORD_NUM[m.group(3).lower()])
        n = WORD_NUM[m.group(1).lower()]
        if m.group(2):
            n += WORD_NUM[m.group(2).lower()]
        return str(n)

    return WORD_RE.sub(repl, s)


def times(s):
    out = []
    for m in TIME_RE.finditer(s):
        if m.group(1):
            h, mi, ap = int(m.group(1)), int(m.group(2)), m.group(3).lower().replace(".", "")
            h = h % 12 + (12 if ap == "pm" else 0)
            out.append(("time", h, mi, 0))
        else:
            out.append(("time", int(m.group(4)), int(m.group(5)), int(m.group(6) or 0)))
    return out


def numbers(s):
    """Figures in a value: times as (h, m, s), other numbers as floats (number words too)."""
    found = times(s)
    rest = TIME_RE.sub(" ", s)
    rest = words_to_digits(rest)
    found += [float(x.replace(",", "")) for x in NUM_RE.findall(rest)]
    return found


def canonical(s):
    nums = numbers(s)
    if nums:
        return tuple(nums)
    toks = [t for t in re.findall(r"[a-z]+", s.lower()) if t not in TITLES]
    return ("name",) + tuple(toks)


# --- this set --------------------------------------------------------------------------

articles = load("articles.jsonl")
qas = load("qa.jsonl")

by_id = {}
for a in articles:
    aid = a.get("id")
    if set(a) != ART_KEYS:
        errors.append(f"article {aid}: keys {sorted(a)}")
    if aid in by_id:
        errors.append(f"duplicate article id {aid}")
    by_id[aid] = a
    if not valid_date(a.get("published")):
        errors.append(f"article {aid}: bad published date {a.get('published')!r}")
    text = a.get("text", "")
    if not text.startswith(str(a.get("title", "")) + "\n\n"):
        errors.append(f"article {aid}: text does not start with title and a blank line")
    paras = text.split("\n\n")[1:]
    if not 4 <= len(paras) <= 5:
        errors.append(f"article {aid}: {len(paras)} paragraphs after the title")
    if any(not p.strip() or "\n" in p for p in paras):
        errors.append(f"article {aid}: empty paragraph or stray line break")
    words = len(text.split())
    if not MIN_WORDS <= words <= MAX_WORDS:
        errors.append(f"article {aid}: {words} words")

if [a.get("id") for a in articles] != [f"{PREFIX}-a{i:02d}" for i in range(1, N_ARTICLES + 1)]:
    errors.append(f"article ids are not {PREFIX}-a01..{PREFIX}-a{N_ARTICLES:02d} in order")
if [q.get("id") for q in qas] != [f"{PREFIX}-q{i:02d}" for i in range(1, N_QUESTIONS + 1)]:
    errors.append(f"qa ids are not {PREFIX}-q01..{PREFIX}-q{N_QUESTIONS:02d} in order")

types = collections.Counter()
gaps = {"conflict": collections.Counter(), "update": collections.Counter()}
name_conflicts = 0
three_article_updates = 0
seen = set()
used_articles = set()
for q in qas:
    qid = q.get("id")
    if set(q) != QA_KEYS:
        errors.append(f"qa {qid}: keys {sorted(q)}")
    if qid in seen:
        errors.append(f"duplicate qa id {qid}")
    seen.add(qid)
    qt = q.get("question_type")
    types[qt] += 1
    if qt not in TYPES:
        errors.append(f"qa {qid}: unknown question_type {qt!r}")
    if q.get("unanswerable") is not False or q.get("answer_in_text") is not True:
        errors.append(f"qa {qid}: expected unanswerable=false and answer_in_text=true")
    ids = q.get("article_ids") or []
    for aid in ids:
        if aid not in by_id:
            errors.append(f"qa {qid}: unknown article_id {aid}")
    if len(set(ids)) != len(ids):
        errors.append(f"qa {qid}: repeated article_id")
    used_articles.update(ids)
    values = q.get("values") or []
    if len(values) < 2:
        errors.append(f"qa {qid}: fewer than 2 values")
    ok_values = []
    for v in values:
        if not isinstance(v, dict) or set(v) != VALUE_KEYS:
            errors.append(f"qa {qid}: value keys {sorted(v) if isinstance(v, dict) else v!r}")
            continue
        a = by_id.get(v["article_id"])
        if a is None:
            errors.append(f"qa {qid}: value from unknown article {v['article_id']}")
            continue
        if v["article_id"] not in ids:
            errors.append(f"qa {qid}: value article {v['article_id']} not in article_ids")
        if not v["value"] or v["value"] not in a["text"]:
            errors.append(f"qa {qid}: value {v['value']!r} not in {v['article_id']}")
        if v["published"] != a["published"]:
            errors.append(
                f"qa {qid}: value published {v['published']} != {a['published']} ({a['id']})"
            )
        if v["source"] != a["source"]:
            errors.append(f"qa {qid}: value source {v['source']!r} != {a['source']!r} ({a['id']})")
        ok_values.append(v)
    if set(ids) != {v["article_id"] for v in ok_values}:
        errors.append(f"qa {qid}: article_ids differ from the articles in values")
    distinct = {v["value"] for v in ok_values}
    canon = {v["value"]: canonical(v["value"]) for v in ok_values}
    if qt in ("conflict", "update") and len(distinct) < 2:
        errors.append(f"qa {qid}: {qt} question needs at least 2 different values")
    spread = None
    if ok_values:
        try:
            pubs = sorted(v["published"] for v in ok_values)
            spread = days(pubs[0], pubs[-1])
        except (TypeError, ValueError):
            spread = None
    if qt == "conflict":
        if not 2 <= len(ok_values) <= 3:
            errors.append(f"qa {qid}: conflict question needs 2 or 3 values")
        if len({v["source"] for v in ok_values}) != len(ok_values):
            errors.append(f"qa {qid}: conflict values come from the same outlet")
        if len(distinct) != len(ok_values) or len(set(canon.values())) != len(ok_values):
            errors.append(f"qa {qid}: conflict values are not all different")
        if spread not in CONFLICT_GAPS:
            errors.append(f"qa {qid}: conflict reports are {spread} days apart")
        else:
            gaps["conflict"][spread] += 1
        if all(c[0] == "name" for c in canon.values()):
            name_conflicts += 1
        for v in ok_values:
            m = REVISION_WORDS.search(by_id[v["article_id"]]["text"])
            if m:
                errors.append(f"qa {qid}: conflict article {v['article_id']} says {m.group(0)!r}")
            for w in ok_values:
                if v["value"] != w["value"] and v["value"] in by_id[w["article_id"]]["text"]:
                    errors.append(
                        f"qa {qid}: conflict value {v['value']!r} also in {w['article_id']}"
                    )
    if qt == "consistent" and len(set(canon.values())) != 1:
        errors.append(f"qa {qid}: consistent values do not agree: {sorted(distinct)}")
    if ok_values:
        newest = max(v["published"] for v in ok_values)
        newest_vals = {v["value"] for v in ok_values if v["published"] == newest}
        if q.get("latest") not in distinct:
            errors.append(f"qa {qid}: latest {q.get('latest')!r} is not one of the values")
        elif q.get("latest") not in newest_vals:
            errors.append(f"qa {qid}: latest {q.get('latest')!r} is not the newest-published value")
        if qt == "update":
            if sum(1 for v in ok_values if v["published"] == newest) != 1:
                errors.append(f"qa {qid}: update question needs exactly one newest article")
            if len(ok_values) >= 3:
                three_article_updates += 1
            if spread not in UPDATE_GAPS:
                errors.append(f"qa {qid}: revision published {spread} days after first report")
            else:
                gaps["update"][spread] += 1
            latest = q.get("latest")
            for v in ok_values:
                if v["published"] == newest:
                    continue
                if canon[v["value"]] == canonical(str(latest)):
                    errors.append(f"qa {qid}: earlier value {v['value']!r} equals the revision")
                if v["value"] != latest and str(latest) in by_id[v["article_id"]]["text"]:
                    errors.append(f"qa {qid}: revised value appears in earlier {v['article_id']}")
    answers = q.get("answers") or []
    if not answers:
        errors.append(f"qa {qid}: no answers")
    for ans in answers:
        if not any(ans in by_id[aid]["text"] for aid in ids if aid in by_id):
            errors.append(f"qa {qid}: answer {ans!r} not in any listed article")
    if set(answers) != distinct or len(answers) != len(set(answers)):
        errors.append(f"qa {qid}: answers {sorted(answers)} differ from values {sorted(distinct)}")
    question = str(q.get("question", ""))
    if not question.strip().endswith("?"):
        errors.append(f"qa {qid}: question does not end with '?'")
    if re.search(r"\b(report|revis|correct|differ|conflict|disagree|latest|update)", question, re.I):
        errors.append(f"qa {qid}: question hints at reports or revisions")

distractors = sorted(set(by_id) - used_articles)
outlets = collections.Counter(a.get("source") for a in articles)

if len(articles) != N_ARTICLES:
    errors.append(f"expected {N_ARTICLES} articles, found {len(articles)}")
if len(qas) != N_QUESTIONS:
    errors.append(f"expected {N_QUESTIONS} questions, found {len(qas)}")
for t, n in PER_TYPE.items():
    if types[t] != n:
        errors.append(f"expected {n} {t} questions, found {types[t]}")
if len(distractors) != N_DISTRACTORS:
    errors.append(f"expected {N_DISTRACTORS} distractor articles, found {len(distractors)}")
if len(outlets) < MIN_OUTLETS:
    errors.append(f"only {len(outlets)} outlets, expected at least {MIN_OUTLETS}")
if name_conflicts > MAX_NAME_CONFLICTS:
    errors.append(f"{name_conflicts} name conflicts, at most {MAX_NAME_CONFLICTS} allowed")
for kind, need in (("conflict", 4), ("update", 4)):
    if len(gaps[kind]) < need:
        errors.append(f"{kind} gaps are not varied enough: {dict(gaps[kind])}")
if max(gaps["conflict"].values() or [0]) > PER_TYPE["conflict"] // 2:
    errors.append(f"too many conflict questions share one gap: {dict(gaps['conflict'])}")
for aid in by_id:
    if aid is not None and not re.fullmatch(PREFIX + r"-a\d\d", str(aid)):
        errors.append(f"article id {aid!r} is not of the form {PREFIX}-aNN")

def figures(values):
    out = set()
    for s in values:
        out.update(numbers(s))
    return out


# --- nothing shared with conflict1 / conflict2 (overlap.py) ------------------------------

sys.path.insert(0, HERE)
from overlap import sibling_errors  # noqa: E402

shared_errors, skipped = sibling_errors(articles, qas, outlets, load, figures, HERE, SIBLINGS)
errors += shared_errors

# --- report ----------------------------------------------------------------------------

if errors:
    print(f"{len(errors)} problem(s):")
    for e in errors:
        print("  " + e)
    sys.exit(1)
print("OK")
print(
    f"articles: {len(articles)} ({len(articles) - len(distractors)} in story groups, "
    f"{len(distractors)} distractors: {', '.join(distractors)}), {len(outlets)} outlets"
)
print(f"questions: {len(qas)} (" + ", ".join(f"{t} {types[t]}" for t in TYPES) + ")")
for kind in ("conflict", "update"):
    spread = ", ".join(f"{g}d x{n}" for g, n in sorted(gaps[kind].items()))
    print(f"{kind} date gaps (first to last report): {spread}")
print(f"update questions with three articles: {three_article_updates}")
if skipped:
    print("overlap check skipped for: " + ", ".join(skipped) + " (not found next to this set)")
else:
    print("no outlet, proper name, answer value or answer figure shared with "
          + " / ".join(SIBLINGS))
