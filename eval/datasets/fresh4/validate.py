#!/usr/bin/env python3
"""Validate the fresh4 held-out news QA set (stdlib only). Exits 1 on any problem."""

import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from fresh_check import check  # noqa: E402 - eval/datasets/fresh_check.py, shared by the sets

found = check(HERE, "f4-", r"2026-\d\d-\d\d", (250, 500))
articles, qa, texts, problems = found.articles, found.qa, found.texts, found.problems
n_ans, n_unans = found.n_ans, found.n_unans

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

sys.exit(found.report())
