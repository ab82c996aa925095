"""The project's reader model: a small transformer (all-MiniLM-L6-v2 fine-tuned by ``python -m
train``) that reads (question, passage) pairs and gives, for each passage, an answer logit (does
this passage answer the question: it reranks and it refuses) and start/end logits over the
passage's tokens (which words are the answer). It ships as int8 ONNX in rag/models with a JSON
card holding its format version, input contract and calibrated thresholds (a card may list more
files, ``members``, trained the same way: their logits are averaged); onnxruntime and tokenizers
run it, no torch.

Training and the product encode pairs with the same function (``encode``), so the model sees at
run time exactly what it saw in training: ``[CLS] question [SEP] header \\n passage [SEP]``, the
header being the article's title and date, the answer allowed in the passage only.

Usage: ``net = ReaderNet.load(); readings = net.read("Who ...?", [Passage(text, header)])``
"""

from __future__ import annotations

import json
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

import numpy as np

from rag.core.errors import ConfigError
from rag.core.numbers import spelled_start

FORMAT = 1  # bump when the inputs, outputs or their meaning change
MAX_TOKENS = 256  # question + header + passage, special tokens included
MAX_QUESTION_TOKENS = 64
MAX_ANSWER_TOKENS = 24
OTHER_SPANS = 4  # spans kept per passage after the best (the answer stage may want another kind)
INPUTS = ("input_ids", "attention_mask", "token_type_ids")
OUTPUTS = ("start_logits", "end_logits", "answer_logit")
CARD = "reader_net.json"


@dataclass(frozen=True, slots=True)
class Passage:
    """What the reader reads beside the question: ``text`` (where answers are found and offsets
    point) after a ``header`` (title and date, context only)."""

    text: str
    header: str = ""


@dataclass(frozen=True, slots=True)
class Encoded:
    """A batch of encoded pairs, and where each token's characters are in its passage text
    (-1 for tokens outside the passage)."""

    ids: np.ndarray
    mask: np.ndarray
    types: np.ndarray
    char_start: np.ndarray
    char_end: np.ndarray


@dataclass(frozen=True, slots=True)
class PassageReading:
    """The reader model's verdict on one passage: ``answer`` logit (higher: answers the
    question), the best answer span in the chunk's text (``start``, ``end``; -1 when none) and
    its ``span`` score (start + end logits minus the no-answer pair's); ``others``: the next
    best spans that do not overlap it or each other, as (start, end, score), best first;
    ``unfit``: taken from ``answer`` where it decides whether the question is answered, when
    none of these spans is of the kind the question asks for (rag.query.retrieval.rerank)."""

    answer: float
    start: int
    end: int
    span: float
    others: tuple[tuple[int, int, float], ...] = ()
    unfit: float = 0.0


def header_of(title: str, published: str) -> str:
    """The context line before a passage: its article's title and date."""
    return " · ".join(x for x in (title.strip(), published.strip()[:10]) if x)


def encode(tokenizer: Any, question: str, passages: list[Passage]) -> Encoded:
    """Encode (question, passage) pairs the way the model was trained: question cut to
    MAX_QUESTION_TOKENS, then header and passage cut to fit MAX_TOKENS; padded to the longest."""
    question = first_tokens(tokenizer, question, MAX_QUESTION_TOKENS)
    seconds = [f"{p.header}\n{p.text}" if p.header else p.text for p in passages]
    shifts = [len(p.header) + 1 if p.header else 0 for p in passages]
    encodings = tokenizer.encode_batch([(question, s) for s in seconds])
    n = max(len(e.ids) for e in encodings)
    shape = (len(passages), n)
    ids, mask, types = (np.zeros(shape, dtype=np.int64) for _ in range(3))
    char_start = np.full(shape, -1, dtype=np.int64)
    char_end = np.full(shape, -1, dtype=np.int64)
    for row, (e, shift) in enumerate(zip(encodings, shifts, strict=True)):
        m = len(e.ids)
        ids[row, :m], mask[row, :m], types[row, :m] = e.ids, e.attention_mask, e.type_ids
        for i, (seq, (a, b)) in enumerate(zip(e.sequence_ids, e.offsets, strict=True)):
            if seq == 1 and b > a and a >= shift:
                char_start[row, i], char_end[row, i] = a - shift, b - shift
    return Encoded(ids, mask, types, char_start, char_end)


def first_tokens(tokenizer: Any, text: str, n: int) -> str:
    """``text`` cut after its first ``n`` tokens. Encoded as the second of a pair, so the
    tokenizer's pair truncation cuts a text longer than the model's input instead of failing
    on it (a single text over MAX_TOKENS is an error under "only_second" truncation)."""
    enc = tokenizer.encode("", text, add_special_tokens=False)
    return text[: enc.offsets[n - 1][1]] if len(enc.ids) > n else text


