"""The checks every blind "fresh" set shares (stdlib only), run by each set's validate.py:
fields, unique ids with the set's prefix, publication dates and article lengths in the set's
range, every answerable question's answers verbatim in its gold article.

Usage (from a set's validate.py): ``found = check(HERE, "f3-", r"202[4-6]-\d\d-\d\d", (350, 700))``
"""

import json
import os
import re

ART_FIELDS = ["id", "title", "source", "published", "url", "text"]
QA_FIELDS = [
    "id",
    "question",
    "answers",
    "article_ids",
    "unanswerable",
    "answer_in_text",
    "question_type",
]
QTYPES = {"who", "what", "when", "where", "how many", "how much", "how long", "why", "which"}


class Found:
    """What a check read and found: rows, article texts by id, counts and problems."""

    def __init__(self) -> None:
        self.articles: list = []
        self.qa: list = []
        self.texts: dict = {}
        self.n_ans = self.n_unans = 0
        self.problems: list = []

    def report(self) -> int:
        """Print the counts and problems; the exit status (1 on any problem)."""
        print(
            f"articles: {len(self.articles)}  questions: {len(self.qa)}  "
            f"answerable: {self.n_ans}  unanswerable: {self.n_unans}"
        )
        for p in self.problems:
            print("PROBLEM:", p)
        if self.problems:
            return 1
        print("OK")
        return 0


def _load(here, name, problems):
    rows = []
    with open(os.path.join(here, name), encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                problems.append(f"{name}:{n}: blank line")
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as e:
                problems.append(f"{name}:{n}: bad JSON ({e})")
    return rows


def check(here, prefix, published, words_range):
    found = Found()
    problems = found.problems
    articles = found.articles = _load(here, "articles.jsonl", problems)
    qa = found.qa = _load(here, "qa.jsonl", problems)
    texts = found.texts
    lo, hi = words_range
    for a in articles:
        if sorted(a) != sorted(ART_FIELDS):
            problems.append(f"article {a.get('id')}: fields {sorted(a)}")
            continue
        if a["id"] in texts:
            problems.append(f"duplicate article id {a['id']}")
        if not a["id"].startswith(prefix):
            problems.append(f"article id {a['id']} lacks {prefix} prefix")
        if not re.fullmatch(published, a["published"]):
            problems.append(f"article {a['id']}: published {a['published']!r}")
        if not a["url"].startswith("https://example.org/"):
            problems.append(f"article {a['id']}: url {a['url']!r}")
        if not a["text"].startswith(a["title"] + "\n\n"):
            problems.append(f"article {a['id']}: text does not open with title line")
        words = len(a["text"].split())
        if not lo <= words <= hi:
            problems.append(f"article {a['id']}: {words} words")
        texts[a["id"]] = a["text"]

    seen = set()
    for q in qa:
        qid = q.get("id")
        if sorted(q) != sorted(QA_FIELDS):
            problems.append(f"{qid}: fields {sorted(q)}")
            continue
        if qid in seen:
            problems.append(f"duplicate question id {qid}")
        seen.add(qid)
        if not re.fullmatch(rf"{prefix}q\d\d", qid or ""):
            problems.append(f"{qid}: bad id format")
        if q["question_type"] not in QTYPES:
            problems.append(f"{qid}: question_type {q['question_type']!r}")
        if not isinstance(q["answers"], list) or not isinstance(q["article_ids"], list):
            problems.append(f"{qid}: answers/article_ids must be lists")
            continue
        for aid in q["article_ids"]:
            if aid not in texts:
                problems.append(f"{qid}: unknown article id {aid}")
        if q["unanswerable"] is True:
            found.n_unans += 1
            if q["answers"] or q["answer_in_text"] is not False:
                problems.append(f"{qid}: unanswerable but has answers/answer_in_text")
        elif q["unanswerable"] is False:
            found.n_ans += 1
            if q["answer_in_text"] is not True:
                problems.append(f"{qid}: answerable but answer_in_text not true")
            if not q["answers"] or not q["article_ids"]:
                problems.append(f"{qid}: answerable but no answers or no article_ids")
            gold = [texts[a] for a in q["article_ids"] if a in texts]
            for ans in q["answers"]:
                if not isinstance(ans, str) or not ans.strip():
                    problems.append(f"{qid}: empty/non-string answer {ans!r}")
                elif not any(ans in t for t in gold):
                    problems.append(f"{qid}: answer {ans!r} not verbatim in gold text")
        else:
            problems.append(f"{qid}: unanswerable must be true/false")
    return found


def check_kinds(found, prefix, unanswerable, no_article):
    """Questions ``unanswerable`` (first, last id number) are unanswerable; those in
    ``no_article`` name no article, the rest of them their closest one."""
    by_id = {q.get("id"): q for q in found.qa}
    for i in range(unanswerable[0], unanswerable[1] + 1):
        q = by_id.get(f"{prefix}q{i:02d}")
        if q is None or q.get("unanswerable") is not True:
            found.problems.append(f"{prefix}q{i:02d}: expected an unanswerable question")
            continue
        if no_article[0] <= i <= no_article[1]:
            if q["article_ids"]:
                found.problems.append(f"{q['id']}: no-article question must have article_ids []")
        elif not q["article_ids"]:
            found.problems.append(
                f"{q['id']}: missing-detail/false-premise question needs its closest article"
            )


def check_paraphrased(found, n):
    """No answerable question copies ``n`` or more consecutive words of its article."""

    def runs(s):
        w = re.findall(r"[\w'-]+", s.lower())
        return {tuple(w[i : i + n]) for i in range(len(w) - n + 1)}

    for q in found.qa:
        if q.get("unanswerable") is False:
            for aid in q["article_ids"]:
                if aid in found.texts and runs(q["question"]) & runs(found.texts[aid]):
                    found.problems.append(
                        f"{q['id']}: question copies {n}+ consecutive words of its article"
                    )


def check_answerable(found, prefix, last, per_article):
    """Questions 1..``last`` are answerable, and every article has ``per_article`` of them."""
    by_id = {q.get("id"): q for q in found.qa}
    for i in range(1, last + 1):
        q = by_id.get(f"{prefix}q{i:02d}")
        if q is None or q.get("unanswerable") is not False:
            found.problems.append(f"{prefix}q{i:02d}: expected an answerable question")
    counts = {}
    for q in found.qa:
        if q.get("unanswerable") is False:
            for aid in q.get("article_ids", []):
                counts[aid] = counts.get(aid, 0) + 1
    for aid in found.texts:
        if counts.get(aid, 0) != per_article:
            got = counts.get(aid, 0)
            found.problems.append(
                f"article {aid}: {got} answerable questions, expected {per_article}"
            )


def beyond_lead(found, only=False):
    """How many answerable questions have an answer past the lead paragraph (paragraphs:
    title, lead, rest); ``only``: and none in the lead."""

    def part(text, lead):
        parts = text.split("\n\n")
        return (parts[1] if len(parts) > 1 else "") if lead else "\n\n".join(parts[2:])

    count = 0
    for q in found.qa:
        if q.get("unanswerable") is False:
            gold = [found.texts[a] for a in q["article_ids"] if a in found.texts]
            hits = [(part(t, False), part(t, True)) for t in gold]
            past = any(a in rest for rest, _ in hits for a in q["answers"])
            in_lead = any(a in lead for _, lead in hits for a in q["answers"])
            count += past and not (only and in_lead)
    return count
