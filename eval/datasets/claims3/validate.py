#!/usr/bin/env python3
"""Validate the claims3 evaluation set (articles.jsonl, claims.jsonl).

Standard library only. Finds its data files in the directory holding this
script, so it can be run from anywhere:  python3 path/to/validate.py
Prints "OK" when every check passes; otherwise prints each problem and
exits with status 1.
"""

import json
import os
import re
import sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
N_ARTICLES = 30
CLAIMS_PER_ARTICLE = 16
SUPPORTED_PER_ARTICLE = 8
MIN_WORDS, MAX_WORDS = 150, 260
UNSUPPORTED_KINDS = ("name", "number", "date", "role", "place", "negation", "antonym", "category")
EXPECTED_KINDS = {"restated": N_ARTICLES * SUPPORTED_PER_ARTICLE}
for _k in UNSUPPORTED_KINDS:
    EXPECTED_KINDS[_k] = (
        N_ARTICLES * (CLAIMS_PER_ARTICLE - SUPPORTED_PER_ARTICLE) // len(UNSUPPORTED_KINDS)
    )
ARTICLE_KEYS = {"id", "title", "source", "published", "text"}
CLAIM_KEYS = {"id", "article_id", "claim", "evidence", "supported", "kind"}


def load(name, problems):
    rows = []
    path = os.path.join(HERE, name)
    try:
        with open(path, encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                if not line.strip():
                    problems.append(f"{name}:{n}: blank line")
                    continue
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as exc:
                    problems.append(f"{name}:{n}: bad JSON ({exc})")
                    continue
                if not isinstance(obj, dict):
                    problems.append(f"{name}:{n}: not a JSON object")
                    continue
                rows.append((n, obj))
    except OSError as exc:
        problems.append(f"cannot read {path}: {exc}")
    return rows


def check_id(where, value, pattern, position, state, problems):
    """Ids must match pattern and run 1, 2, 3 ... in file order.

    A problem is reported once per break in the sequence, not for every
    later line, so one missing or extra line gives one message.
    """
    m = re.fullmatch(pattern, value) if isinstance(value, str) else None
    if not m:
        problems.append(f"{where}: malformed id {value!r}")
        return
    num = int(m.group(1))
    expected = state.get("next", 1)
    if num != expected:
        problems.append(f"{where}: id {value!r} out of sequence (expected number {expected})")
    state["next"] = num + 1


def check_articles(rows, problems):
    texts = {}
    ids_state = {}
    if len(rows) != N_ARTICLES:
        problems.append(f"articles.jsonl: {len(rows)} articles, expected {N_ARTICLES}")
    for i, (n, a) in enumerate(rows, 1):
        where = f"articles.jsonl:{n}"
        if set(a) != ARTICLE_KEYS:
            problems.append(f"{where}: keys {sorted(a)} != {sorted(ARTICLE_KEYS)}")
        aid = a.get("id")
        check_id(where, aid, r"c3-a(\d{2})", i, ids_state, problems)
        for key in ("title", "source", "text"):
            if not isinstance(a.get(key), str) or not a.get(key).strip():
                problems.append(f"{where}: empty or non-string {key}")
        pub = a.get("published")
        if not isinstance(pub, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", pub):
            problems.append(f"{where}: published {pub!r} is not YYYY-MM-DD")
        text = a.get("text") if isinstance(a.get("text"), str) else ""
        title = a.get("title") if isinstance(a.get("title"), str) else ""
        if not text.startswith(title + "\n\n"):
            problems.append(f"{where}: text does not start with headline + blank line")
        words = len(text.split())
        if not MIN_WORDS <= words <= MAX_WORDS:
            problems.append(f"{where}: text has {words} words (want {MIN_WORDS}-{MAX_WORDS})")
        if isinstance(aid, str):
            if aid in texts:
                problems.append(f"{where}: duplicate id {aid}")
            texts[aid] = text
    return texts


def check_claims(rows, texts, problems):
    total = N_ARTICLES * CLAIMS_PER_ARTICLE
    if len(rows) != total:
        problems.append(f"claims.jsonl: {len(rows)} claims, expected {total}")
    seen = set()
    ids_state = {}
    per_article = {}
    order = []
    kinds = Counter()
    for i, (n, c) in enumerate(rows, 1):
        where = f"claims.jsonl:{n}"
        if set(c) != CLAIM_KEYS:
            problems.append(f"{where}: keys {sorted(c)} != {sorted(CLAIM_KEYS)}")
        cid = c.get("id")
        check_id(where, cid, r"c3-c(\d{3})", i, ids_state, problems)
        if cid in seen:
            problems.append(f"{where}: duplicate id {cid!r}")
        seen.add(cid)
        aid = c.get("article_id")
        if aid not in texts:
            problems.append(f"{where}: unknown article_id {aid!r}")
        if not order or order[-1] != aid:
            order.append(aid)
        per_article.setdefault(aid, []).append(c)
        claim = c.get("claim")
        if not isinstance(claim, str):
            problems.append(f"{where}: claim is not a string")
        else:
            nw = len(claim.split())
            if not 8 <= nw <= 35:
                problems.append(f"{where}: claim has {nw} words (want 8-35)")
        sup = c.get("supported")
        kind = c.get("kind")
        if not isinstance(sup, bool):
            problems.append(f"{where}: supported is not true/false")
        if kind not in EXPECTED_KINDS:
            problems.append(f"{where}: unknown kind {kind!r}")
        elif (kind == "restated") != (sup is True):
            problems.append(f"{where}: kind {kind!r} does not match supported={sup!r}")
        kinds[kind] += 1
        ev = c.get("evidence")
        if not isinstance(ev, str) or not ev.strip():
            problems.append(f"{where}: empty evidence")
        elif aid in texts and ev not in texts[aid]:
            problems.append(f"{where}: evidence is not an exact substring of {aid}")
        elif "\n" in ev or not re.search(r"[.!?][\"']?$", ev):
            problems.append(f"{where}: evidence is not a single whole sentence")
        if isinstance(ev, str) and isinstance(claim, str) and ev.strip() == claim.strip():
            problems.append(f"{where}: claim is a verbatim copy of its evidence")
    if len(order) != len(set(order)):
        problems.append("claims.jsonl: claims of one article are not contiguous")
    if [a for a in order if a in texts] != [a for a in texts if a in per_article]:
        problems.append("claims.jsonl: articles do not appear in article order")
    for aid in texts:
        group = per_article.get(aid, [])
        n_sup = sum(1 for c in group if c.get("supported") is True)
        if len(group) != CLAIMS_PER_ARTICLE:
            problems.append(f"{aid}: {len(group)} claims, expected {CLAIMS_PER_ARTICLE}")
        if n_sup != SUPPORTED_PER_ARTICLE:
            problems.append(f"{aid}: {n_sup} supported claims, expected {SUPPORTED_PER_ARTICLE}")
        # each article has exactly one unsupported claim of every kind
        got = sorted(c.get("kind") for c in group if c.get("supported") is False)
        if got != sorted(UNSUPPORTED_KINDS):
            problems.append(
                f"{aid}: unsupported kinds {got}, expected one of each of {sorted(UNSUPPORTED_KINDS)}"
            )
        texts_seen = [c.get("claim") for c in group]
        if len(set(texts_seen)) != len(texts_seen):
            problems.append(f"{aid}: duplicate claim text")
    for kind, want in EXPECTED_KINDS.items():
        if kinds.get(kind, 0) != want:
            problems.append(f"kind {kind!r}: {kinds.get(kind, 0)} claims, expected {want}")


def main():
    problems = []
    arts = load("articles.jsonl", problems)
    claims = load("claims.jsonl", problems)
    texts = check_articles(arts, problems)
    check_claims(claims, texts, problems)
    if problems:
        for p in problems:
            print(p)
        print(f"{len(problems)} problem(s)")
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
