#!/usr/bin/env python3
"""Validate the fresh4 held-out news QA set (stdlib only). Exits 1 on any problem."""

import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ART_FIELDS = ["id", "title", "source", "published", "url", "text"]
QA_FIELDS = [
    "id",
    "question",
    "answers",
    "article_ids",
    "unanswerable",
    "answer_in_text",
    "question_type",
]
QTYPES = {"who", "what", "when", "where", "how many", "how much", "how long", "why", "which"}
problems = []


def load(name):
    rows = []
    with open(os.path.join(HERE, name), encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                problems.append(f"{name}:{n}: blank line")
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as e:
                problems.append(f"{name}:{n}: bad JSON ({e})")
    return rows


articles = load("articles.jsonl")
qa = load("qa.jsonl")

texts = {}
for a in articles:
    if sorted(a) != sorted(ART_FIELDS):
        problems.append(f"article {a.get('id')}: fields {sorted(a)}")
        continue
    if a["id"] in texts:
        problems.append(f"duplicate article id {a['id']}")
    if not a["id"].startswith("f4-"):
        problems.append(f"article id {a['id']} lacks f4- prefix")
    if not re.fullmatch(r"2026-\d\d-\d\d", a["published"]):
        problems.append(f"article {a['id']}: published {a['published']!r}")
    if not a["url"].startswith("https://example.org/"):
        problems.append(f"article {a['id']}: url {a['url']!r}")
    if not a["text"].startswith(a["title"] + "\n\n"):
        problems.append(f"article {a['id']}: text does not open with title line")
    words = len(a["text"].split())
    if not 250 <= words <= 500:
        problems.append(f"article {a['id']}: {words} words")
    texts[a["id"]] = a["text"]

seen = set()
n_ans = n_unans = 0
for q in qa:
    qid = q.get("id")
    if sorted(q) != sorted(QA_FIELDS):
        problems.append(f"{qid}: fields {sorted(q)}")
        continue
    if qid in seen:
        problems.append(f"duplicate question id {qid}")
    seen.add(qid)
    if not re.fullmatch(r"f4-q\d\d", qid or ""):
        problems.append(f"{qid}: bad id format")
    if q["question_type"] not in QTYPES:
        problems.append(f"{qid}: question_type {q['question_type']!r}")
    if not isinstance(q["answers"], list) or not isinstance(q["article_ids"], list):
        problems.append(f"{qid}: answers/article_ids must be lists")
        continue
    for aid in q["article_ids"]:
        if aid not in texts:
            problems.append(f"{qid}: unknown article id {aid}")
    if q["unanswerable"] is True:
        n_unans += 1
        if q["answers"] or q["answer_in_text"] is not False:
            problems.append(f"{qid}: unanswerable but has answers/answer_in_text")
    elif q["unanswerable"] is False:
        n_ans += 1
        if q["answer_in_text"] is not True:
            problems.append(f"{qid}: answerable but answer_in_text not true")
        if not q["answers"] or not q["article_ids"]:
            problems.append(f"{qid}: answerable but no answers or no article_ids")
        gold = [texts[a] for a in q["article_ids"] if a in texts]
        for ans in q["answers"]:
            if not isinstance(ans, str) or not ans.strip():
                problems.append(f"{qid}: empty/non-string answer {ans!r}")
            elif not any(ans in t for t in gold):
                problems.append(f"{qid}: answer {ans!r} not verbatim in gold text")
    else:
        problems.append(f"{qid}: unanswerable must be true/false")

# fresh4 extras: expected counts, unanswerable kinds by id range, coverage, paraphrase check
if (len(articles), n_ans, n_unans) != (16, 60, 30):
    problems.append("expected 16 articles / 60 answerable / 30 unanswerable")
by_id = {q.get("id"): q for q in qa}
for i in range(61, 91):
    q = by_id.get(f"f4-q{i:02d}")
    if q is None or q.get("unanswerable") is not True:
        problems.append(f"f4-q{i:02d}: expected an unanswerable question")
        continue
    if 79 <= i <= 84:
        if q["article_ids"]:
            problems.append(f"{q['id']}: no-article question must have article_ids []")
    elif not q["article_ids"]:
        problems.append(
            f"{q['id']}: missing-detail/false-premise question needs its closest article"
        )
covered = {aid for q in qa if q.get("unanswerable") is False for aid in q.get("article_ids", [])}
for aid in texts:
    if aid not in covered:
        problems.append(f"article {aid}: no answerable question")


def words6(s):
    w = re.findall(r"[\w'-]+", s.lower())
    return {tuple(w[i : i + 6]) for i in range(len(w) - 5)}


for q in qa:
    if q.get("unanswerable") is False:
        for aid in q["article_ids"]:
            if aid in texts and words6(q["question"]) & words6(texts[aid]):
                problems.append(f"{q['id']}: question copies 6+ consecutive words of its article")

print(
    f"articles: {len(articles)}  questions: {len(qa)}  answerable: {n_ans}  unanswerable: {n_unans}"
)
for p in problems:
    print("PROBLEM:", p)
if problems:
    sys.exit(1)
print("OK")
