#!/usr/bin/env python3
"""Validate the fresh5 held-out news QA set (stdlib only). Exits 1 on any problem."""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from fresh_check import (  # noqa: E402 - eval/datasets/fresh_check.py, shared by the sets
    beyond_lead,
    check,
    check_answerable,
    check_kinds,
    check_paraphrased,
)

found = check(HERE, "f5-", r"2026-\d\d-\d\d", (350, 600))

# fresh5 extras: expected counts, kinds by id range, 4 answerable an article, paraphrase check
if (len(found.articles), found.n_ans, found.n_unans) != (14, 56, 28):
    found.problems.append("expected 14 articles / 56 answerable / 28 unanswerable")
check_answerable(found, "f5-", 56, 4)
check_kinds(found, "f5-", (57, 84), (73, 78))
check_paraphrased(found, 5)
past_lead = beyond_lead(found, only=False)
if past_lead * 3 < found.n_ans:
    found.problems.append(f"only {past_lead} answerable questions have an answer beyond the lead")

sys.exit(found.report())
