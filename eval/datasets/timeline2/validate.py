#!/usr/bin/env python3
"""Stdlib-only checks for the timeline2 evaluation set. Run from any directory.

Prints "OK" with counts, or the list of problems (exit status 1).
"""

import datetime
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
DATE_IN_TEXT = re.compile(r"\b(" + "|".join(MONTHS) + r") (\d{1,2})\b")  # "March 3"
DATE_DM_TEXT = re.compile(r"\b(\d{1,2}) (" + "|".join(MONTHS) + r")\b")  # "14 June"
SENT_SPLIT = re.compile(r'(?:(?<=[.!?])|(?<=[.!?]["\u201d]))\s+(?=["\u201cA-Z0-9])')

errors = []


def load(name):
    rows = []
    path = os.path.join(HERE, name)
    if not os.path.exists(path):
        errors.append(f"{name}: missing")
        return rows
    with open(path, encoding="utf-8") as f:
        for i, line in enumerate(f, 1):
            if not line.strip():
                errors.append(f"{name}:{i}: blank line")
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as e:
                errors.append(f"{name}:{i}: bad JSON: {e}")
    return rows


def parse_date(s, where):
    if not isinstance(s, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", s):
        errors.append(f"{where}: bad date {s!r}")
        return None
    try:
        d = datetime.date.fromisoformat(s)
    except ValueError:
        errors.append(f"{where}: invalid date {s!r}")
        return None
    if d.year != 2026:
        errors.append(f"{where}: date {s} not in 2026")
    return d


def body(text):
    """Article text without its headline."""
    return text.split("\n\n", 1)[1] if "\n\n" in text else ""


def sentences(text):
    out = []
    for para in text.split("\n\n"):
        out.extend(s.strip() for s in SENT_SPLIT.split(para.strip()) if s.strip())
    return out


articles = load("articles.jsonl")
stories = load("timelines.jsonl")

# ---- articles
ART_KEYS = {"id", "title", "source", "published", "text"}
by_id = {}
pub = {}
for a in articles:
    aid = a.get("id")
    if set(a) != ART_KEYS:
        errors.append(f"article {aid}: keys {sorted(a)}")
    if not re.fullmatch(r"t2-[ad]\d{2}", str(aid)):
        errors.append(f"article {aid}: bad id")
    if aid in by_id:
        errors.append(f"duplicate article id {aid}")
    by_id[aid] = a
    pub[aid] = parse_date(a.get("published"), f"article {aid}")
    text, title = a.get("text", ""), a.get("title", "")
    if not title or not text.startswith(title + "\n\n"):
        errors.append(f"article {aid}: text does not start with title + blank line")
    paras = body(text).split("\n\n")
    if not 3 <= len(paras) <= 5 or any(not p.strip() for p in paras):
        errors.append(f"article {aid}: {len(paras)} paragraphs (want 3-5, none empty)")
    words = len(text.split())
    if not 120 <= words <= 190:
        errors.append(f"article {aid}: {words} words (want 120-190)")
    if pub[aid] and pub[aid] > datetime.date(2026, 12, 3):
        errors.append(f"article {aid}: published after the set was written (2026-12-04)")
    if not a.get("source"):
        errors.append(f"article {aid}: no source")

# ---- stories
STORY_KEYS = {"id", "query", "question", "article_ids", "events", "background"}
EVENT_KEYS = {"date", "article_id", "sentence", "event"}
seen_story = set()
owner = {}
n_events = n_dups = n_bg = 0
for s in stories:
    sid = s.get("id")
    if set(s) != STORY_KEYS:
        errors.append(f"story {sid}: keys {sorted(s)}")
    if not re.fullmatch(r"t2-s\d{2}", str(sid)):
        errors.append(f"story {sid}: bad id")
    if sid in seen_story:
        errors.append(f"duplicate story id {sid}")
    seen_story.add(sid)
    if not s.get("query") or not str(s.get("question", "")).endswith("?"):
        errors.append(f"story {sid}: query/question missing or question lacks '?'")
    ids = s.get("article_ids", [])
    if len(ids) != len(set(ids)):
        errors.append(f"story {sid}: repeated article id in article_ids")
    if not 4 <= len(ids) <= 8:
        errors.append(f"story {sid}: {len(ids)} articles (want 4-8)")
    for aid in ids:
        if aid not in by_id:
            errors.append(f"story {sid}: unknown article {aid}")
        if not str(aid).startswith("t2-a"):
            errors.append(f"story {sid}: {aid} is not a story article id")
        if aid in owner:
            errors.append(f"article {aid} in stories {owner[aid]} and {sid}")
        owner[aid] = sid
    events = s.get("events", [])
    if not 4 <= len(events) <= 8:
        errors.append(f"story {sid}: {len(events)} events (want 4-8)")
    n_events += len(events)
    event_arts, dup_arts = set(), set()
    prev = None
    for k, e in enumerate(events, 1):
        where = f"story {sid} event {k}"
        if not EVENT_KEYS <= set(e) or not set(e) <= EVENT_KEYS | {"duplicates"}:
            errors.append(f"{where}: keys {sorted(e)}")
        aid = e.get("article_id")
        d = parse_date(e.get("date"), where)
        if aid not in by_id:
            errors.append(f"{where}: unknown article {aid}")
            continue
        if aid not in ids:
            errors.append(f"{where}: article {aid} not in the story's article_ids")
        event_arts.add(aid)
        sent = e.get("sentence", "")
        if not sent or sent not in by_id[aid]["text"]:
            errors.append(f"{where}: sentence not verbatim in {aid}")
        elif sent not in sentences(body(by_id[aid]["text"])):
            errors.append(f"{where}: sentence is not exactly one whole sentence of {aid}")
        if not 3 <= len(str(e.get("event", "")).split()) <= 8:
            errors.append(f"{where}: event label should be 3-8 words")
        if d:
            if prev and d < prev:
                errors.append(f"{where}: events not in date order")
            prev = d
            if pub.get(aid) and not 0 <= (pub[aid] - d).days <= 3:
                errors.append(f"{where}: event date {d} vs published {pub[aid]} of {aid}")
            named = [
                datetime.date(2026, MONTHS.index(m) + 1, int(day))
                for m, day in DATE_IN_TEXT.findall(sent)
            ] + [
                datetime.date(2026, MONTHS.index(m) + 1, int(day))
                for day, m in DATE_DM_TEXT.findall(sent)
            ]
            if not named:
                errors.append(f"{where}: sentence names no date")
            if named and d not in named:
                errors.append(f"{where}: date {d} is not a date named in the sentence {named}")
        for dup in e.get("duplicates", []):
            n_dups += 1
            if dup not in by_id:
                errors.append(f"{where}: unknown duplicate {dup}")
                continue
            if dup not in ids:
                errors.append(f"{where}: duplicate {dup} not in the story's article_ids")
            dup_arts.add(dup)
            orig, copy = by_id[aid], by_id[dup]
            if orig["title"] == copy["title"] or orig["source"] == copy["source"]:
                errors.append(f"{where}: duplicate {dup} has the same title or source as {aid}")
            if pub.get(dup) and pub.get(aid) and not 0 <= (pub[dup] - pub[aid]).days <= 1:
                errors.append(
                    f"{where}: duplicate {dup} not published the same or next day as {aid}"
                )
            orig_sents = set(sentences(body(orig["text"])))
            copy_sents = sentences(body(copy["text"]))
            share = sum(x in orig_sents for x in copy_sents) / max(len(copy_sents), 1)
            if share < 0.6:
                errors.append(
                    f"{where}: duplicate {dup} shares only {share:.2f} of its sentences with {aid}"
                )
            if sent and sent not in copy["text"]:
                errors.append(f"{where}: duplicate {dup} lacks the event sentence")
    if dup_arts & event_arts:
        errors.append(
            f"story {sid}: {sorted(dup_arts & event_arts)} both duplicate and event article"
        )
    bg = s.get("background", [])
    if not bg:
        errors.append(f"story {sid}: no background article")
    if not dup_arts:
        errors.append(f"story {sid}: no wire copy (duplicates)")
    n_bg += len(bg)
    first = min(
        (
            datetime.date.fromisoformat(e["date"])
            for e in events
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(e.get("date")))
        ),
        default=None,
    )
    for b in bg:
        if b not in ids:
            errors.append(f"story {sid}: background {b} not in article_ids")
        if b in event_arts or b in dup_arts:
            errors.append(f"story {sid}: background {b} is also an event article or duplicate")
        if first and pub.get(b) and pub[b] <= first:
            errors.append(f"story {sid}: background {b} published before the story's first event")
    for aid in ids:
        roles = (aid in event_arts) + (aid in dup_arts) + (aid in bg)
        if roles != 1:
            errors.append(
                f"story {sid}: article {aid} has {roles} roles (want exactly one of event/duplicate/background)"
            )

for aid in by_id:
    if aid.startswith("t2-a") and aid not in owner:
        errors.append(f"article {aid} belongs to no story")
    if aid.startswith("t2-d") and aid in owner:
        errors.append(f"distractor {aid} is in story {owner[aid]}")

if errors:
    print("\n".join(errors))
    print(f"{len(errors)} problem(s)")
    sys.exit(1)
n_dis = sum(a.startswith("t2-d") for a in by_id)
print(
    f"OK: {len(stories)} stories, {len(by_id)} articles ({len(by_id) - n_dis} in stories, "
    f"{n_dis} distractors), {n_events} events, {n_dups} wire copies, {n_bg} background articles"
)
