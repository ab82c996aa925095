#!/usr/bin/env python3
"""Stdlib-only checks for the conflict2 (blind test) evaluation set. Run from any directory."""

import collections
import datetime
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
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
N_ARTICLES = 52
N_QUESTIONS = 36
PER_TYPE = {"conflict": 12, "update": 12, "consistent": 12}
N_DISTRACTORS = 4
MIN_WORDS, MAX_WORDS = 130, 210
errors = []


def load(name):
    rows = []
    path = os.path.join(HERE, name)
    try:
        f = open(path, encoding="utf-8")
    except OSError as e:
        errors.append(f"{name}: cannot open: {e}")
        return rows
    with f:
        for i, line in enumerate(f, 1):
            if not line.strip():
                errors.append(f"{name}:{i}: blank line")
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as e:
                errors.append(f"{name}:{i}: bad JSON: {e}")
                continue
            if not isinstance(row, dict):
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
    if not 3 <= len(paras) <= 6:
        errors.append(f"article {aid}: {len(paras)} paragraphs after the title")
    words = len(text.split())
    if not MIN_WORDS <= words <= MAX_WORDS:
        errors.append(f"article {aid}: {words} words")

if [a.get("id") for a in articles] != [f"k2-a{i:02d}" for i in range(1, N_ARTICLES + 1)]:
    errors.append(f"article ids are not k2-a01..k2-a{N_ARTICLES:02d} in order")
if [q.get("id") for q in qas] != [f"k2-q{i:02d}" for i in range(1, N_QUESTIONS + 1)]:
    errors.append(f"qa ids are not k2-q01..k2-q{N_QUESTIONS:02d} in order")

types = collections.Counter()
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
    used_articles.update(ids)
    values = q.get("values") or []
    if len(values) < 2:
        errors.append(f"qa {qid}: fewer than 2 values")
    ok_values = []
    for v in values:
        if set(v) != VALUE_KEYS:
            errors.append(f"qa {qid}: value keys {sorted(v)}")
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
    if qt in ("conflict", "update") and len(distinct) < 2:
        errors.append(f"qa {qid}: {qt} question needs at least 2 different values")
    if qt == "conflict":
        if len(ok_values) != 2:
            errors.append(f"qa {qid}: conflict question needs exactly 2 values")
        else:
            v, w = ok_values
            if v["source"] == w["source"]:
                errors.append(f"qa {qid}: conflict values come from the same outlet")
            try:
                gap = abs(
                    (
                        datetime.date.fromisoformat(v["published"])
                        - datetime.date.fromisoformat(w["published"])
                    ).days
                )
            except (TypeError, ValueError):
                gap = None
            if gap != 1:
                errors.append(f"qa {qid}: conflict articles are not published one day apart")
        for v in ok_values:
            for w in ok_values:
                if v["value"] != w["value"] and v["value"] in by_id[w["article_id"]]["text"]:
                    errors.append(
                        f"qa {qid}: conflict value {v['value']!r} also in {w['article_id']}"
                    )
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
            for v in ok_values:
                if v["published"] == newest:
                    continue
                if (
                    v["value"] != q.get("latest")
                    and q.get("latest") in by_id[v["article_id"]]["text"]
                ):
                    errors.append(f"qa {qid}: revised value appears in earlier {v['article_id']}")
    answers = q.get("answers") or []
    if not answers:
        errors.append(f"qa {qid}: no answers")
    for ans in answers:
        if not any(ans in by_id[aid]["text"] for aid in ids if aid in by_id):
            errors.append(f"qa {qid}: answer {ans!r} not in any listed article")
    if set(answers) != distinct:
        errors.append(f"qa {qid}: answers {sorted(answers)} differ from values {sorted(distinct)}")
    if not str(q.get("question", "")).strip().endswith("?"):
        errors.append(f"qa {qid}: question does not end with '?'")

distractors = sorted(set(by_id) - used_articles)

if len(articles) != N_ARTICLES:
    errors.append(f"expected {N_ARTICLES} articles, found {len(articles)}")
if len(qas) != N_QUESTIONS:
    errors.append(f"expected {N_QUESTIONS} questions, found {len(qas)}")
for t, n in PER_TYPE.items():
    if types[t] != n:
        errors.append(f"expected {n} {t} questions, found {types[t]}")
if len(distractors) != N_DISTRACTORS:
    errors.append(f"expected {N_DISTRACTORS} distractor articles, found {len(distractors)}")
for aid in by_id:
    if aid is not None and not re.fullmatch(r"k2-a\d\d", str(aid)):
        errors.append(f"article id {aid!r} is not of the form k2-aNN")

if errors:
    print(f"{len(errors)} problem(s):")
    for e in errors:
        print("  " + e)
    sys.exit(1)
print("OK")
print(
    f"articles: {len(articles)} ({len(articles) - len(distractors)} in story groups, "
    f"{len(distractors)} distractors: {', '.join(distractors)})"
)
print(f"questions: {len(qas)} (" + ", ".join(f"{t} {types[t]}" for t in TYPES) + ")")
