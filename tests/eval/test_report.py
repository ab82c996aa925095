from pathlib import Path

import pytest

from eval.report import check, compare, load_thresholds, to_markdown
from rag.core.errors import InputError


def _report(correct: float, invalid: int = 0) -> dict:
    metrics = {
        "questions": 2,
        "correct": correct,
        "contains_in_text": 0.5,
        "f1": 0.25,
        "em": 0.0,
        "mc_accuracy": None,
        "invalid_markers": invalid,
        "bad_offsets": 0,
        "false_refusals": 0.0,
        "latency_p50_ms": 10.0,
    }
    rows = [
        {
            "dataset": "d",
            "pipeline": "newsrag",
            "id": "q1",
            "question": "Who?",
            "gold": ["Ann"],
            "unanswerable": False,
            "answer": "Bob did it. [1]",
            "scores": {"correct": False, "f1": 0.0},
        },
        {
            "dataset": "d",
            "pipeline": "newsrag",
            "id": "q2",
            "question": "When?",
            "gold": [],
            "unanswerable": True,
            "answer": "Monday. [1]",
            "scores": {"correct": False, "f1": 0.0},
        },
        {
            "dataset": "d",
            "pipeline": "newsrag",
            "id": "q3",
            "question": "Where?",
            "gold": ["Rome"],
            "unanswerable": False,
            "answer": "In Rome. [1]",
            "scores": {"correct": True, "f1": 0.7},
        },
    ]
    return {
        "summary": {"d": {"newsrag": metrics}},
        "timings": {"d": {"newsrag": {"ingest_s": 1.0, "ask_s": 2.0}}},
        "rows": rows,
    }


def test_markdown_has_the_table_and_worst_questions_first() -> None:
    md = to_markdown(_report(0.5))
    lines = md.splitlines()
    assert lines[0].startswith("| dataset | pipeline | n | correct | ans∈text | F1 | EM | MC acc")
    assert lines[2].startswith("| d | newsrag | 2 | 0.500 | 0.500 | 0.250 | 0.000 | - |")
    assert "| d | newsrag | 1.0 | 2.0 |" in lines
    worst = [line for line in lines if line.startswith("- ")]
    assert worst == [
        "- d/newsrag q1: Who? — gold: Ann — got: Bob did it. [1]",
        "- d/newsrag q2: When? — gold: (unanswerable) — got: Monday. [1]",
    ]


def test_compare_flags_drops_beyond_noise_and_any_new_invalid_marker() -> None:
    deltas = {d["metric"]: d for d in compare(_report(0.45, invalid=1), _report(0.5))}
    assert deltas["correct"]["delta"] == -0.05 and deltas["correct"]["regression"]
    assert deltas["invalid_markers"]["regression"]
    assert not deltas["f1"]["regression"]
    assert "mc_accuracy" not in deltas and "latency_p50_ms" not in deltas
    tiny = {d["metric"]: d for d in compare(_report(0.495), _report(0.5))}
    assert not tiny["correct"]["regression"]


def test_check_floors_ceilings_and_missing(tmp_path: Path) -> None:
    path = tmp_path / "t.toml"
    path.write_text(
        "[d.newsrag]\ncorrect = 0.6\ninvalid_markers_max = 0\nmc_accuracy = 0.1\n"
        "[d.baseline]\ncorrect = 0.1\n[d.newsrag2]\nnope = 1\n"
    )
    summary = _report(0.5, invalid=2)["summary"]
    summary["d"]["newsrag2"] = {"correct": 1.0}
    assert check(summary, load_thresholds(path)) == [
        "d/newsrag: correct = 0.5 is below the floor 0.6",
        "d/newsrag: invalid_markers = 2 is above the maximum 0",
        "d/newsrag: mc_accuracy was not measured (no question it applies to)",
        "d/baseline: not in this report (run it or drop the threshold)",
        "d/newsrag2: unknown metric 'nope'",
    ]
    assert check(summary, {"d": {"newsrag": {"correct": 0.5}}}) == []


def test_bad_thresholds_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "t.toml"
    path.write_text("[d.newsrag\n")
    with pytest.raises(InputError, match=r"t\.toml: cannot read thresholds"):
        load_thresholds(path)


def test_realtimeqa_and_bench_skip_cleanly_without_the_shared_data(capsys, tmp_path: Path) -> None:
    from eval import realtimeqa
    from eval.bench import command as bench

    assert realtimeqa.main(["--data", str(tmp_path / "absent")]) == 0
    assert capsys.readouterr().out.startswith(f"skipped: {tmp_path / 'absent'} not found")
    assert bench.main(["--data", str(tmp_path / "absent")]) == 0
    assert "not found; nothing to benchmark" in capsys.readouterr().out
