"""Estimated cost of an answer from its token usage and a small price table.

Prices are USD per million tokens (input, output), as OpenAI listed them in 2025; they change,
so treat the estimate as a guide. Override or extend the table with a TOML file named by
``NEWSRAG_PRICES``::

    [models."gpt-4.1-mini"]
    input = 0.40
    output = 1.60

    [models."llama3.1:8b"]      # a local model: free
    input = 0
    output = 0

A model name matches its own entry or the longest entry it starts with
("gpt-4.1-mini-2025-04-14" -> "gpt-4.1-mini"). Unknown models get no estimate (None).

Usage: ``estimate_cost("gpt-4.1-mini", {"prompt_tokens": 900, "completion_tokens": 60}, prices)``
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from rag.core.errors import ConfigError


@dataclass(frozen=True, slots=True)
class Price:
    """USD per million input (prompt) and output (completion) tokens."""

    input: float
    output: float


DEFAULT_PRICES: dict[str, Price] = {
    "gpt-4.1": Price(2.00, 8.00),
    "gpt-4.1-mini": Price(0.40, 1.60),
    "gpt-4.1-nano": Price(0.10, 0.40),
    "gpt-4o": Price(2.50, 10.00),
    "gpt-4o-mini": Price(0.15, 0.60),
    "gpt-5": Price(1.25, 10.00),
    "gpt-5-mini": Price(0.25, 2.00),
    "gpt-5-nano": Price(0.05, 0.40),
}


def load_prices(path: Path | None) -> dict[str, Price]:
    """The built-in table, extended or overridden by the TOML file at ``path``."""
    prices = dict(DEFAULT_PRICES)
    if path is None:
        return prices
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"NEWSRAG_PRICES: cannot read {path}: {exc}") from exc
    for name, entry in data.get("models", {}).items():
        try:
            prices[name] = Price(float(entry["input"]), float(entry["output"]))
        except (KeyError, TypeError, ValueError) as exc:
            raise ConfigError(
                f'NEWSRAG_PRICES: {path}: [models."{name}"] needs numbers input = and output = '
                "(USD per million tokens)"
            ) from exc
    return prices


def price_for(model: str, prices: dict[str, Price]) -> Price | None:
    if model in prices:
        return prices[model]
    matches = [name for name in prices if model.startswith(name + "-")]
    return prices[max(matches, key=len)] if matches else None


def estimate_cost(model: str, usage: dict[str, int], prices: dict[str, Price]) -> float | None:
    """USD for ``usage`` (prompt_tokens, completion_tokens) with ``model``; None if unpriced."""
    price = price_for(model, prices)
    if price is None:
        return None
    return (
        usage.get("prompt_tokens", 0) * price.input
        + usage.get("completion_tokens", 0) * price.output
    ) / 1_000_000
