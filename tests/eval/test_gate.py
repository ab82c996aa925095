"""The CI quality gate: the offline pipeline meets eval/thresholds.toml on the sets the reader
is fitted on (seed, quail-news, their rewordings, fresh, fresh2) and on the blind ones it never
saw (fresh3 to fresh12), so a gain on the dev sets that does not carry over fails CI."""

from pathlib import Path

from eval.harness import run
from eval.report import check, load_thresholds
from rag.core.embeddings import LocalMiniLM
from rag.core.settings import Settings
from tests.conftest import REPO

NAMES = (
    "seed",
    "quail-news",
    "seed-reworded",
    "quail-news-reworded",
    "fresh",
    "fresh2",
    "fresh3",
    "fresh4",
    "fresh5",
    "fresh6",
    "fresh7",
    "fresh8",
    "fresh9",
    "fresh10",
    "fresh11",
    "fresh12",
)
DATASETS = [REPO / "eval" / "datasets" / name for name in NAMES]


def test_dev_sets_meet_the_thresholds(minilm: LocalMiniLM, tmp_path: Path) -> None:
    report = run(DATASETS, Settings(home=tmp_path / "unused"), embeddings=minilm)
    thresholds = load_thresholds(REPO / "eval" / "thresholds.toml")
    assert set(thresholds) == set(NAMES)
    assert check(report.summary, thresholds) == []
    quail = report.summary["quail-news"]["newsrag"]
    assert (quail["questions"], quail["answerable"], quail["unanswerable"]) == (120, 80, 40)


# reports that differ: dev sets (conflict2-9 were blind until their misses were looked at; each
# was scored blind with the code before and after the work it was written during)
NEWS = tuple(f"conflict{n}" for n in range(1, 13))  # conflict12: scored first 2026-12-06
TIMELINES = ("timeline1", "timeline2")  # dated events: dev, and blind


def test_news_sets_meet_their_thresholds(minilm: LocalMiniLM, tmp_path: Path) -> None:
    from eval.timelines import run_timelines

    settings = Settings(home=tmp_path / "unused")
    report = run([REPO / "eval" / "datasets" / n for n in NEWS], settings, embeddings=minilm)
    stories, _ = run_timelines([REPO / "eval" / "datasets" / n for n in TIMELINES], settings)
    thresholds = load_thresholds(REPO / "eval" / "news_thresholds.toml")
    assert set(thresholds) == set(NEWS) | set(TIMELINES)
    assert check(report.summary | stories, thresholds) == []
