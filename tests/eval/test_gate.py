"""The CI quality gate: the offline pipeline on seed + quail-news meets eval/thresholds.toml."""

from pathlib import Path

from eval.harness import run
from eval.report import check, load_thresholds
from rag.core.embeddings import LocalMiniLM
from rag.core.settings import Settings
from tests.conftest import REPO

DATASETS = [REPO / "eval" / "datasets" / "seed", REPO / "eval" / "datasets" / "quail-news"]


def test_dev_sets_meet_the_thresholds(minilm: LocalMiniLM, tmp_path: Path) -> None:
    report = run(DATASETS, Settings(home=tmp_path / "unused"), embeddings=minilm)
    thresholds = load_thresholds(REPO / "eval" / "thresholds.toml")
    assert set(thresholds) == {"seed", "quail-news"}
    assert check(report.summary, thresholds) == []
    quail = report.summary["quail-news"]["newsrag"]
    assert (quail["questions"], quail["answerable"], quail["unanswerable"]) == (120, 80, 40)
