"""Training data from several folders (``python -m train --data train/data train/wave4``) and an
ensemble card put together from trained readers (``python -m train.ensemble``)."""

import json
from pathlib import Path

from rag.core.reader_net import CARD, ReaderCard, models_dir
from train.data import load_sets
from train.ensemble import assemble, member_file


def _set(root: Path, name: str, article: str) -> None:
    folder = root / name
    folder.mkdir(parents=True)
    row = {"id": article, "title": "T", "published": "2026-01-02", "text": "Ann Lee won."}
    (folder / "articles.jsonl").write_text(json.dumps(row) + "\n")
    q = {"id": f"{article}-q", "article_id": article, "question": "Who won?", "kind": "answerable"}
    (folder / "qa.jsonl").write_text(json.dumps({**q, "answers": ["Ann Lee"]}) + "\n")


def test_sets_of_several_folders_load_in_the_order_of_their_names(tmp_path: Path) -> None:
    _set(tmp_path / "data", "t2", "a2")
    _set(tmp_path / "data", "t10", "a10")
    _set(tmp_path / "wave", "t20", "a20")
    (tmp_path / "data" / "CARD.md").write_text("not a set")
    both = load_sets(tmp_path / "wave", tmp_path / "data")
    assert [q.article_id for q in both.questions] == ["a10", "a2", "a20"]  # t10 < t2 < t20
    assert list(both.articles) == ["a10", "a2", "a20"]


def test_an_ensemble_card_names_every_member_file_beside_it(tmp_path: Path) -> None:
    card = json.loads((models_dir() / CARD).read_text())
    members = []
    for name, seed in (("a", 13), ("b", 14)):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "reader-minilm-int8.onnx").write_bytes(name.encode())
        member = {**card, "members": [], "training": {"seed": seed}}
        (folder / CARD).write_text(json.dumps(member))
        members.append(folder)
    written = assemble(members, tmp_path / "out")
    loaded = ReaderCard.load(written)
    assert loaded.files == ("reader-minilm-int8.onnx", "reader-minilm-int8-2.onnx")
    assert member_file(2) == "reader-minilm-int8-3.onnx"
    assert (tmp_path / "out" / loaded.members[0]).read_bytes() == b"b"
    assert (tmp_path / "out" / loaded.file).read_bytes() == b"a"
    assert [t["seed"] for t in json.loads(written.read_text())["ensemble"]] == [13, 14]
    assert (tmp_path / "out" / "all-MiniLM-L6-v2" / "tokenizer.json").is_file()
