"""Ask every gold question of a dataset end to end and record what came back.

Usage: ``python -m eval.measure eval/datasets/seed [--distractors] [--home DIR] [--out rows.jsonl]``
The store is an isolated directory (a temp dir unless --home is given), never the user's.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eval.datasets import Dataset, GoldQuestion, expand_distractors, load_dataset
from eval.metrics import contains_answer
from rag.assistant import Assistant
from rag.settings import Settings
from rag.types import Answer


@dataclass(frozen=True, slots=True)
class Row:
    """One asked question with what it takes to score it."""

    gold: GoldQuestion
    answer: Answer
    article_texts: dict[str, str]

    @property
    def correct(self) -> bool:
        """Answerable: contains an accepted answer and cites a gold article. Else: refused."""
        if self.gold.unanswerable:
            return self.answer.refused
        return (
            not self.answer.refused
            and contains_answer(self.answer.text, self.gold.answers)
            and any(c.article_id in self.gold.article_ids for c in self.answer.citations)
        )

    @property
    def quotes_exact(self) -> bool:
        return all(
            self.article_texts.get(c.article_id, "")[c.start : c.end] == c.quote
            for c in self.answer.citations
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.gold.id,
            "question": self.gold.question,
            "gold": self.gold.answers,
            "unanswerable": self.gold.unanswerable,
            "correct": self.correct,
            "quotes_exact": self.quotes_exact,
            "support": round(self.answer.support, 4),
            **self.answer.to_dict(),
        }


def ingest_dataset(assistant: Assistant, dataset: Dataset, distractors: bool) -> dict[str, Any]:
    sources = [dataset.articles]
    if distractors:
        extra = expand_distractors(dataset, assistant.settings.home / "datasets")
        if extra is not None:
            sources.append(extra)
    return assistant.ingest(sources).to_dict()


def ask_all(assistant: Assistant, dataset: Dataset) -> list[Row]:
    rows = []
    texts: dict[str, str] = {}
    for gold in dataset.questions:
        answer = assistant.ask(gold.question)
        for c in answer.citations:
            if c.article_id not in texts:
                texts[c.article_id] = assistant.get_article(c.article_id).text
        rows.append(Row(gold, answer, texts))
    return rows


def summarize(rows: list[Row]) -> dict[str, Any]:
    answerable = [r for r in rows if not r.gold.unanswerable]
    in_text = [r for r in answerable if r.gold.answer_in_text]
    unanswerable = [r for r in rows if r.gold.unanswerable]
    latencies = [r.answer.timings_ms.get("total", 0.0) for r in rows]
    return {
        "questions": len(rows),
        "answerable_correct": f"{sum(r.correct for r in answerable)}/{len(answerable)}",
        "answer_in_text_correct": f"{sum(r.correct for r in in_text)}/{len(in_text)}",
        "unanswerable_refused": f"{sum(r.correct for r in unanswerable)}/{len(unanswerable)}",
        "false_refusals": f"{sum(r.answer.refused for r in answerable)}/{len(answerable)}",
        "quotes_not_exact": sum(not r.quotes_exact for r in rows),
        "ask_ms_median": round(statistics.median(latencies), 1) if latencies else 0.0,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.measure", description=__doc__)
    parser.add_argument("dataset", type=Path)
    parser.add_argument("--distractors", action="store_true")
    parser.add_argument("--home", type=Path, help="reuse this store directory")
    parser.add_argument("--out", type=Path, help="write one JSON row per question here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="newsrag-eval-") as tmp:
        assistant = Assistant(Settings(home=args.home or Path(tmp)))
        dataset = load_dataset(args.dataset)
        started = time.perf_counter()
        ingest = ingest_dataset(assistant, dataset, args.distractors)
        ingested = time.perf_counter()
        rows = ask_all(assistant, dataset)
        summary = summarize(rows)
        summary.update(
            dataset=dataset.name,
            ingest_s=round(ingested - started, 1),
            ask_s=round(time.perf_counter() - ingested, 1),
            articles_added=len(ingest["added"]),
            chunks_embedded=ingest["chunks_embedded"],
        )
        if args.out:
            args.out.write_text("".join(json.dumps(r.to_dict()) + "\n" for r in rows))
        print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
