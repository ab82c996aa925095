from dataclasses import dataclass, field

from eval.summary import summarize


@dataclass
class R:
    dataset: str
    pipeline: str
    unanswerable: bool
    refused: bool
    scores: dict
    latency_ms: float
    question_type: str = ""
    answer_in_text: bool = True
    usage: dict = field(default_factory=dict)
    cost_usd: float | None = None
    unsupported: int = 0
    support: float = 0.0
    differ: bool | None = None


def _scores(correct: bool, contains: bool, cites: int, good: int, **extra) -> dict:
    base = {
        "correct": correct,
        "contains": contains,
        "f1": 0.5 if contains else 0.0,
        "em": False,
        "citations": cites,
        "citations_correct": good,
        "has_correct_citation": good > 0,
        "invalid_markers": 0,
        "bad_offsets": 0,
    }
    for k in (1, 3, 5, 10):
        base[f"answer_in_top{k}"] = k >= 3
        base[f"recall@{k}"] = 1.0 if k >= 3 else 0.0
    base["mrr"] = 1 / 3
    return base | extra


def test_rates_over_the_right_questions() -> None:
    rows = [
        R("d", "p", False, False, _scores(True, True, 2, 1, mc_correct=True), 10.0, "who"),
        R("d", "p", False, True, _scores(False, False, 0, 0), 30.0, "who"),
        R("d", "p", True, True, _scores(True, False, 0, 0), 20.0),
        R("d", "p", True, False, _scores(False, False, 1, 0, mc_correct=False), 40.0),
    ]
    s = summarize(rows)
    m = s["d"]["p"]
    assert (m["questions"], m["answerable"], m["unanswerable"]) == (4, 2, 2)
    assert m["correct"] == 0.5 and m["contains"] == 0.5 and m["f1"] == 0.25
    assert m["mc_accuracy"] == 0.5
    assert m["citation_precision"] == round(1 / 3, 4)  # 1 good of 3 citations
    assert m["citation_recall"] == 1.0  # the one answered answerable has a good citation
    assert m["unanswerable_refused"] == 0.5 and m["false_refusals"] == 0.5
    assert m["answer_in_top1"] == 0.0 and m["answer_in_top3"] == 1.0
    assert m["mrr"] == round(1 / 3, 4)
    assert m["latency_p50_ms"] == 25.0 and m["latency_p95_ms"] == 38.5
    assert m["cost_usd"] is None and m["unsupported_claims"] == 0  # offline: nothing to price
    assert set(s) == {"d", "overall", "d:who"}
    assert s["d:who"]["p"]["questions"] == 2 and s["d:who"]["p"]["unanswerable_refused"] is None


def test_tokens_cost_and_unsupported_add_up() -> None:
    rows = [
        R(
            "d",
            "p",
            False,
            False,
            _scores(True, True, 1, 1),
            10.0,
            usage={"prompt_tokens": 900, "completion_tokens": 30},
            cost_usd=0.0004,
            unsupported=1,
        ),
        R(
            "d",
            "p",
            False,
            False,
            _scores(True, True, 1, 1),
            10.0,
            usage={"prompt_tokens": 100, "completion_tokens": 10},
            cost_usd=0.0002,
            unsupported=2,
        ),
    ]
    m = summarize(rows)["d"]["p"]
    assert (m["prompt_tokens"], m["completion_tokens"]) == (1000, 40)
    assert m["cost_usd"] == 0.0006 and m["unsupported_claims"] == 3


def test_kept_stores_make_the_second_run_embed_nothing(tmp_path) -> None:
    from eval.harness import run
    from rag.core.settings import Settings
    from tests.conftest import SEED
    from tests.fakes import HashingEmbedder

    class Recording(HashingEmbedder):
        texts: list[str] = []

        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            self.texts.extend(texts)
            return super().embed_documents(texts)

    emb = Recording()
    settings = Settings(home=tmp_path / "x", min_support=0.2)
    first = run([SEED], settings, embeddings=emb, stores=tmp_path / "stores")
    # chunk texts span lines (headline + paragraphs); questions and sentences never do
    assert sum("\n" in t for t in emb.texts) == 6  # the seed article's six chunks
    emb.texts.clear()
    second = run([SEED], settings, embeddings=emb, stores=tmp_path / "stores")
    assert emb.texts and not any("\n" in t for t in emb.texts)
    assert (tmp_path / "stores" / "seed" / "newsrag" / "chroma").is_dir()
    for key in ("correct", "contains", "mrr", "citation_precision"):
        assert first.summary["seed"]["newsrag"][key] == second.summary["seed"]["newsrag"][key]


def test_short_answers_are_rated_over_every_question_that_shows_one() -> None:
    def row(unanswerable: bool, shown: bool, right: bool, first: bool) -> R:
        extra = {"short_shown": shown, "short_right": right, "first_quote": first}
        return R("d", "p", unanswerable, False, _scores(False, False, 1, 0, **extra), 1.0)

    rows = [
        row(False, True, True, True),
        row(False, True, False, False),
        row(False, False, False, True),
        row(True, True, False, False),  # an answered unanswerable question: a wrong one shown
    ]
    m = summarize(rows)["d"]["p"]
    assert m["short_shown"] == round(2 / 3, 4)  # of the answerable questions the text answers
    assert m["short_precision"] == round(1 / 3, 4)  # of every short answer shown
    assert m["first_quote_in_text"] == round(2 / 3, 4)


def test_a_quoted_answer_from_any_article_and_retrieval_are_rated_over_in_text_questions() -> None:
    def row(correct: bool, contains: bool, quoted: bool, top5: bool, in_text: bool = True) -> R:
        scores = _scores(correct, contains, 1, int(correct), quoted=quoted, answer_in_top5=top5)
        return R("d", "p", False, False, scores, 1.0, answer_in_text=in_text)

    rows = [
        row(True, True, True, True),  # right, from a gold article
        row(False, True, True, True),  # right, quoting another article that reports it
        row(False, True, False, False),  # the answer named, but no quote holds it
        row(False, False, False, True),  # retrieved, not found
        row(True, True, True, False, in_text=False),  # the text does not give it: not counted
    ]
    m = summarize(rows)["d"]["p"]
    assert m["correct_in_text"] == 0.25
    assert m["quoted_in_text"] == 0.5
    assert m["answer_in_top5_in_text"] == 0.75
    assert m["answer_in_top5"] == 0.6  # over every answerable question


def test_the_abstention_auc_ranks_answerable_over_unanswerable_confidence() -> None:
    def row(unanswerable: bool, support: float) -> R:
        return R("d", "p", unanswerable, False, _scores(True, True, 1, 1), 1.0, support=support)

    rows = [row(False, 0.9), row(False, 0.6), row(True, 0.6), row(True, 0.1)]
    assert summarize(rows)["d"]["p"]["abstention_auc"] == 0.875  # 3 wins and a tie of 4 pairs
    only = summarize([row(False, 0.9)])["d"]["p"]
    assert only["abstention_auc"] is None  # no unanswerable question: nothing to rank
