"""Check the reader's training data (train/data/*/): ``python -m train.validate``.

Every answer verbatim in its evidence sentence and every evidence verbatim in its article; short
answers; unique ids; kinds known; a near miss names an answerable question of its article; and
no training article shares its title or its opening with an evaluation article (eval/datasets),
so no evaluation set leaks into training. Prints one line per problem and exits 1 if any.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from train.data import DATA

KINDS = {"answerable", "near_miss", "not_given", "false_premise"}
EVAL = Path(__file__).resolve().parent.parent / "eval" / "datasets"


def problems(root: Path = DATA, eval_root: Path = EVAL) -> list[str]:
    out: list[str] = []
    seen: set[str] = set()
    texts: dict[str, str] = {}
    for folder in sorted(p for p in root.iterdir() if (p / "qa.jsonl").is_file()):
        for n, row in _rows(folder / "articles.jsonl"):
            where = f"{folder.name}/articles.jsonl:{n}"
            if row["id"] in seen:
                out.append(f"{where}: duplicate id {row['id']}")
            seen.add(row["id"])
            texts[row["id"]] = row["text"]
        kinds: dict[str, str] = {}
        for n, row in _rows(folder / "qa.jsonl"):
            where = f"{folder.name}/qa.jsonl:{n}"
            out += _check_question(where, row, texts, seen)
            seen.add(row["id"])
            kinds[row["id"]] = row.get("kind", "")
            twists = row.get("twists")
            if row.get("kind") == "near_miss" and twists and kinds.get(twists) != "answerable":
                out.append(f"{where}: twists {twists}, which is not an earlier answerable question")
    out += _leaks(texts, eval_root)
    return out


def _check_question(where: str, row: dict, texts: dict[str, str], seen: set[str]) -> list[str]:
    out = []
    if row["id"] in seen:
        out.append(f"{where}: duplicate id {row['id']}")
    if row.get("kind") not in KINDS:
        out.append(f"{where}: kind {row.get('kind')!r} is not one of {sorted(KINDS)}")
    text = texts.get(row.get("article_id", ""))
    if text is None:
        return [*out, f"{where}: unknown article {row.get('article_id')!r}"]
    evidence = row.get("evidence") or ""
    if evidence and evidence not in text:
        out.append(f"{where}: evidence is not verbatim in {row['article_id']}")
    answers = row.get("answers") or []
    if row.get("kind") == "answerable":
        if not answers:
            out.append(f"{where}: an answerable question without answers")
        for a in answers:
            if a not in (evidence or text) or len(a.split()) > 8:
                out.append(f"{where}: answer {a!r} not verbatim in its evidence, or over 8 words")
    elif answers:
        out.append(f"{where}: an unanswerable question with answers")
    return out


def _leaks(texts: dict[str, str], eval_root: Path) -> list[str]:
    """Training articles whose opening (first 200 characters) is an evaluation article's."""
    openings = {}
    for path in sorted(eval_root.rglob("articles.jsonl")):
        for _, row in _rows(path):
            openings[" ".join(row.get("text", "").split())[:200]] = path.parent.name
    return [
        f"{aid}: opens like an article of eval/datasets/{openings[key]}"
        for aid, text in texts.items()
        if (key := " ".join(text.split())[:200]) in openings
    ]


def _rows(path: Path) -> list[tuple[int, dict]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [(n, json.loads(line)) for n, line in enumerate(lines, 1) if line.strip()]


def main() -> None:
    found = problems()
    for line in found:
        print(line)
    print(f"{len(found)} problems" if found else "OK")
    sys.exit(1 if found else 0)


if __name__ == "__main__":
    main()
