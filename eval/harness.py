"""The evaluation harness: ingest a gold dataset into an isolated store, ask every question
through one or more pipelines, and score answers, retrieval, citations, refusals and latency.

Usage: ``report = run([Path("eval/datasets/seed")], Settings(), pipelines=("newsrag",))``
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from eval.datasets import Dataset, GoldQuestion, dataset_sources, load_dataset
from eval.score import KS, score
from eval.summary import summarize
from ingest.sources import read_sources, resolve_sources
from rag.assistant import Assistant
from rag.core.dates import parse_date
from rag.core.embeddings import Embedder, make_embeddings
from rag.core.errors import InputError
from rag.core.settings import Settings
from rag.core.types import Answer, Article, Filters, Retrieval

PIPELINES = ("newsrag", "baseline")
Progress = Callable[[str, int, int], None]


@dataclass(slots=True)
class Row:
    """One question asked through one pipeline, with everything needed to score and read it."""

    dataset: str
    pipeline: str
    id: str
    question: str
    question_type: str
    gold: list[str]
    gold_article_ids: list[str]
    unanswerable: bool
    answer_in_text: bool
    answer: str
    refused: bool
    citations: list[dict[str, Any]]
    retrieved: list[str]
    scores: dict[str, Any]
    latency_ms: float
    usage: dict[str, int] = field(default_factory=dict)
    cost_usd: float | None = None  # LLM mode with a priced model
    unsupported: int = 0  # LLM mode: answer sentences no cited source backs
    support: float = 0.0  # the answerer's confidence (offline: the reader's answer probability)
    differ: bool | None = None  # conflict sets: whether the gold reports disagree


@dataclass(slots=True)
class Report:
    """Everything one evaluation run measured; ``to_dict`` is the JSON report."""

    created: str
    settings: dict[str, Any]
    summary: dict[str, dict[str, dict[str, Any]]]  # dataset -> pipeline -> metric -> value
    timings: dict[str, dict[str, dict[str, float]]]  # dataset -> pipeline -> ingest_s/ask_s
    rows: list[Row]

    def to_dict(self) -> dict[str, Any]:
        return {
            "created": self.created,
            "settings": self.settings,
            "summary": self.summary,
            "timings": self.timings,
            "rows": [asdict(r) for r in self.rows],
        }


class _Pipeline:
    """What the harness needs from a pipeline: ingest articles, retrieve top-N, answer."""

    name: str

    def ingest(self, sources: list[Path]) -> None: ...

    def retrieve(self, question: str, n: int, filters: Filters) -> Retrieval: ...

    def answer(self, retrieval: Retrieval) -> Answer: ...


class _Newsrag(_Pipeline):
    """newsrag through its public stages: ``Assistant.retrieve`` and ``Assistant.answer``."""

    name = "newsrag"

    def __init__(self, settings: Settings, embeddings: Embedder) -> None:
        self.assistant = Assistant(settings, embeddings=embeddings)
        self.k = settings.k

    def ingest(self, sources: list[Path]) -> None:
        report = self.assistant.ingest(sources)
        if report.errors:
            first = report.errors[0]
            raise InputError(
                f"{first.where}: {first.reason} ({len(report.errors)} ingest errors; "
                "a gold set must ingest cleanly)"
            )

    def retrieve(self, question: str, n: int, filters: Filters) -> Retrieval:
        return self.assistant.retrieve(question, n, filters)

    def answer(self, retrieval: Retrieval) -> Answer:
        return self.assistant.answer(retrieval.top(self.k))


class _Baseline(_Pipeline):
    """The LangChain tutorial's chunking and retrieval, answered by newsrag's answer stage."""

    name = "baseline"
    k = 4

    def __init__(self, settings: Settings, embeddings: Embedder) -> None:
        from eval.baseline import BaselinePipeline

        answerer = Assistant(settings, embeddings=embeddings)
        self.pipe = BaselinePipeline(embeddings, settings.home, answerer.answer)

    def ingest(self, sources: list[Path]) -> None:
        articles = [a for a in read_sources(resolve_sources(sources)) if isinstance(a, Article)]
        self.pipe.ingest(articles)

    def retrieve(self, question: str, n: int, filters: Filters) -> Retrieval:
        return self.pipe.retrieve(question, n)  # the tutorial recipe knows no dates

    def answer(self, retrieval: Retrieval) -> Answer:
        return replace(self.pipe.answer(retrieval.top(self.k)), mode="baseline")


def run(
    datasets: Sequence[Path],
    settings: Settings,
    pipelines: Sequence[str] = ("newsrag",),
    distractors: bool = False,
    embeddings: Embedder | None = None,
    progress: Progress | None = None,
    stores: Path | None = None,
    question_dates: bool = True,
) -> Report:
    """Evaluate every pipeline on every dataset, each in its own store: a temporary one, or
    ``stores/<dataset>/<pipeline>`` kept for the next run (re-ingest then embeds nothing).
    ``question_dates``: ask each question as of its question_date (when the set gives one)."""
    unknown = [p for p in pipelines if p not in PIPELINES]
    if unknown:
        raise InputError(f"unknown pipeline {unknown[0]!r}; choose from {', '.join(PIPELINES)}")
    loaded = [load_dataset(Path(d)) for d in datasets]
    names = [d.name for d in loaded]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise InputError(f"two datasets are named {repeated[0]!r}; give each folder its own name")
    embeddings = embeddings or make_embeddings(settings)
    rows: list[Row] = []
    timings: dict[str, dict[str, dict[str, float]]] = {}
    with tempfile.TemporaryDirectory(prefix="newsrag-eval-") as scratch:
        tmp = str(stores or scratch)
        for dataset in loaded:
            sources = dataset_sources(dataset, Path(tmp) / "data", distractors)
            for name in pipelines:
                home = Path(tmp) / dataset.name / name
                isolated = settings.model_copy(update={"home": home})
                pipe = (_Newsrag if name == "newsrag" else _Baseline)(isolated, embeddings)
                started = time.perf_counter()
                pipe.ingest(sources)
                ingested = time.perf_counter()
                texts = _ArticleTexts(sources)
                for i, gold in enumerate(dataset.questions, 1):
                    rows.append(_ask(dataset, pipe, gold, texts, question_dates))
                    if progress:
                        progress(f"{dataset.name}/{name}", i, len(dataset.questions))
                timings.setdefault(dataset.name, {})[name] = {
                    "ingest_s": round(ingested - started, 2),
                    "ask_s": round(time.perf_counter() - ingested, 2),
                }
    return Report(
        created=time.strftime("%Y-%m-%dT%H:%M:%S"),
        settings={
            "k": settings.k,
            "min_support": settings.min_support,
            "chunk_tokens": settings.chunk_tokens,
            "embedding_model": embeddings.name,
            "distractors": distractors,
            "pipelines": list(pipelines),
            "retrieval": settings.retrieval,
            "per_article": settings.per_article,
            "question_dates": question_dates,
        },
        summary=summarize(rows),
        timings=timings,
        rows=rows,
    )


class _ArticleTexts:
    """Article texts by id for offset checks, read lazily from the dataset's own files."""

    def __init__(self, sources: list[Path]) -> None:
        self.sources = sources
        self._texts: dict[str, str] | None = None

    def get(self) -> dict[str, str]:
        if self._texts is None:
            items = read_sources(resolve_sources(self.sources))
            self._texts = {}
            for item in items:
                if isinstance(item, Article):
                    self._texts.setdefault(item.id, item.text)  # the indexer keeps the first
        return self._texts


