#!/usr/bin/env python3
"""Stdlib-only checks for the conflict12 (blind test) evaluation set. Run from any directory.

Adapted from conflict11/validate.py. Differences: ids start with k12-, and nothing may be shared
with ../conflict1 .. ../conflict11 (conflict11 is added to the sibling sets). The checks
themselves are unchanged: conflict11's rules on revision wording, consistent wordings, agreeing
early values of three-article updates, unlisted answers, gaps and counts all apply.
"""

import collections
import datetime
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from overlap import canonical, same, sibling_errors  # noqa: E402

PREFIX = "k12"
SIBLINGS = tuple(f"conflict{i}" for i in range(1, 12))
TYPES = ("conflict", "update", "consistent")
ART_KEYS = {"id", "title", "source", "published", "text"}
QA_KEYS = set(
    "id question answers article_ids unanswerable answer_in_text question_type values latest".split()
)
VALUE_KEYS = {"value", "article_id", "published", "source"}
N_ARTICLES, N_QUESTIONS, N_DISTRACTORS = 72, 48, 5
PER_TYPE = {"conflict": 16, "update": 16, "consistent": 16}
MIN_WORDS, MAX_WORDS = 130, 180
MIN_OUTLETS, OUTLET_ARTICLES = 18, range(3, 6)
GAPS = range(1, 15)  # days between the first and the last report of a question
MAX_NAME_CONFLICTS = 2
MIN_SILENT_UPDATES = 8  # the revising article does not repeat the earlier figure
MIN_THREE_ARTICLE_UPDATES = 4
# wording that would tell the reader a figure was corrected; not allowed in conflict articles
REVISION_WORDS = re.compile(
    r"\b(correct(ed|s|ion|ing)?|revis\w*|amend\w*|updat(ed|es|ing)|earlier (figure|estimate|count)"
    r"|first (reported|thought|announced)|final (count|total|tally)|now (puts|says|estimates)"
    r"|has since|raised the|lowered|other reports?|originally|initially|wrongly|mistaken\w*"
    r"|in error|misreport\w*|first (estimated|given|stated)|previously (said|stated)"
    r"|rather than|instead of|(than|had) (first )?(thought|feared|expected|estimated)"
    r"|clarif\w*|retract\w*|restat\w*|recount\w*|re-?checked|adjust\w*)\b",
    re.IGNORECASE,
)
QUESTION_HINTS = re.compile(
    r"\b(report|revis|correct|differ|conflict|disagree|latest|update)", re.IGNORECASE
)
errors = []


def load(name, directory=HERE, report=True):
    rows = []
    try:
        f = open(os.path.join(directory, name), encoding="utf-8")
    except OSError as e:
        if report:
            errors.append(f"{name}: cannot open: {e}")
        return rows
    with f:
        for i, line in enumerate(f, 1):
            try:
                row = json.loads(line)
            except json.JSONDecodeError as e:
                if report:
                    errors.append(
                        f"{name}:{i}: " + ("blank line" if not line.strip() else f"bad JSON: {e}")
                    )
                continue
            if isinstance(row, dict):
                rows.append(row)
            elif report:
                errors.append(f"{name}:{i}: not a JSON object")
    return rows


def valid_date(s):
    try:
        d = datetime.date.fromisoformat(s)
    except (TypeError, ValueError):
        return False
    return d.isoformat() == s and d.year == 2026 and d.month <= 11


def days(a, b):
    return abs((datetime.date.fromisoformat(a) - datetime.date.fromisoformat(b)).days)


# --- this set --------------------------------------------------------------------------
articles, qas = load("articles.jsonl"), load("qa.jsonl")
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
    text = str(a.get("text", ""))
    if not text.startswith(str(a.get("title", "")) + "\n\n"):
        errors.append(f"article {aid}: text does not start with title and a blank line")
    paras = text.split("\n\n")[1:]
    if not 4 <= len(paras) <= 5:
        errors.append(f"article {aid}: {len(paras)} paragraphs after the title")
    if any(not p.strip() or "\n" in p for p in paras):
        errors.append(f"article {aid}: empty paragraph or stray line break")
    if not MIN_WORDS <= len(text.split()) <= MAX_WORDS:
        errors.append(f"article {aid}: {len(text.split())} words")
