"""The overlap check of validate.py: nothing of conflict4 (outlets, proper names, answer
values and figures) may occur in conflict1, conflict2 or conflict3. Stdlib only."""

import os
import re

# Capitalised words that are not proper names even when they never occur in lower case.
COMMON = set(
    """I Mr Mrs Ms Dr Sir Monday Tuesday Wednesday Thursday Friday Saturday Sunday January
    February March April May June July August September October November December Easter
    Christmas CCTV GP""".split()
)


def corpus_words(rows):
    """(word, initial) pairs; initial = first word of the title, a paragraph or a sentence."""
    out = []
    for a in rows:
        # an outlet name is a name throughout, so none of its words counts as initial
        out.extend((w, False) for w in re.findall(r"[A-Za-z]+", str(a.get("source", ""))))
        for chunk in str(a.get("text", "")).split("\n\n"):
            for m in re.finditer(r"[A-Za-z]+", chunk):
                before = chunk[: m.start()].rstrip(" \"'(\u201c\u2018")
                out.append((m.group(0), not before or before[-1] in ".!?:"))
    return out


def proper_names(words, lower_seen):
    """Capitalised words never seen in lower case, used at least once inside a sentence."""
    return {
        w for w, initial in words if not initial and w[0].isupper() and w.lower() not in lower_seen
    } - COMMON


def sibling_errors(articles, qas, outlets, load, figures, here, siblings):
    """Problems from anything this set shares with its sibling sets, and the siblings that
    were not found next to it (their check is skipped)."""
    errors = []
    sibling_rows = {}
    skipped = []
    for sib in siblings:
        d = os.path.join(here, os.pardir, sib)
        arts = load("articles.jsonl", d, report=False)
        qa = load("qa.jsonl", d, report=False)
        if not arts or not qa:
            skipped.append(sib)
            continue
        sibling_rows[sib] = (arts, qa)

    if sibling_rows:
        mine_words = corpus_words(articles)
        all_words = list(mine_words)
        for arts, _ in sibling_rows.values():
            all_words += corpus_words(arts)
        lower_seen = {w for w, _ in all_words if w.islower()}
        my_names = proper_names(mine_words, lower_seen)
        my_answers = {str(x) for q in qas for x in q.get("answers") or []}
        my_figures = figures(my_answers)
        my_outlets = set(outlets)
        my_text = "\n".join(a.get("text", "") for a in articles)
        for sib, (arts, qa) in sibling_rows.items():
            their_outlets = {a.get("source") for a in arts}
            for o in sorted(my_outlets & their_outlets):
                errors.append(f"outlet {o!r} is also used in {sib}")
            their_text = "\n".join(a.get("text", "") for a in arts)
            for o in sorted(my_outlets):
                if o in their_text:
                    errors.append(f"outlet {o!r} is named in {sib}'s articles")
            for o in sorted(their_outlets):
                if o and o in my_text:
                    errors.append(f"{sib} outlet {o!r} is named in this set")
            shared = my_names & proper_names(corpus_words(arts), lower_seen)
            for w in sorted(shared):
                errors.append(f"proper name {w!r} also occurs in {sib}")
            their_answers = {str(x) for q in qa for x in q.get("answers") or []}
            for s in sorted({x.lower() for x in my_answers} & {x.lower() for x in their_answers}):
                errors.append(f"answer value {s!r} also used in {sib}")
            for f in sorted(my_figures & figures(their_answers), key=str):
                errors.append(f"answer figure {f!r} also used in {sib}")

    return errors, skipped
