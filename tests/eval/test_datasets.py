import gzip
import json
from pathlib import Path

from eval.datasets import dataset_sources, load_dataset


def test_sources_include_distractors_only_when_asked(tmp_path: Path) -> None:
    ds_dir = tmp_path / "mini"
    ds_dir.mkdir()
    (ds_dir / "articles.jsonl").write_text(json.dumps({"id": "a", "text": "Gold."}) + "\n")
    (ds_dir / "qa.jsonl").write_text(json.dumps({"id": "q", "question": "What?"}) + "\n")
    with gzip.open(ds_dir / "distractors.jsonl.gz", "wt") as f:
        f.write(json.dumps({"id": "d", "text": "Other."}) + "\n")
    dataset = load_dataset(ds_dir)
    assert dataset_sources(dataset, tmp_path / "s", distractors=False) == [
        ds_dir / "articles.jsonl"
    ]
    gold, extra = dataset_sources(dataset, tmp_path / "s", distractors=True)
    assert extra == tmp_path / "s" / "mini-distractors.jsonl"
    assert json.loads(extra.read_text())["id"] == "d"
