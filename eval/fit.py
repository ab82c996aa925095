"""Fit the offline reader's two logistic models and choose its operating point, with
cross-validation grouped by article (scikit-learn), and write rag/models/reader.json.

Usage: ``python -m eval.fit eval/datasets/seed eval/datasets/quail-news
[../shared/data/realtimeqa-dev] [--stores DIR] [--out FILE] [--max-false-refusals 0.12]
[--sentence-from seed quail-news realtimeqa-dev]``

1. Every question is retrieved through ``Assistant.retrieve`` (with its question_date as
   ``as_of``) and every candidate sentence gets the reader's features (all of them deep).
2. The sentence model learns "this sentence holds a gold answer" (answerable questions), and
   the cheap model the same from the features every sentence gets before the deep reading.
3. The span model learns "this candidate short answer is a gold answer" over the candidates
   (rag.query.short_answer) of the readings with the fitted sentence model; its threshold is
   the lowest whose out-of-fold precision of the short answers shown reaches
   ``--short-precision`` (a wrong short answer leads the reply; none is better).
4. The answerability model learns "the corpus answers this question" from the question-level
   features of the reading with the fitted sentence model. Negatives: the sets' unanswerable
   questions, and each answerable question asked again with its gold articles removed from the
   retrieval (the corpus no longer holds the answer).
5. Out-of-fold predictions (GroupKFold by gold article, so no article is scored by a model that
   saw it) give the curve of unanswerables refused vs false refusals; the threshold is the
   highest one whose out-of-fold false-refusal rate stays within ``--max-false-refusals``.
This reads the reader's features (rag.query.reader), the one place eval looks below the facade.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from eval.datasets import GoldQuestion, dataset_sources, load_dataset
from eval.metrics import contains_answer
from rag.assistant import Assistant
from rag.core.dates import parse_date
from rag.core.settings import Settings
from rag.core.types import Filters, Retrieval
from rag.query.reader import (
    CHEAP_FEATURES,
    QUESTION_FEATURES,
    SENTENCE_FEATURES,
    Logistic,
    Reader,
    ReaderModel,
)
from rag.query.short_answer import SPAN_FEATURES

DEFAULT_OUT = Path(__file__).resolve().parent.parent / "rag" / "models" / "reader.json"
RETRIEVE = 12  # retrieved before the gold articles are removed for negatives


@dataclass(slots=True)
class Case:
    """One question's retrieval, as asked (``synthetic``: with its gold articles removed);
    ``group`` is the article it is about, the same across sets that reword one another's
    questions, so no fold scores a question whose rewording it was fitted on."""

    gold: GoldQuestion
    retrieval: Retrieval
    dataset: str
    group: str
    answerable: bool
    synthetic: bool = False  # an answerable question with its gold articles taken away


def collect(datasets: list[Path], stores: Path, k: int) -> list[Case]:
    cases: list[Case] = []
    for folder in datasets:
        dataset = load_dataset(folder)
        home = stores / dataset.name / "newsrag"
        assistant = Assistant(Settings(home=home))
        sources = dataset_sources(dataset, stores / "data", distractors=True)
        assistant.ingest(sources)
        for i, gold in enumerate(dataset.questions, 1):
            as_of = parse_date(gold.question_date)
            got = assistant.retrieve(gold.question, RETRIEVE, Filters(as_of=as_of))
            about = gold.article_ids or [gold.context_article_id or gold.id]
            name, group = dataset.name, about[0]
            if gold.unanswerable:
                cases.append(Case(gold, got.top(k), name, group, False))
                continue
            cases.append(Case(gold, got.top(k), name, group, True))
            kept = [h for h in got.hits if h.chunk.article_id not in gold.article_ids]
            removed = Retrieval(got.question, got.vector, kept[:k])
            cases.append(Case(gold, removed, name, group, False, synthetic=True))
            print(f"\r{dataset.name}: {i}/{len(dataset.questions)}", end="", file=sys.stderr)
        print(file=sys.stderr)
    return cases


def fit_logistic(
    x: np.ndarray, y: np.ndarray, names: tuple[str, ...], c: float, balanced: bool = True
) -> Logistic:
    from sklearn.linear_model import LogisticRegression

    weight = "balanced" if balanced else None
    model = LogisticRegression(C=c, max_iter=2000, class_weight=weight).fit(x, y)
    weights = {n: round(float(w), 4) for n, w in zip(names, model.coef_[0], strict=True)}
    return Logistic(weights, round(float(model.intercept_[0]), 4))


def out_of_fold(
    x: np.ndarray,
    y: np.ndarray,
    groups: np.ndarray,
    names: tuple[str, ...],
    c: float,
    balanced: bool = True,
) -> np.ndarray:
    from sklearn.model_selection import GroupKFold

    scores = np.zeros(len(y))
    for train, test in GroupKFold(n_splits=5).split(x, y, groups):
        model = fit_logistic(x[train], y[train], names, c, balanced)
        scores[test] = [model.logit(dict(zip(names, row, strict=True))) for row in x[test]]
    return 1 / (1 + np.exp(-scores))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.fit", description=__doc__)
    parser.add_argument("datasets", nargs="+", type=Path)
    parser.add_argument("--stores", type=Path, help="keep the stores here (default: temp)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--max-false-refusals", type=float, default=0.12)
    parser.add_argument("--k", type=int, default=5)
    parser.add_argument(
        "--short-precision",
        type=float,
        default=0.55,
        help="show a short answer when the span model's out-of-fold precision there is at "
        "least this",
    )
    parser.add_argument(
        "--sentence-from",
        nargs="+",
        metavar="NAME",
        help="fit the sentence ranker, the cheap model and the span model on these datasets "
        "only (by name; default: all); the answerability model and the threshold always use "
        "every dataset",
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="newsrag-fit-") as tmp:
        stores = args.stores or Path(tmp)
        cases = collect(args.datasets, stores, args.k)
        embedder = Assistant(Settings(home=stores / "scratch")).pipeline.embedder
        result = fit(
            cases, embedder, args.max_false_refusals, args.sentence_from, args.short_precision
        )
    args.out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(result["report"], indent=1))
    return 0


def fit(
    cases: list[Case],
    embedder: object,
    max_false_refusals: float,
    sentence_from: list[str] | None = None,
    short_precision: float = 0.55,
) -> dict:
    from rag.query.nlp import Nlp

    nlp = Nlp()
    start = ReaderModel.load()
    everything = replace(start, deep=10_000)  # every sentence gets the deep features
    # 1. the sentence model
    rows, labels, groups = [], [], []
    for case in cases:
        if not _sentence_case(case, sentence_from):
            continue
        reading = Reader(embedder, nlp, everything).read(case.retrieval)  # type: ignore[arg-type]
        for e in reading.ranked:
            rows.append([e.features.get(f, 0.0) for f in SENTENCE_FEATURES])
            labels.append(contains_answer(e.candidate.text, case.gold.answers))
            groups.append(case.group)
    x, y = np.array(rows), np.array(labels, dtype=int)
    sentence = fit_logistic(x, y, SENTENCE_FEATURES, c=1.0)
    columns = [SENTENCE_FEATURES.index(f) for f in CHEAP_FEATURES]
    cheap = fit_logistic(x[:, columns], y, CHEAP_FEATURES, c=1.0)
    # 2. the span model over the readings with the fitted sentence model
    model = ReaderModel(sentence, start.answerable, start.threshold, start.deep, cheap)
    learn = [c for c in cases if _sentence_case(c, sentence_from)]
    span, span_threshold, span_report = fit_spans(learn, embedder, nlp, model, short_precision)
    # 3. the answerability model over readings with the fitted sentence and span models
    model = replace(model, span=span, span_threshold=span_threshold)
    reader = Reader(embedder, nlp, model)  # type: ignore[arg-type]
    q_rows, q_labels, q_groups, synthetic = [], [], [], []
    for case in cases:
        synthetic.append(case.synthetic)
        reading = reader.read(case.retrieval)
        q_rows.append([reading.features.get(f, 0.0) for f in QUESTION_FEATURES])
        q_labels.append(case.answerable)
        q_groups.append(case.group)
    qx, qy, qg = np.array(q_rows), np.array(q_labels, dtype=int), np.array(q_groups)
    answerable = fit_logistic(qx, qy, QUESTION_FEATURES, c=1.0)
    oof = out_of_fold(qx, qy, qg, QUESTION_FEATURES, c=1.0)
    real = ~np.array(synthetic)
    curve = refusal_curve(oof[real], qy[real])  # the sets' own unanswerables only
    curve_all = refusal_curve(oof, qy)
    point = max(
        (p for p in curve if p["false_refusals"] <= max_false_refusals),
        key=lambda p: p["threshold"],
        default=curve[0],
    )
    return {
        "note": "fitted by python -m eval.fit; see the report below",
        "cheap": {"weights": cheap.weights, "bias": cheap.bias},
        "sentence": {"weights": sentence.weights, "bias": sentence.bias},
        "answerable": {"weights": answerable.weights, "bias": answerable.bias},
        "threshold": point["threshold"],
        "deep": start.deep,
        "span": {"weights": span.weights, "bias": span.bias},
        "span_threshold": span_threshold,
        "report": {
            "datasets": sorted({c.dataset for c in cases}),
            "sentence_from": sorted(sentence_from) if sentence_from else "all",
            "questions": len(cases),
            "answerable": int(qy.sum()),
            "sentences": len(y),
            "sentence_positives": int(y.sum()),
            "curve_out_of_fold": curve,
            "curve_out_of_fold_with_gold_removed": curve_all,
            "unanswerable_in_sets": int((qy[real] == 0).sum()),
            "operating_point": point,
            "short_answers_out_of_fold": span_report,
        },
    }


def _sentence_case(case: Case, sentence_from: list[str] | None) -> bool:
    """An answerable question whose answer its articles spell out, from the sets to learn
    sentences (and short answers) from."""
    chosen = not sentence_from or case.dataset in sentence_from
    return case.answerable and case.gold.answer_in_text and chosen


def fit_spans(
    cases: list[Case], embedder: object, nlp: object, model: ReaderModel, precision: float
) -> tuple[Logistic, float, dict[str, object]]:
    """The span model, its threshold and the out-of-fold curve of short answers shown (share of
    the questions with a candidate) and right (share of those shown). Only answerable questions
    whose text holds the answer count here, and the readings come from a sentence model fitted
    on the same questions: the curve is optimistic about short answers on unseen text and says
    nothing of those shown on unanswerable questions (``newsrag eval`` reports both)."""
    reader = Reader(embedder, nlp, model)  # type: ignore[arg-type]
    rows, labels, groups, question = [], [], [], []
    for i, case in enumerate(cases):
        for span in reader.read(case.retrieval).spans:
            rows.append([span.features[f] for f in SPAN_FEATURES])
            labels.append(contains_answer(span.text, case.gold.answers))
            groups.append(case.group)
            question.append(i)
    x, y, g, q = np.array(rows), np.array(labels, dtype=int), np.array(groups), np.array(question)
    if len(set(y.tolist())) < 2 or len(set(groups)) < 5:
        raise ValueError(
            f"short answers: {len(y)} candidates ({int(y.sum())} right) from {len(set(groups))} "
            "articles; the span model needs right and wrong ones from at least 5 articles"
        )
    span = fit_logistic(x, y, SPAN_FEATURES, c=1.0, balanced=False)
    oof = out_of_fold(x, y, g, SPAN_FEATURES, c=1.0, balanced=False)
    picks = [max(np.flatnonzero(q == i), key=lambda j: oof[j]) for i in np.unique(q)]
    curve, chosen = [], None
    for t in np.round(np.arange(0.0, 0.91, 0.05), 2):
        shown = [j for j in picks if oof[j] >= t]
        right = sum(int(y[j]) for j in shown) / max(1, len(shown))
        if chosen is None and shown and right >= precision:
            chosen = float(t)
        curve.append(
            {"threshold": float(t), "shown": round(len(shown) / len(picks), 3),
             "precision": round(right, 3)}
        )  # fmt: skip
    if chosen is None:
        print(f"short answers: no threshold reaches precision {precision}", file=sys.stderr)
    point = {"reached": chosen is not None, "threshold": chosen if chosen is not None else 0.9}
    return span, float(point["threshold"]), {"curve": curve, "operating_point": point}


def refusal_curve(p: np.ndarray, answerable: np.ndarray) -> list[dict[str, float]]:
    """Unanswerables refused and false refusals (answerable refused) at each threshold."""
    out = []
    for t in np.round(np.arange(0.05, 0.96, 0.05), 2):
        refused = p < t
        out.append(
            {
                "threshold": float(t),
                "unanswerable_refused": round(float(refused[answerable == 0].mean()), 3),
                "false_refusals": round(float(refused[answerable == 1].mean()), 3),
            }
        )
    return out


if __name__ == "__main__":
    sys.exit(main())
