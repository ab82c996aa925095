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