def best_spans(
    start: np.ndarray, end: np.ndarray, enc: Encoded, max_tokens: int = MAX_ANSWER_TOKENS
) -> list[tuple[int, int, float]]:
    """Per row, the best passage span as (char start, char end, score), the score being start +
    end logits minus the [CLS] pair's (SQuAD 2.0's null score); (-1, -1, -inf) when the row has
    no passage token."""
    return [spans[0] for spans in ranked_spans(start, end, enc, 1, max_tokens)]


def ranked_spans(
    start: np.ndarray,
    end: np.ndarray,
    enc: Encoded,
    n: int,
    max_tokens: int = MAX_ANSWER_TOKENS,
) -> list[list[tuple[int, int, float]]]:
    """Per row, up to ``n`` passage spans that do not overlap, best first, each as (char start,
    char end, score) scored as in ``best_spans``; [(-1, -1, -inf)] when the row has no passage
    token."""
    out = []
    for row in range(start.shape[0]):
        valid = enc.char_start[row] >= 0
        if not valid.any():
            out.append([(-1, -1, float("-inf"))])
            continue
        s = np.where(valid, start[row], -1e9)
        e = np.where(valid, end[row], -1e9)
        size = len(s)
        # score[i, k] = s[i] + e[i + k] for the spans of 1 to max_tokens tokens from i
        ends = np.arange(size)[:, None] + np.arange(max_tokens)[None, :]
        scores = np.where(ends < size, s[:, None] + e[np.minimum(ends, size - 1)], -2e9)
        null = float(start[row, 0] + end[row, 0])
        flat = scores.ravel()
        if n == 1:
            top = np.array([int(np.argmax(flat))])
        else:  # the best 40 per span wanted, in order: enough to find n that do not overlap
            m = min(40 * n, flat.size - 1)
            top = np.argpartition(-flat, m)[:m]
            top = top[np.argsort(-flat[top])]
        taken: list[tuple[int, int]] = []
        spans = []
        for k in top:
            i, j = divmod(int(k), max_tokens)
            j += i
            if flat[k] <= -1e9 or any(i <= b and a <= j for a, b in taken):
                continue
            taken.append((i, j))
            chars = int(enc.char_start[row, i]), int(enc.char_end[row, j])
            spans.append((*chars, float(flat[k]) - null))
            if len(spans) == n:
                break
        out.append(spans)
    return out


def whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    """A span widened to whole words: the model reads word pieces and may start or end a span
    inside a word or a number ("912" of "58,912", "Okon" of "Okonedo"). A number's thousands
    separator or decimal point between digits belongs to the number, and a number spelled out
    in words is whole ("one hundred and eight", not "eight")."""
    if start < 0:
        return start, end

    def inside(i: int) -> bool:  # text[i] continues the word or number around it
        ch = text[i]
        if ch.isalnum():
            return True
        return (
            ch in ",." and 0 < i < len(text) - 1 and text[i - 1].isdigit() and text[i + 1].isdigit()
        )

    while start > 0 and inside(start - 1) and inside(start):
        start -= 1
    while end < len(text) and end > 0 and inside(end) and inside(end - 1):
        end += 1
    return spelled_start(text, start), end


@dataclass(frozen=True, slots=True)
class ReaderCard:
    """The model card's machine part: what the file expects and where to draw the lines."""

    file: str
    format: int
    max_tokens: int
    tokenizer: str
    answer_threshold: float  # answer when the best passage's probability is at least this
    span_threshold: float  # lead with the short answer when its probability is at least this
    answer_scale: tuple[float, float]  # Platt scaling of the answer logit: (a, b)
    span_scale: tuple[float, float]  # Platt scaling of the span score
    candidates: int  # passages read per question
    override_threshold: float = 0.7  # LLM mode: a model's refusal is overruled at or above this
    members: tuple[str, ...] = ()  # more ONNX files of the same contract; their logits averaged

    @classmethod
    def load(cls, path: Path) -> ReaderCard:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ConfigError(f"{path}: cannot read the reader card ({exc})") from exc
        fmt = data.get("format")
        if fmt != FORMAT or data.get("max_tokens") != MAX_TOKENS:
            raise ConfigError(
                f"{path}: reader format {fmt} with max_tokens {data.get('max_tokens')}; this "
                f"newsrag reads format {FORMAT} with {MAX_TOKENS}: retrain with `python -m train`"
                " or install the matching newsrag"
            )
        return cls(
            file=str(data["file"]),
            format=int(fmt),
            max_tokens=int(data["max_tokens"]),
            tokenizer=str(data["tokenizer"]),
            answer_threshold=float(data["answer_threshold"]),
            span_threshold=float(data["span_threshold"]),
            answer_scale=(float(data["answer_scale"][0]), float(data["answer_scale"][1])),
            span_scale=(float(data["span_scale"][0]), float(data["span_scale"][1])),
            candidates=int(data.get("candidates", 24)),
            override_threshold=float(data.get("override_threshold", 0.7)),
            members=tuple(str(m) for m in data.get("members", ())),
        )

    @property
    def files(self) -> tuple[str, ...]:
        """The model files the reader runs: the card's file, then its ensemble members."""
        return (self.file, *self.members)

    def answer_probability(self, logit: float) -> float:
        a, b = self.answer_scale
        return sigmoid(a * logit + b)

    def span_probability(self, score: float) -> float:
        a, b = self.span_scale
        return sigmoid(a * score + b)


