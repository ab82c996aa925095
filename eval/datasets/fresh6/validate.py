#!/usr/bin/env python3
"""Validate the fresh6 held-out news QA set (stdlib only). Exits 1 on any problem."""

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

found = check(HERE, "f6-", r"2026-\d\d-\d\d", (420, 520))

# fresh6 extras: expected counts, kinds by id range, 4 answerable an article, paraphrase check
if (len(found.articles), found.n_ans, found.n_unans) != (14, 56, 28):
    found.problems.append("expected 14 articles / 56 answerable / 28 unanswerable")
check_answerable(found, "f6-", 56, 4)
check_kinds(found, "f6-", (57, 84), (73, 78))
check_paraphrased(found, 5)
past_lead = beyond_lead(found, only=True)
if past_lead < 40:
    found.problems.append(f"only {past_lead} answerable questions answered past the lead (need 40)")

sys.exit(found.report())
