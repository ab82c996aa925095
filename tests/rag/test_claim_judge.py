"""The trained claim checker (rag/core/claim_net.py, rag/query/llm/judge.py), LLM mode's claim
check with NEWSRAG_CLAIM_CHECK=model (after the rules): on the real seed store a swapped office,
a negation, an opposite verb, another day and a changed relation are caught with their reason;
on claims1 it keeps its measured rates; its card is checked before anything loads."""

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
    ("reply", "reason"),
    [
        # the wrong office: "Army" is in no sentence of the source
        ("The Chief of Army Staff is Lt. Gen. Mohammed Saeed [1].", "names “Army”, which"),
        # another day: the quote says Sunday
        ("The Pakistani team arrived in the U.S. capital on Friday evening [1].", "names “Friday"),
        ("Lt. Gen. Mohammed Saeed did not lead the Pakistani team [1].", "says “not lead”"),
        ("The Pakistani team left the U.S. capital on Sunday afternoon [1].", "says “left”"),
    ],
)
def test_a_changed_fact_is_caught_with_its_reason(llm, reply: str, reason: str) -> None:
    assistant, _ = llm(reply, claim_check="model")
    (claim,) = run(assistant)[1].unsupported
    assert claim.claim == reply.replace(" [1]", "") and claim.markers == (1,)
    assert claim.reason.startswith(reason), claim.reason


@pytest.mark.slow
def test_a_changed_claim_the_rules_pass_is_caught_by_the_checker() -> None:
    """claims1's c1-c315 drops a negation: "would still need passport checks" for "passport
    checks would not be needed". The negation rule leaves it alone ("still" may restate a
    negation, polarity.UNSAID) and every name is in place; the checker rates it under its
    line."""
    articles, claims = load(CLAIMS1)
    (claim,) = [c for c in claims if c["id"] == "c1-c315"]
    rows = {
        check: verdicts(build_grounder(Settings(claim_check=check)), articles, [claim])[0]
        for check in ("rules", "model")
    }
    assert rows["rules"]["passed"] and rows["rules"]["reason"] == ""
    assert not rows["model"]["passed"] and rows["model"]["reason"].startswith(REJECTED)


@pytest.mark.slow
def test_the_shipped_checker_keeps_its_rates_on_the_claims() -> None:
    """eval/datasets/claims1 (the checker never trained on it; the rules' name, title and
    antonym checks were tuned on it): 240 restated and 240 changed claims. With the checker
    after the rules 0.846 of the changes were caught and 0.133 of the true claims rejected (the
    rules alone 0.808 and 0.121; before, the checker alone 0.775 and 0.237, the old rules 0.779
    and 0.438); a retrained or broken model or rule that falls well short fails here."""
    articles, claims = load(CLAIMS1)
    result = summary(verdicts(build_grounder(Settings(claim_check="model")), articles, claims))
    assert result["swaps"] == 240 and result["true"] == 240
    assert result["swaps_caught"] >= 0.82 and result["true_rejected"] <= 0.16


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
