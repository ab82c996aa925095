"""The reader as a torch module for training: a BERT encoder (all-MiniLM-L6-v2's weights to
start) with a span head (start/end logits per token) and an answer head over the [CLS] and
mean-pooled states. Only ``python -m train`` imports this (torch, transformers: the ``train``
extra); the product runs the exported ONNX file.
"""

from __future__ import annotations

from pathlib import Path

import torch
from torch import nn

NEG = -1e4  # logit of a token that cannot start or end an answer (padding)


class ReaderModule(nn.Module):
    def __init__(self, encoder_dir: Path) -> None:
        super().__init__()
        from transformers import AutoModel

        self.encoder = AutoModel.from_pretrained(str(encoder_dir))
        # the word embeddings stay as pretrained: half the weights, little to gain from a few
        # thousand questions, and their optimizer step costs as much as the rest of the model
        self.encoder.embeddings.word_embeddings.weight.requires_grad_(False)
        hidden = self.encoder.config.hidden_size
        self.span = nn.Linear(hidden, 2)
        self.answer = nn.Sequential(nn.Linear(2 * hidden, hidden), nn.Tanh(), nn.Linear(hidden, 1))

    def forward(
        self, input_ids: torch.Tensor, attention_mask: torch.Tensor, token_type_ids: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        states = self.encoder(
            input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
        ).last_hidden_state
        logits = self.span(states)
        pad = attention_mask == 0
        start = logits[..., 0].masked_fill(pad, NEG)
        end = logits[..., 1].masked_fill(pad, NEG)
        weights = attention_mask.unsqueeze(-1).to(states.dtype)
        mean = (states * weights).sum(1) / weights.sum(1).clamp(min=1.0)
        answer = self.answer(torch.cat([states[:, 0], mean], dim=-1)).squeeze(-1)
        return start, end, answer


def loss_of(
    outputs: tuple[torch.Tensor, torch.Tensor, torch.Tensor],
    starts: torch.Tensor,
    ends: torch.Tensor,
    answers: torch.Tensor,
    context: torch.Tensor,
) -> torch.Tensor:
    """Span cross-entropy (targets: the answer's first and last token, or [CLS] at 0 when the
    passage does not answer; only passage tokens and [CLS] can be chosen) plus the answer head's
    binary cross-entropy."""
    start, end, answer = outputs
    allowed = context.clone()
    allowed[:, 0] = True
    start = start.masked_fill(~allowed, NEG)
    end = end.masked_fill(~allowed, NEG)
    ce = nn.functional.cross_entropy
    span = (ce(start, starts) + ce(end, ends)) / 2
    bce = nn.functional.binary_cross_entropy_with_logits(answer, answers)
    return span + bce


def export(model: nn.Module, path: Path) -> None:
    """The module as ONNX with the product's input and output names, batch and length free."""
    from rag.core.reader_net import INPUTS, OUTPUTS

    sample = torch.ones((2, 16), dtype=torch.long)
    axes = {name: {0: "batch", 1: "tokens"} for name in INPUTS}
    axes |= {"start_logits": {0: "batch", 1: "tokens"}, "end_logits": {0: "batch", 1: "tokens"}}
    axes |= {"answer_logit": {0: "batch"}}
    with torch.no_grad():
        torch.onnx.export(
            model,
            (sample, sample, torch.zeros_like(sample)),
            str(path),
            input_names=list(INPUTS),
            output_names=list(OUTPUTS),
            dynamic_axes=axes,
            opset_version=17,
            dynamo=False,
        )


def quantize(fp32: Path, int8: Path) -> None:
    """Dynamic int8 quantisation of the weights (onnxruntime), as the product loads it."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8)
