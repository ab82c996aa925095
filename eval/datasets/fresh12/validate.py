#!/usr/bin/env python3
"""Validate the fresh12 held-out news QA set (stdlib only). Exits 1 on any problem."""

import os
import sys

sys.dont_write_bytecode = True  # leave no __pycache__ beside the shared checker
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
sys.path.append("/work/main/eval/datasets")  # fallback if ../fresh_check.py is absent
from fresh_check import (  # noqa: E402 - eval/datasets/fresh_check.py, shared by the sets
    beyond_lead,
    check,
    check_answerable,
    check_kinds,
    check_paraphrased,
)

found = check(HERE, "f12-", r"2026-\d\d-\d\d", (420, 520))

# fresh12 extras: expected counts, kinds by id range, 4 answerable an article, paraphrase check
if (len(found.articles), found.n_ans, found.n_unans) != (14, 56, 28):
    found.problems.append("expected 14 articles / 56 answerable / 28 unanswerable")
check_answerable(found, "f12-", 56, 4)
# unanswerable f12-q57..q84; of them q77..q80 name no article (near miss q57..q68,
# detail not given q69..q76 and false premise q81..q84 name their closest article)
check_kinds(found, "f12-", (57, 84), (77, 80))
check_paraphrased(found, 5)
past_lead = beyond_lead(found, only=True)
if past_lead < 40:
    found.problems.append(f"only {past_lead} answerable questions answered past the lead (need 40)")

# fresh12: every near-miss, missing-detail and false-premise question names exactly one article
by_id = {q.get("id"): q for q in found.qa}
for i in list(range(57, 77)) + list(range(81, 85)):
    q = by_id.get(f"f12-q{i:02d}")
    if q is not None and len(q.get("article_ids", [])) != 1:
        found.problems.append(f"f12-q{i:02d}: expected exactly one closest article")

# fresh12: every answerable question names one article, and each gold answer occurs once in it
for q in found.qa:
    if q.get("unanswerable") is False:
        if len(q.get("article_ids", [])) != 1:
            found.problems.append(f"{q.get('id')}: expected exactly one gold article")
            continue
        text = found.texts.get(q["article_ids"][0], "")
        for ans in q.get("answers", []):
            if isinstance(ans, str) and ans and text.count(ans) != 1:
                found.problems.append(
                    f"{q['id']}: answer {ans!r} occurs {text.count(ans)} times in its article"
                )

sys.exit(found.report())
