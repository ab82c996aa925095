"""The project's claim checker: a small transformer (all-MiniLM-L6-v2 fine-tuned by ``python -m
train.claims``) that reads (claim, cited text) pairs and gives the probability that the text
supports the claim, trained on restated claims against claims with one name, number, date,
role, place, category or polarity changed. It ships as int8 ONNX in rag/models with a JSON card
(format version, input contract, calibration, threshold); onnxruntime and tokenizers run it.

Training and the product encode pairs with the same function (``encode_pairs``):
``[CLS] claim [SEP] evidence [SEP]``, the claim cut to MAX_CLAIM_TOKENS, the evidence to fit.

Usage: ``net = ClaimNet(); net.support([("Saeed leads it.", "Lt. Gen. Saeed leads ...")])``
"""

from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from rag.core.errors import ConfigError
from rag.core.reader_net import (
    INPUTS,
    first_tokens,
    load_tokenizer,
    models_dir,
    open_session,
    sigmoid,
)

FORMAT = 1  # bump when the inputs, outputs or their meaning change
MAX_TOKENS = 160  # claim + evidence, special tokens included
MAX_CLAIM_TOKENS = 64
OUTPUTS = ("support_logit",)
CARD = "claim_net.json"


@dataclass(frozen=True, slots=True)
class ClaimCard:
    """The machine part of the claim checker's card: its file, input contract and line."""

    file: str
    format: int
    max_tokens: int
    tokenizer: str
    scale: tuple[float, float]  # Platt scaling of the support logit: (a, b)
    threshold: float  # a claim is supported when its probability is at least this

    @classmethod
    def load(cls, path: Path) -> ClaimCard:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ConfigError(f"{path}: cannot read the claim checker's card ({exc})") from exc
        fmt = data.get("format") if isinstance(data, dict) else None
        if fmt != FORMAT or data.get("max_tokens") != MAX_TOKENS:
            raise ConfigError(
                f"{path}: claim checker format {fmt} with max_tokens "
                f"{data.get('max_tokens') if isinstance(data, dict) else None}; this newsrag "
                f"reads format {FORMAT} with {MAX_TOKENS}: retrain with `python -m train.claims` "
                "or install the matching newsrag"
            )
        try:
            return cls(
                file=str(data["file"]),
                format=int(fmt),
                max_tokens=int(data["max_tokens"]),
                tokenizer=str(data["tokenizer"]),
                scale=(float(data["scale"][0]), float(data["scale"][1])),
                threshold=float(data["threshold"]),
            )
        except (KeyError, IndexError, TypeError, ValueError) as exc:
            raise ConfigError(
                f"{path}: the claim checker's card lacks a valid {exc}; retrain with "
                "`python -m train.claims` or reinstall newsrag"
            ) from exc

    def probability(self, logit: float) -> float:
        a, b = self.scale
        return sigmoid(a * logit + b)


def claim_tokenizer(path: Path) -> Any:
    """The checker's tokenizer as training and the product use it: pairs cut to MAX_TOKENS."""
    tokenizer = load_tokenizer(path)
    tokenizer.enable_truncation(MAX_TOKENS, strategy="only_second")
    return tokenizer


def encode_pairs(tokenizer: Any, pairs: list[tuple[str, str]]) -> tuple[np.ndarray, ...]:
    """``(input_ids, attention_mask, token_type_ids)`` of (claim, evidence) pairs, padded to the
    longest; the claim is cut to MAX_CLAIM_TOKENS, the evidence to fit MAX_TOKENS."""
    firsts = [first_tokens(tokenizer, claim, MAX_CLAIM_TOKENS) for claim, _ in pairs]
    encodings = tokenizer.encode_batch([(c, e) for c, (_, e) in zip(firsts, pairs, strict=True)])
    n = max(len(e.ids) for e in encodings)
    ids, mask, types = (np.zeros((len(pairs), n), dtype=np.int64) for _ in range(3))
    for row, e in enumerate(encodings):
        m = len(e.ids)
        ids[row, :m], mask[row, :m], types[row, :m] = e.ids, e.attention_mask, e.type_ids
    return ids, mask, types


class ClaimNet:
    """The int8 ONNX claim checker, loaded on first use (thread-safe)."""

    def __init__(self, card_path: Path | None = None, threads: int | None = None) -> None:
        self.card_path = card_path or models_dir() / CARD
        self.card = ClaimCard.load(self.card_path)
        self.threads = threads or min(4, os.cpu_count() or 1)
        self._session: Any = None
        self._tokenizer: Any = None
        self._lock = threading.Lock()

    def support(self, pairs: list[tuple[str, str]], batch_size: int = 32) -> list[float]:
        """The calibrated probability that each evidence supports its claim, in order."""
        if not pairs:
            return []
        self._load()
        order = sorted(range(len(pairs)), key=lambda i: len(pairs[i][0]) + len(pairs[i][1]))
        out = [0.0] * len(pairs)
        for lo in range(0, len(order), batch_size):
            batch = order[lo : lo + batch_size]
            ids, mask, types = encode_pairs(self._tokenizer, [pairs[i] for i in batch])
            feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
            (logits,) = self._session.run(list(OUTPUTS), feeds)
            for i, logit in zip(batch, logits, strict=True):
                out[i] = self.card.probability(float(logit))
        return out

    def _load(self) -> None:
        with self._lock:
            if self._session is None:
                folder = self.card_path.parent
                model, tokens = folder / self.card.file, folder / self.card.tokenizer
                for path in (model, tokens):
                    if not path.is_file():
                        raise ConfigError(f"{path}: claim checker file missing; reinstall newsrag")
                session = open_session(model, self.threads)
                outputs = {o.name for o in session.get_outputs()}
                if not set(OUTPUTS) <= outputs or {i.name for i in session.get_inputs()} != set(
                    INPUTS
                ):
                    raise ConfigError(
                        f"{model}: not a newsrag claim checker of format {FORMAT} "
                        f"(outputs {sorted(outputs)})"
                    )
                self._tokenizer = claim_tokenizer(tokens)
                self._session = session
