#!/usr/bin/env python3
"""Validate the fresh4 held-out news QA set (stdlib only). Exits 1 on any problem."""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from fresh_check import check, check_kinds, check_paraphrased  # noqa: E402 - eval/datasets/fresh_check.py, shared by the sets

found = check(HERE, "f4-", r"2026-\d\d-\d\d", (250, 500))
articles, qa, texts, problems = found.articles, found.qa, found.texts, found.problems
n_ans, n_unans = found.n_ans, found.n_unans

# fresh4 extras: expected counts, unanswerable kinds by id range, coverage, paraphrase check
if (len(articles), n_ans, n_unans) != (16, 60, 30):
    problems.append("expected 16 articles / 60 answerable / 30 unanswerable")
check_kinds(found, "f4-", (61, 90), (79, 84))
covered = {aid for q in qa if q.get("unanswerable") is False for aid in q.get("article_ids", [])}
for aid in texts:
    if aid not in covered:
        problems.append(f"article {aid}: no answerable question")

check_paraphrased(found, 6)

sys.exit(found.report())
