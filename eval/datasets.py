"""Gold datasets in the shared format: articles.jsonl, qa.jsonl, optional distractors.jsonl.gz.

Usage: ``ds = load_dataset(Path("eval/datasets/seed")); ds.questions[0].answers``
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass, field
from pathlib import Path

from rag.core.errors import InputError


@dataclass(frozen=True, slots=True)
class GoldQuestion:
    id: str
    question: str
    answers: list[str]
    article_ids: list[str]
    unanswerable: bool
    answer_in_text: bool
    question_date: str = ""
    choices: list[str] = field(default_factory=list)
    question_type: str = ""
    context_article_id: str = ""  # the article an unanswerable question is about (QuAIL)
    latest: str = ""  # conflict sets: the value of the newest report
    differ: bool | None = None  # conflict sets: do the reports disagree (conflict, update)?


@dataclass(frozen=True, slots=True)
class Dataset:
    name: str
    path: Path
    questions: list[GoldQuestion]

    @property
    def articles(self) -> Path:
        return self.path / "articles.jsonl"

    @property
    def distractors(self) -> Path | None:
        path = self.path / "distractors.jsonl.gz"
        return path if path.exists() else None


def load_dataset(path: Path) -> Dataset:
    """Read ``qa.jsonl`` of a dataset folder; InputError naming file:line on bad rows."""
    qa = path / "qa.jsonl"
    if not qa.exists() or not (path / "articles.jsonl").exists():
        raise InputError(f"{path}: not a dataset folder (needs articles.jsonl and qa.jsonl)")
    questions = []
    for lineno, line in enumerate(qa.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            questions.append(
                GoldQuestion(
                    id=str(row["id"]),
                    question=row["question"],
                    answers=list(row.get("answers", [])),
                    article_ids=[str(a) for a in row.get("article_ids", [])],
                    unanswerable=bool(row.get("unanswerable", False)),
                    answer_in_text=bool(row.get("answer_in_text", False)),
                    question_date=row.get("question_date", "") or "",
                    choices=list(row.get("choices", []) or []),
                    question_type=row.get("question_type", "") or "",
                    context_article_id=str(row.get("context_article_id", "") or ""),
                    latest=str(row.get("latest", "") or ""),
                    differ=_differ(row),
                )
            )
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise InputError(f"{qa}:{lineno}: bad gold question ({exc}); fix the line") from exc
    return Dataset(name=path.name, path=path, questions=questions)


def _differ(row: dict[str, object]) -> bool | None:
    """Whether a conflict set's reports disagree (its question types conflict and update);
    None for a question of any other set."""
    if "values" not in row:
        return None
    return row.get("question_type") in ("conflict", "update")


def expand_distractors(dataset: Dataset, into: Path) -> Path | None:
    """Write the gzipped distractors as plain JSONL under ``into`` (the ingester reads JSONL)."""
    if dataset.distractors is None:
        return None
    target = into / f"{dataset.name}-distractors.jsonl"
    if not target.exists():
        into.mkdir(parents=True, exist_ok=True)
        with gzip.open(dataset.distractors, "rt", encoding="utf-8") as src:
            target.write_text(src.read(), encoding="utf-8")
    return target


def dataset_sources(dataset: Dataset, scratch: Path, distractors: bool) -> list[Path]:
    """What to ingest for ``dataset``: its articles, plus its distractors when asked and present."""
    extra = expand_distractors(dataset, scratch) if distractors else None
    return [dataset.articles] + ([extra] if extra else [])
