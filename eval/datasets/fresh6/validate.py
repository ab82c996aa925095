#!/usr/bin/env python3
"""Validate the fresh6 held-out news QA set (stdlib only). Exits 1 on any problem."""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from fresh_check import check, check_kinds, check_paraphrased  # noqa: E402 - eval/datasets/fresh_check.py, shared by the sets

found = check(HERE, "f6-", r"2026-\d\d-\d\d", (420, 520))
articles, qa, texts, problems = found.articles, found.qa, found.texts, found.problems
n_ans, n_unans = found.n_ans, found.n_unans

# fresh6 extras: expected counts, unanswerable kinds by id range, coverage, paraphrase check
if (len(articles), n_ans, n_unans) != (14, 56, 28):
    problems.append("expected 14 articles / 56 answerable / 28 unanswerable")
by_id = {q.get("id"): q for q in qa}
for i in range(1, 57):
    q = by_id.get(f"f6-q{i:02d}")
    if q is None or q.get("unanswerable") is not False:
        problems.append(f"f6-q{i:02d}: expected an answerable question")
check_kinds(found, "f6-", (57, 84), (73, 78))
per_article = {}
for q in qa:
    if q.get("unanswerable") is False:
        for aid in q.get("article_ids", []):
            per_article[aid] = per_article.get(aid, 0) + 1
for aid in texts:
    if per_article.get(aid, 0) != 4:
        got = per_article.get(aid, 0)
        problems.append(f"article {aid}: {got} answerable questions, expected 4")


def body_after_lead(text):
    # paragraphs: title, lead, rest
    parts = text.split("\n\n")
    return "\n\n".join(parts[2:])


def lead(text):
    parts = text.split("\n\n")
    return parts[1] if len(parts) > 1 else ""


check_paraphrased(found, 5)
past_lead = 0
for q in qa:
    if q.get("unanswerable") is False:
        gold = [texts[a] for a in q["article_ids"] if a in texts]
        beyond = any(ans in body_after_lead(t) for t in gold for ans in q["answers"])
        in_lead = any(ans in lead(t) for t in gold for ans in q["answers"])
        if beyond and not in_lead:
            past_lead += 1
if past_lead < 40:
    problems.append(f"only {past_lead} answerable questions are answered beyond the lead (need 40)")

sys.exit(found.report())
