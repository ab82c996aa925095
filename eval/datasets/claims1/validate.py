#!/usr/bin/env python3
"""Stdlib-only checks for the claims1 evaluation set. Run from any directory."""

import collections
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
UNSUPPORTED = ["name", "number", "date", "role", "place", "negation", "antonym", "category"]
KINDS = set(UNSUPPORTED) | {"restated"}
errors = []


def load(name):
    rows = []
    with open(os.path.join(HERE, name), encoding="utf-8") as f:
        for i, line in enumerate(f, 1):
            if not line.strip():
                errors.append(f"{name}:{i}: blank line")
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as e:
                errors.append(f"{name}:{i}: bad JSON: {e}")
    return rows


articles = load("articles.jsonl")
claims = load("claims.jsonl")

art_keys = {"id", "title", "source", "published", "text"}
claim_keys = {"id", "article_id", "claim", "supported", "kind", "evidence"}
by_id = {}
for a in articles:
    if set(a) != art_keys:
        errors.append(f"article {a.get('id')}: keys {sorted(a)}")
    if a.get("id") in by_id:
        errors.append(f"duplicate article id {a.get('id')}")
    by_id[a.get("id")] = a
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(a.get("published", ""))):
        errors.append(f"article {a.get('id')}: bad date {a.get('published')}")
    text = a.get("text", "")
    if not text.startswith(a.get("title", "") + "\n\n"):
        errors.append(f"article {a.get('id')}: text does not start with headline")
    words = len(text.split())
    if not 120 <= words <= 250:
        errors.append(f"article {a.get('id')}: {words} words")

seen = set()
per_article = collections.defaultdict(list)
kinds = collections.Counter()
for c in claims:
    cid = c.get("id")
    if set(c) != claim_keys:
        errors.append(f"claim {cid}: keys {sorted(c)}")
    if cid in seen:
        errors.append(f"duplicate claim id {cid}")
    seen.add(cid)
    aid = c.get("article_id")
    if aid not in by_id:
        errors.append(f"claim {cid}: unknown article_id {aid}")
        continue
    per_article[aid].append(c)
    kind = c.get("kind")
    kinds[kind] += 1
    if kind not in KINDS:
        errors.append(f"claim {cid}: unknown kind {kind}")
    if not isinstance(c.get("supported"), bool):
        errors.append(f"claim {cid}: supported is not a boolean")
    elif c["supported"] != (kind == "restated"):
        errors.append(f"claim {cid}: supported={c['supported']} does not match kind {kind}")
    ev = c.get("evidence", "")
    if not ev or ev not in by_id[aid]["text"]:
        errors.append(f"claim {cid}: evidence not verbatim in {aid}")
    if c.get("claim", "").strip() == ev.strip():
        errors.append(f"claim {cid}: claim identical to evidence")

for aid in by_id:
    cs = per_article.get(aid, [])
    n_sup = sum(1 for c in cs if c.get("supported") is True)
    if len(cs) != 8 or n_sup != 4:
        errors.append(f"article {aid}: {len(cs)} claims, {n_sup} supported (want 8 and 4)")
for k in UNSUPPORTED:
    if kinds[k] < 25:
        errors.append(f"kind {k}: only {kinds[k]} claims (want >= 25)")

print(
    f"articles: {len(articles)}  claims: {len(claims)}  "
    f"supported: {sum(1 for c in claims if c.get('supported') is True)}  "
    f"unsupported: {sum(1 for c in claims if c.get('supported') is False)}"
)
print("by kind: " + ", ".join(f"{k}={kinds[k]}" for k in ["restated"] + UNSUPPORTED))
if errors:
    print(f"FAILED: {len(errors)} problem(s)")
    for e in errors:
        print("  " + e)
    sys.exit(1)
print("OK: all checks passed")