if [a.get("id") for a in articles] != [f"{PREFIX}-a{i:02d}" for i in range(1, N_ARTICLES + 1)]:
    errors.append(f"article ids are not {PREFIX}-a01..{PREFIX}-a{N_ARTICLES:02d} in order")
if [q.get("id") for q in qas] != [f"{PREFIX}-q{i:02d}" for i in range(1, N_QUESTIONS + 1)]:
    errors.append(f"qa ids are not {PREFIX}-q01..{PREFIX}-q{N_QUESTIONS:02d} in order")

types = collections.Counter()
gaps = {t: collections.Counter() for t in TYPES}
name_conflicts = silent_updates = three_article_updates = 0
used_articles, groups = set(), []
for q in qas:
    qid, qt = q.get("id"), q.get("question_type")
    types[qt] += 1
    if set(q) != QA_KEYS:
        errors.append(f"qa {qid}: keys {sorted(q)}")
    if qt not in TYPES:
        errors.append(f"qa {qid}: unknown question_type {qt!r}")
    if q.get("unanswerable") is not False or q.get("answer_in_text") is not True:
        errors.append(f"qa {qid}: expected unanswerable=false and answer_in_text=true")
    ids = q.get("article_ids") or []
    if len(set(ids)) != len(ids) or any(i not in by_id for i in ids):
        errors.append(f"qa {qid}: repeated or unknown article_id in {ids}")
    used_articles.update(ids)
    groups.append(set(ids))
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
    if len(vals) < 2 or set(ids) != {v["article_id"] for v in vals} or len(vals) != len(ids):
        errors.append(f"qa {qid}: need 2+ values, one per article in article_ids")
    if not vals:
        continue
    pubs = [v["published"] for v in vals]
    if len(set(pubs)) != len(pubs):
        errors.append(f"qa {qid}: two of its reports share a publication date")
    spread = days(min(pubs), max(pubs))
    if spread not in GAPS:
        errors.append(f"qa {qid}: first and last report are {spread} days apart")
    gaps[qt][spread] += 1
    distinct = {v["value"] for v in vals}
    canon = {v["value"]: canonical(v["value"]) for v in vals}
    newest = max(vals, key=lambda v: v["published"])
    if q.get("latest") != newest["value"]:
        errors.append(
            f"qa {qid}: latest {q.get('latest')!r} is not the newest value {newest['value']!r}"
        )
    if qt == "conflict":
        if not 2 <= len(vals) <= 3 or len({v["source"] for v in vals}) != len(vals):
            errors.append(f"qa {qid}: conflict needs 2-3 values from different outlets")
        cs = list(canon.values())
        if len(distinct) != len(vals) or any(
            same(x, y) for i, x in enumerate(cs) for y in cs[i + 1 :]
        ):
            errors.append(f"qa {qid}: conflict values are not all different")
        name_conflicts += all(c[0] == "name" for c in cs)
        for v in vals:
            m = REVISION_WORDS.search(by_id[v["article_id"]]["text"])
            if m:
                errors.append(f"qa {qid}: conflict article {v['article_id']} says {m.group(0)!r}")
            for w in vals:
                if v["value"] != w["value"] and v["value"] in by_id[w["article_id"]]["text"]:
                    errors.append(
                        f"qa {qid}: conflict value {v['value']!r} also in {w['article_id']}"
                    )
    if qt == "consistent":
        cs = list(canon.values())
        if not all(same(cs[0], c) for c in cs):
            errors.append(f"qa {qid}: consistent values do not agree: {sorted(distinct)}")
        if len(distinct) < 2:
            errors.append(f"qa {qid}: consistent values are all worded alike")
    if qt == "update":
        three_article_updates += len(vals) >= 3
        early = [canon[v["value"]] for v in vals if v is not newest]
        if not all(same(early[0], c) for c in early):
            errors.append(f"qa {qid}: the early values of an update do not agree")
        new_text = by_id[newest["article_id"]]["text"]
        silent_updates += not any(
            v["value"] in new_text
            or any(
                str(int(c)) in new_text.replace(",", "")
                for c in canon[v["value"]]
                if isinstance(c, float)
            )
            for v in vals
            if v is not newest
        )
        for v in vals:
            if v is newest:
                continue
            if same(canon[v["value"]], canonical(newest["value"])):
                errors.append(f"qa {qid}: earlier value {v['value']!r} equals the revision")
            if newest["value"] in by_id[v["article_id"]]["text"]:
                errors.append(f"qa {qid}: revised value appears in earlier {v['article_id']}")
    answers = q.get("answers") or []
    if sorted(answers) != sorted(distinct):
        errors.append(f"qa {qid}: answers {sorted(answers)} differ from values {sorted(distinct)}")
    question = str(q.get("question", ""))
    if not question.strip().endswith("?") or QUESTION_HINTS.search(question):
        errors.append(f"qa {qid}: question does not end with '?' or hints at reports/revisions")
    if any(str(x).lower() in question.lower() for x in answers):
        errors.append(f"qa {qid}: question contains one of its answers")