def sigmoid(x: float) -> float:
    return float(1.0 / (1.0 + np.exp(-np.clip(x, -40.0, 40.0))))


class ReaderNet:
    """The int8 ONNX reader, loaded on first use (thread-safe)."""

    def __init__(
        self, card_path: Path | None = None, threads: int | None = None, batch_size: int = 16
    ) -> None:
        self.card_path = card_path or models_dir() / CARD
        self.card = ReaderCard.load(self.card_path)
        self.threads = threads or min(4, os.cpu_count() or 1)
        self.batch_size = batch_size  # passages per run; ``read`` says why 1 differs
        self._sessions: list[Any] = []
        self._tokenizer: Any = None
        self._lock = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None  # reads passages alone side by side

    def read(
        self, question: str, passages: list[Passage], batch_size: int | None = None
    ) -> list[PassageReading]:
        """The reader's verdict on each passage, in order; batches (``batch_size``, else the
        net's) sorted by length. The int8 model quantizes its activations with one scale per
        run, so in a batch a passage's logits move with its neighbours' (up to ~0.4 of an
        answer logit, another span in a third of passages: measured 2026-12-05); one passage
        per run reads the same whatever else was retrieved, without padding, and faster: a net
        made with ``batch_size=1`` runs each passage on one thread, ``threads`` passages side by
        side (24 passages on 2 cores, 2026-12-06: 381 ms, against 407 ms one at a time on two
        threads and 442 ms in batches of 16; the same readings to 1e-6)."""
        if not passages:
            return []
        batch_size = batch_size or self.batch_size
        self._load()
        if batch_size == 1 and self._pool is not None and len(passages) > 1:
            return list(self._pool.map(lambda p: self._run(question, [p])[0], passages))
        order = sorted(range(len(passages)), key=lambda i: len(passages[i].text))
        out: list[PassageReading | None] = [None] * len(passages)
        for lo in range(0, len(order), batch_size):
            batch = order[lo : lo + batch_size]
            for i, r in zip(batch, self._run(question, [passages[i] for i in batch]), strict=True):
                out[i] = r
        return [r for r in out if r is not None]

    def _run(self, question: str, passages: list[Passage]) -> list[PassageReading]:
        enc = encode(self._tokenizer, question, passages)
        feeds = {"input_ids": enc.ids, "attention_mask": enc.mask, "token_type_ids": enc.types}
        outputs = [session.run(list(OUTPUTS), feeds) for session in self._sessions]
        start, end, answer = (  # an ensemble's members averaged; one model's own, unchanged
            outputs[0][i] if len(outputs) == 1 else np.mean([o[i] for o in outputs], axis=0)
            for i in range(3)
        )
        out = []
        for i, spans in enumerate(ranked_spans(start, end, enc, 1 + OTHER_SPANS)):
            text = passages[i].text
            words: dict[tuple[int, int], float] = {}  # widened to whole words, some coincide
            for s, e, score in spans:
                words.setdefault(whole_words(text, s, e), score)
            (best, span), *others = words.items()
            out.append(
                PassageReading(float(answer[i]), *best, span, tuple((*w, x) for w, x in others))
            )
        return out

    def _load(self) -> None:
        with self._lock:
            if not self._sessions:
                self._load_now()

    def _load_now(self) -> None:
        folder = self.card_path.parent
        models = [folder / f for f in self.card.files]
        tokenizer_file = folder / self.card.tokenizer
        for path in (*models, tokenizer_file):
            if not path.is_file():
                raise ConfigError(f"{path}: reader file missing; reinstall newsrag")
        tokenizer = load_tokenizer(tokenizer_file)
        alone = self.batch_size == 1 and self.threads > 1  # one thread per run, runs side by side
        sessions = [open_session(model, 1 if alone else self.threads) for model in models]
        if alone:
            self._pool = ThreadPoolExecutor(self.threads, thread_name_prefix="newsrag-reader")
        for model, session in zip(models, sessions, strict=True):
            names = {o.name for o in session.get_outputs()}
            if not set(OUTPUTS) <= names or {i.name for i in session.get_inputs()} != set(INPUTS):
                raise ConfigError(
                    f"{model}: not a newsrag reader of format {FORMAT} (outputs {sorted(names)})"
                )
        self._tokenizer = tokenizer
        self._sessions = sessions


def open_session(model: Path, threads: int) -> Any:
    """An onnxruntime CPU session on ``model``, quiet, with ``threads`` intra-op threads."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.log_severity_level = 3
    return onnxruntime.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])


def models_dir() -> Path:
    return Path(str(files("rag").joinpath("models")))


def load_tokenizer(path: Path) -> Any:
    """The reader's tokenizer as training and the product use it."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(path))
    tokenizer.no_padding()
    tokenizer.enable_truncation(MAX_TOKENS, strategy="only_second")
    return tokenizer
