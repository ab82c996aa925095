"""Put trained readers together as one: ``python -m train.ensemble DIR... --out rag/models``.

Each DIR holds a reader trained by ``python -m train --out DIR`` (same input contract). The
first DIR's file keeps the name ``reader-minilm-int8.onnx``; the others are copied beside it
as ``reader-minilm-int8-2.onnx``, ... and listed in the card's ``members``: the product runs
every file and averages their logits (rag.core.reader_net). The ensemble's Platt scaling and
short-answer line are fitted again on the held-out training articles of ``--data`` (never
trained on by a member trained on the same folders), then the product calibration runs as
after ``python -m train``; the refusal line is then chosen on the dev sets with
``python -m train.operating_point``.

Usage: ``python -m train.ensemble A B --data train/data train/wave4 --out rag/models``
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

from rag.core.reader_net import CARD, ReaderNet, models_dir
from train.__main__ import MODEL_FILE, with_tokenizer
from train.calibrate import calibrate_card
from train.data import DATA, Example, examples, load_sets, split
from train.metrics import calibrate, report


def member_file(i: int) -> str:
    """The file name of the ``i``-th member (0: the card's own file)."""
    return MODEL_FILE if i == 0 else MODEL_FILE.replace(".onnx", f"-{i + 1}.onnx")


def assemble(members: list[Path], out: Path) -> Path:
    """Copy the members' files into ``out`` and write a card naming them all (the first
    member's contract and training record, every member's training under ``ensemble``)."""
    out.mkdir(parents=True, exist_ok=True)
    cards = [json.loads((m / CARD).read_text(encoding="utf-8")) for m in members]
    for i, member in enumerate(members):
        target = out / member_file(i)
        if (member / MODEL_FILE).resolve() != target.resolve():
            shutil.copyfile(member / MODEL_FILE, target)
    card = dict(cards[0])
    card["members"] = [member_file(i) for i in range(1, len(members))]
    card["ensemble"] = [c.get("training", {}) for c in cards]
    (out / CARD).write_text(json.dumps(card, indent=1) + "\n", encoding="utf-8")
    with_tokenizer(out)
    return out / CARD


def readings(card: Path, data: list[Example]) -> list[tuple[float, int, int, float]]:
    """(answer logit, span start, span end, span score) per example, as the product reads."""
    net = ReaderNet(card)
    out = []
    for ex in data:
        (r,) = net.read(ex.question, [ex.passage])
        out.append((r.answer, r.start, r.end, r.span))
    return out


def refit(card: Path, roots: list[Path], share: float, seed: int) -> dict:
    """The ensemble's Platt scaling and lines on the held-out training articles, written into
    ``card`` with their validation report."""
    _, held = split(load_sets(*roots), share)
    val = examples(held, seed + 1)
    results = readings(card, val)
    cal = calibrate(val, results)
    content = json.loads(card.read_text(encoding="utf-8"))
    content |= cal | {"validation": report(val, results, cal)}
    card.write_text(json.dumps(content, indent=1) + "\n", encoding="utf-8")
    return content


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m train.ensemble", description=__doc__)
    parser.add_argument("members", type=Path, nargs="+", help="folders of trained readers")
    parser.add_argument("--data", type=Path, nargs="+", default=[DATA])
    parser.add_argument("--out", type=Path, default=models_dir())
    parser.add_argument("--val-share", type=float, default=0.12)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    card = assemble(args.members, args.out)
    content = refit(card, args.data, args.val_share, args.seed)
    content |= calibrate_card(card, args.data, args.val_share)
    print(json.dumps({k: v for k, v in content.items() if k != "calibration"}, indent=1))


if __name__ == "__main__":
    main()