def _ask(
    dataset: Dataset, pipe: _Pipeline, gold: GoldQuestion, texts: _ArticleTexts, dates: bool
) -> Row:
    started = time.perf_counter()
    as_of = parse_date(gold.question_date) if dates else None  # "this week" means that week
    filters = Filters(as_of=as_of)
    retrieval = pipe.retrieve(gold.question, max(KS), filters)
    answer = pipe.answer(retrieval)
    latency = (time.perf_counter() - started) * 1000
    return Row(
        dataset=dataset.name,
        pipeline=pipe.name,
        id=gold.id,
        question=gold.question,
        question_type=gold.question_type,
        gold=gold.answers,
        gold_article_ids=gold.article_ids,
        unanswerable=gold.unanswerable,
        answer_in_text=gold.answer_in_text,
        answer=answer.text,
        refused=answer.refused,
        citations=[c.to_dict() for c in answer.citations],
        retrieved=[h.chunk.article_id for h in retrieval.hits],
        scores=score(gold, answer, retrieval, texts.get()),
        latency_ms=round(latency, 1),
        usage=dict(answer.usage),
        cost_usd=answer.cost_usd,
        unsupported=len(answer.unsupported),
        support=answer.support,
        differ=gold.differ,
    )


def print_progress(label: str, done: int, total: int) -> None:
    """A one-line progress bar on stderr."""
    width = 30
    filled = int(width * done / total) if total else width
    end = "\n" if done == total else ""
    print(
        f"\r{label:<28} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}",
        end=end,
        file=sys.stderr,
        flush=True,
    )