# story groups: questions sharing an article belong to one story; all its reports differ in date
stories = []
for g in groups:
    for s in [s for s in stories if s & g]:
        stories.remove(s)
        g = g | s
    stories.append(g)
for s in stories:
    pubs = [by_id[i]["published"] for i in s if i in by_id]
    if len(set(pubs)) != len(pubs):
        errors.append(f"story {sorted(s)}: two articles share a publication date")
# an answer may not occur outside its story, and every story article stating it must be listed
for q in qas:
    story = next((s for s in stories if s & set(q.get("article_ids") or [])), set())
    for x, a in ((x, a) for x in q.get("answers") or [] for a in articles):
        if str(x) in a.get("text", "") and (a["id"] not in story or a["id"] not in q["article_ids"]):
            errors.append(f"qa {q.get('id')}: answer {x!r} also in unlisted article {a['id']}")

distractors = sorted(set(by_id) - used_articles)
outlets = collections.Counter(a.get("source") for a in articles)
if (len(articles), len(qas), len(distractors)) != (N_ARTICLES, N_QUESTIONS, N_DISTRACTORS):
    errors.append(
        f"expected {N_ARTICLES} articles, {N_QUESTIONS} questions, {N_DISTRACTORS} "
        f"distractors; found {len(articles)}, {len(qas)}, {len(distractors)}"
    )
for t, n in PER_TYPE.items():
    if types[t] != n:
        errors.append(f"expected {n} {t} questions, found {types[t]}")
if len(outlets) < MIN_OUTLETS:
    errors.append(f"only {len(outlets)} outlets, expected at least {MIN_OUTLETS}")
for o, n in sorted(outlets.items()):
    if n not in OUTLET_ARTICLES:
        errors.append(f"outlet {o!r} has {n} articles, expected 3-5")
if three_article_updates < MIN_THREE_ARTICLE_UPDATES:
    errors.append(f"only {three_article_updates} updates have three articles")
if name_conflicts > MAX_NAME_CONFLICTS:
    errors.append(f"{name_conflicts} name conflicts, at most {MAX_NAME_CONFLICTS} allowed")
if silent_updates < MIN_SILENT_UPDATES:
    errors.append(
        f"only {silent_updates} updates leave out the old figure, need {MIN_SILENT_UPDATES}"
    )
for kind in ("conflict", "update"):
    if len(gaps[kind]) < 4 or max(gaps[kind].values() or [0]) > PER_TYPE[kind] // 2:
        errors.append(f"{kind} gaps are not varied enough: {dict(gaps[kind])}")

shared_errors, skipped = sibling_errors(articles, qas, outlets, load, HERE, SIBLINGS)
errors += shared_errors

if errors:
    print(f"{len(errors)} problem(s):")
    for e in errors:
        print("  " + e)
    sys.exit(1)
print("OK")
print(
    f"articles: {len(articles)} ({len(articles) - len(distractors)} in {len(stories)} story "
    f"groups, {len(distractors)} distractors: {', '.join(distractors)}), {len(outlets)} outlets"
)
print(f"questions: {len(qas)} (" + ", ".join(f"{t} {types[t]}" for t in TYPES) + ")")
for kind in TYPES:
    print(
        f"{kind} date gaps (first to last report): "
        + ", ".join(f"{g}d x{n}" for g, n in sorted(gaps[kind].items()))
    )
print(
    f"update questions with three articles: {three_article_updates}; "
    f"updates whose revising article leaves out the old figure: {silent_updates}"
)
if skipped:
    print("overlap check skipped for: " + ", ".join(skipped) + " (not found next to this set)")
else:
    print(
        "no outlet, proper name, answer value or answer figure shared with " + " / ".join(SIBLINGS)
    )
