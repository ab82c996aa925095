"""The trained claim checker (rag/core/claim_net.py, rag/query/llm/judge.py), LLM mode's claim
check with NEWSRAG_CLAIM_CHECK=model: on the real seed store a swapped office, a negation, an
opposite verb and another day are caught with their reason; on the blind claims1 set it keeps
its measured rates; its card is checked before anything loads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval.claim_check import load, summary, verdicts
from rag.core.claim_net import ClaimNet, claim_tokenizer, encode_pairs
from rag.core.errors import ConfigError
from rag.core.reader_net import models_dir
from rag.core.settings import Settings
from rag.pipeline import build_grounder
from tests.rag.llm_support import run

CLAIMS1 = Path(__file__).parents[2] / "eval" / "datasets" / "claims1"
REJECTED = "the claim checker finds no sentence in the cited source that says it ("


@pytest.mark.parametrize(
    ("reply", "flip"),
    [
        ("The Chief of Army Staff is Lt. Gen. Mohammed Saeed [1].", ""),  # the wrong office
        ("The Pakistani team arrived in the U.S. capital on Friday afternoon [1].", ""),  # day
        ("Lt. Gen. Mohammed Saeed did not lead the Pakistani team [1].", "says “not lead”"),
        ("The Pakistani team left the U.S. capital on Sunday afternoon [1].", "says “left”"),
    ],
)
def test_a_changed_fact_is_caught_with_its_reason(llm, reply: str, flip: str) -> None:
    assistant, _ = llm(reply, claim_check="model")
    (claim,) = run(assistant)[1].unsupported
    assert claim.claim == reply.replace(" [1]", "") and claim.markers == (1,)
    # the checker's verdict under its line, or a negation or opposite word of the quote it
    # picked, named as such (the polarity rule stays beside the model)
    rejected = claim.reason.startswith(REJECTED) and claim.support < ClaimNet().card.threshold
    assert rejected or (flip and claim.reason.startswith(flip))


@pytest.mark.slow
def test_the_shipped_checker_keeps_its_rates_on_the_blind_claims() -> None:
    """eval/datasets/claims1 (never trained on): 240 restated and 240 changed claims. The
    shipped checker caught 0.775 of the changes and rejected 0.237 of the true claims (the
    rules: 0.779 and 0.438); a retrained or broken model that falls well short fails here."""
    articles, claims = load(CLAIMS1)
    result = summary(verdicts(build_grounder(Settings(claim_check="model")), articles, claims))
    assert result["swaps"] == 240 and result["true"] == 240
    assert result["swaps_caught"] >= 0.74 and result["true_rejected"] <= 0.27


def test_a_claim_longer_than_the_model_input_is_cut_not_an_error() -> None:
    tokenizer = claim_tokenizer(models_dir() / "all-MiniLM-L6-v2" / "tokenizer.json")
    claim = "The council " + "really " * 250 + "approved it."
    ids, mask, _ = encode_pairs(tokenizer, [(claim, "The council approved it."), ("A.", "B.")])
    evidence = len(tokenizer.encode("The council approved it.", add_special_tokens=False).ids)
    assert int(mask[0].sum()) == 1 + 64 + 1 + evidence + 1  # the claim cut to 64 tokens
    assert int(mask[1].sum()) < ids.shape[1]


def test_a_card_without_a_field_it_needs_is_one_line(tmp_path: Path) -> None:
    card = json.loads((models_dir() / "claim_net.json").read_text(encoding="utf-8"))
    del card["threshold"]
    (tmp_path / "claim_net.json").write_text(json.dumps(card), encoding="utf-8")
    with pytest.raises(ConfigError, match="card lacks a valid 'threshold'; retrain"):
        ClaimNet(tmp_path / "claim_net.json")


def test_a_card_of_another_format_is_one_line(tmp_path: Path) -> None:
    card = json.loads((models_dir() / "claim_net.json").read_text(encoding="utf-8"))
    (tmp_path / "claim_net.json").write_text(json.dumps(card | {"format": 99}), encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        ClaimNet(tmp_path / "claim_net.json")
    message = str(error.value)
    assert "claim checker format 99" in message and "python -m train.claims" in message
    assert "\n" not in message


def test_a_missing_model_file_is_one_line(tmp_path: Path) -> None:
    card = json.loads((models_dir() / "claim_net.json").read_text(encoding="utf-8"))
    (tmp_path / "claim_net.json").write_text(json.dumps(card), encoding="utf-8")
    with pytest.raises(ConfigError, match="claim-minilm-int8.onnx: claim checker file missing"):
        ClaimNet(tmp_path / "claim_net.json").support([("a claim", "a sentence")])
