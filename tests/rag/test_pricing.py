"""Usage and cost of an LLM answer (rag/query/llm/pricing.py): tiktoken counts, the price
table and its override."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.core.errors import ConfigError
from rag.query.llm.pricing import DEFAULT_PRICES, estimate_cost, load_prices
from tests.rag.llm_support import (
    run,
)


def test_usage_counted_with_tiktoken_and_cost_from_the_price_table(llm) -> None:
    reply = "Lt. Gen. Mohammed Saeed leads it [1]."
    assistant, _ = llm(reply, model="gpt-4.1-mini")
    _, answer = run(assistant)
    enc = assistant.pipeline.chunker.encoding
    assert answer.usage_source == "tiktoken"
    assert answer.usage["completion_tokens"] == len(enc.encode(reply))
    assert answer.usage["total_tokens"] == answer.usage["prompt_tokens"] + len(enc.encode(reply))
    expected = (answer.usage["prompt_tokens"] * 0.40 + len(enc.encode(reply)) * 1.60) / 1e6
    assert answer.cost_usd == pytest.approx(expected)
    data = answer.to_dict()
    assert data["usage"] == answer.usage and data["cost_usd"] == round(expected, 6)


def test_unknown_model_has_no_cost_and_the_table_can_be_overridden(llm, tmp_path: Path) -> None:
    assistant, _ = llm("Saeed [1].", model="smollm2")
    assert run(assistant)[1].cost_usd is None
    table = tmp_path / "prices.toml"
    table.write_text('[models."smollm2"]\ninput = 1.0\noutput = 2.0\n', encoding="utf-8")
    assistant, _ = llm("Saeed [1].", model="smollm2", prices=table)
    answer = run(assistant)[1]
    usage = answer.usage
    assert answer.cost_usd == pytest.approx(
        (usage["prompt_tokens"] + 2 * usage["completion_tokens"]) / 1e6
    )
    prices = load_prices(None)
    assert estimate_cost("gpt-4.1-mini-2025-04-14", {"prompt_tokens": 10**6}, prices) == 0.40
    assert prices == DEFAULT_PRICES
    table.write_text('[models."x"]\ninput = "cheap"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r'NEWSRAG_PRICES: .*\[models."x"\] needs numbers'):
        load_prices(table)
