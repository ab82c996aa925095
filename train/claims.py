"""Train the claim checker, export it as int8 ONNX and write its card: ``python -m train.claims``.

Needs the ``train`` extra (torch 2.13.0 CPU, transformers, onnx). all-MiniLM-L6-v2's weights
with a support head over the [CLS] and mean-pooled states, fine-tuned on the pairs of
train/claim_data.py (the claims written for the training articles plus rule-made twins), seeded
and single-process. 12% of the articles (salted hash) are held out: the support logit is
Platt-scaled on their pairs, and the line is drawn as the product reads (each written claim
against every window of its article, the best counting): the highest probability that rejects
at most a quarter of the held-out true claims. Writes rag/models/claim-minilm-int8.onnx and
rag/models/claim_net.json (rag/models/CLAIMS.md is the hand-written card). About 25 minutes
on 2 cores.

Usage: ``python -m train.claims [--epochs 2] [--seed 13] [--out rag/models] [--calibrate-only]``
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

from rag.core.claim_net import (
    CARD,
    FORMAT,
    MAX_TOKENS,
    OUTPUTS,
    ClaimNet,
    claim_tokenizer,
    encode_pairs,
)
from rag.core.reader_net import INPUTS, models_dir
from rag.query.llm.nlp import Nlp
from train.__main__ import TOKENIZER, encoder_dir
from train.claim_data import (
    CLAIMS,
    DATA,
    ClaimPair,
    claim_pairs,
    held_out,
    load_articles,
    load_claims,
    windows,
)
from train.metrics import platt, roc_auc

MODEL_FILE = "claim-minilm-int8.onnx"
MAX_TRUE_REJECTED = 0.04  # of the held-out pairs: the pair line
PRODUCT_TRUE_REJECTED = 0.25  # of the held-out written claims through the product: its line


def build_model() -> object:
    import torch
    from torch import nn
    from transformers import AutoModel

    class SupportModule(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = AutoModel.from_pretrained(str(encoder_dir()))
            self.encoder.embeddings.word_embeddings.weight.requires_grad_(False)
            hidden = self.encoder.config.hidden_size
            self.head = nn.Sequential(
                nn.Linear(2 * hidden, hidden), nn.Tanh(), nn.Linear(hidden, 1)
            )

        def forward(
            self,
            input_ids: torch.Tensor,
            attention_mask: torch.Tensor,
            token_type_ids: torch.Tensor,
        ) -> torch.Tensor:
            states = self.encoder(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            weights = attention_mask.unsqueeze(-1).to(states.dtype)
            mean = (states * weights).sum(1) / weights.sum(1).clamp(min=1.0)
            return self.head(torch.cat([states[:, 0], mean], dim=-1)).squeeze(-1)

    return SupportModule()


def export(model: object, fp32: Path, int8: Path) -> None:
    import torch

    from train.model import quantize

    sample = torch.ones((2, 16), dtype=torch.long)
    axes = {name: {0: "batch", 1: "tokens"} for name in INPUTS} | {OUTPUTS[0]: {0: "batch"}}
    with torch.no_grad():
        torch.onnx.export(
            model,
            (sample, sample, torch.zeros_like(sample)),
            str(fp32),
            input_names=list(INPUTS),
            output_names=list(OUTPUTS),
            dynamic_axes=axes,
            opset_version=17,
            dynamo=False,
        )
    quantize(fp32, int8)
    fp32.unlink()


def onnx_logits(path: Path, tokenizer: object, pairs: list[ClaimPair]) -> np.ndarray:
    import onnxruntime

    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    out = []
    for lo in range(0, len(pairs), 32):
        batch = pairs[lo : lo + 32]
        ids, mask, types = encode_pairs(tokenizer, [(p.claim, p.evidence) for p in batch])
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
        out += [float(x) for x in session.run(list(OUTPUTS), feeds)[0]]
    return np.array(out)


def line_for(probs: np.ndarray, labels: np.ndarray, most: float = MAX_TRUE_REJECTED) -> float:
    """The highest probability line that rejects at most ``most`` of the true claims."""
    best = 0.02
    for t in np.linspace(0.02, 0.98, 97):
        if (probs[labels] < t).mean() <= most:
            best = float(t)
    return round(best, 3)


def validation(pairs: list[ClaimPair], probs: np.ndarray, line: float) -> dict:
    labels = np.array([p.supported for p in pairs])
    caught: dict[str, list[bool]] = defaultdict(list)
    for p, prob in zip(pairs, probs, strict=True):
        if not p.supported:
            caught[p.kind].append(bool(prob < line))
    return {
        "pairs": len(pairs),
        "auc": round(roc_auc(probs, labels) or 0.0, 3),
        "true_rejected": round(float((probs[labels] < line).mean()), 3),
        "swaps_caught": round(float((probs[~labels] < line).mean()), 3),
        "caught_by_kind": {k: round(float(np.mean(v)), 3) for k, v in sorted(caught.items())},
    }


def train(args: argparse.Namespace) -> dict:
    import torch

    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    rng = random.Random(args.seed)
    articles, claims = load_articles(args.data), load_claims(args.claims)
    pairs = claim_pairs(articles, claims, Nlp(), args.seed, copies=args.copies)
    train_pairs = [p for p in pairs if not held_out(p.article_id, args.val_share)]
    # the written claims are the realistic ones: seen ``--written-repeat`` times per pass
    train_pairs += [p for p in train_pairs if p.kind == "written"] * (args.written_repeat - 1)
    val_pairs = [p for p in pairs if held_out(p.article_id, args.val_share)]
    kinds: dict[str, int] = defaultdict(int)
    for p in train_pairs:
        kinds[f"{p.kind}:{'supported' if p.supported else 'not'}"] += 1
    print(f"train {len(train_pairs)} pairs {dict(kinds)}; validation {len(val_pairs)}", flush=True)
    tokenizer = claim_tokenizer(models_dir() / TOKENIZER)
    model = build_model()
    model.train()  # type: ignore[attr-defined]
    params = [p for p in model.parameters() if p.requires_grad]  # type: ignore[attr-defined]
    optimizer = torch.optim.AdamW(params, lr=args.lr, weight_decay=0.01)
    per_epoch = (len(train_pairs) + args.batch - 1) // args.batch
    steps = round(args.epochs * per_epoch)
    warm = max(1, steps // 16)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min((s + 1) / warm, max(0.0, (steps - s) / max(1, steps - warm)))
    )
    began, step, total = time.monotonic(), 0, 0.0
    while step < steps:
        order = list(range(len(train_pairs)))
        rng.shuffle(order)
        for lo in range(0, len(order), args.batch):
            if step >= steps:
                break
            batch = [train_pairs[i] for i in order[lo : lo + args.batch]]
            ids, mask, types = encode_pairs(tokenizer, [(p.claim, p.evidence) for p in batch])
            logits = model(torch.from_numpy(ids), torch.from_numpy(mask), torch.from_numpy(types))
            target = torch.tensor([1.0 if p.supported else 0.0 for p in batch])
            loss = torch.nn.functional.binary_cross_entropy_with_logits(logits, target)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()
            total += float(loss.detach())
            step += 1
            if step % 50 == 0:
                rate = step / (time.monotonic() - began)
                print(
                    f"step {step}/{steps} loss {total / 50:.3f} ({rate:.2f} steps/s, "
                    f"ETA {(steps - step) / rate / 60:.0f} min)",
                    flush=True,
                )
                total = 0.0
    minutes = (time.monotonic() - began) / 60
    model.eval()  # type: ignore[attr-defined]
    out = Path(args.out)
    export(model, out / "claim-fp32.onnx", out / MODEL_FILE)
    logits = onnx_logits(out / MODEL_FILE, tokenizer, val_pairs)
    labels = np.array([p.supported for p in val_pairs])
    a, b = platt(logits, labels)
    probs = 1 / (1 + np.exp(-np.clip(a * logits + b, -40, 40)))
    line = line_for(probs, labels)
    card = {
        "file": MODEL_FILE,
        "format": FORMAT,
        "max_tokens": MAX_TOKENS,
        "tokenizer": TOKENIZER,
        "inputs": list(INPUTS),
        "outputs": list(OUTPUTS),
        "base": "sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0)",
        "scale": [a, b],
        "threshold": line,
        "validation": validation(val_pairs, probs, line),
        "training": {
            "command": "python -m train.claims",
            "seed": args.seed,
            "epochs": args.epochs,
            "batch": args.batch,
            "lr": args.lr,
            "pairs": len(train_pairs),
            "copies": args.copies,
            "written_repeat": args.written_repeat,
            "minutes": round(minutes, 1),
            "data": "train/data + train/claims",
        },
    }
    (out / CARD).write_text(json.dumps(card, indent=1) + "\n", encoding="utf-8")
    return card | calibrate_product(out / CARD, articles, claims, args.val_share)


def calibrate_product(
    card_path: Path, articles: dict[str, dict], claims: list[dict], share: float
) -> dict:
    """The line as the product draws it: each written claim of the held-out articles against
    every window of its article (the best one counts, as the grounder quotes it); the highest
    line that rejects at most PRODUCT_TRUE_REJECTED of the true claims. Rewrites the card."""
    net = ClaimNet(card_path)
    held = [c for c in claims if held_out(c["article_id"], share) and c["article_id"] in articles]
    best = []
    for c in held:
        text = articles[c["article_id"]]["text"]
        texts = [text[w[0] : w[2]] for w in windows(text)]
        best.append(max(net.support([(c["claim"], t) for t in texts]), default=0.0))
    probs, labels = np.array(best), np.array([bool(c["supported"]) for c in held])
    line = line_for(probs, labels, PRODUCT_TRUE_REJECTED)
    caught: dict[str, list[bool]] = defaultdict(list)
    for c, p in zip(held, probs, strict=True):
        if not c["supported"]:
            caught[c["kind"]].append(bool(p < line))
    card = json.loads(card_path.read_text(encoding="utf-8"))
    card["pair_threshold"] = card["threshold"]
    card["threshold"] = line
    card["product_validation"] = {
        "claims": len(held),
        "auc": round(roc_auc(probs, labels) or 0.0, 3),
        "true_rejected": round(float((probs[labels] < line).mean()), 3),
        "swaps_caught": round(float((probs[~labels] < line).mean()), 3),
        "caught_by_kind": {k: round(float(np.mean(v)), 3) for k, v in sorted(caught.items())},
        "curve [line, swaps caught, true rejected]": [
            [round(t, 2), round(float((probs[~labels] < t).mean()), 3),
             round(float((probs[labels] < t).mean()), 3)]
            for t in np.linspace(0.05, 0.95, 19)
        ],
    }  # fmt: skip
    card_path.write_text(json.dumps(card, indent=1) + "\n", encoding="utf-8")
    return card


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m train.claims", description=__doc__)
    parser.add_argument("--epochs", type=float, default=2.0)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--lr", type=float, default=5e-5)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--val-share", type=float, default=0.12)
    parser.add_argument("--copies", type=int, default=6, help="article sentences per article")
    parser.add_argument("--written-repeat", type=int, default=1)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--claims", type=Path, default=CLAIMS)
    parser.add_argument("--out", default=str(models_dir()))
    parser.add_argument(
        "--calibrate-only", action="store_true", help="redraw the line of the model in --out"
    )
    args = parser.parse_args()
    if args.calibrate_only:
        articles, claims = load_articles(args.data), load_claims(args.claims)
        card = calibrate_product(Path(args.out) / CARD, articles, claims, args.val_share)
    else:
        card = train(args)
    print(json.dumps(card, indent=1))


if __name__ == "__main__":
    main()
