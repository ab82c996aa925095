"""Token usage of chat calls: from the endpoint's report when it gives one, else counted with
tiktoken. One shape everywhere: ``{"prompt_tokens", "completion_tokens", "total_tokens"}``.

Usage: ``reported(message.usage_metadata) or counted(encoding, messages, reply_text)``
"""

from __future__ import annotations

from collections.abc import Sequence

import tiktoken
from langchain_core.messages import BaseMessage

MESSAGE_OVERHEAD_TOKENS = 4  # per chat message, as OpenAI's cookbook counts them


def usage(prompt: int, completion: int) -> dict[str, int]:
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
    }


def reported(metadata: object) -> dict[str, int]:
    """Usage from LangChain's ``usage_metadata``; {} when the endpoint reported none."""
    if not isinstance(metadata, dict) or not metadata.get("total_tokens"):
        return {}
    return usage(int(metadata.get("input_tokens", 0)), int(metadata.get("output_tokens", 0)))


def counted(
    encoding: tiktoken.Encoding, messages: Sequence[BaseMessage], completion: str
) -> dict[str, int]:
    """Usage counted with tiktoken, for endpoints that do not report it."""
    prompt = sum(
        len(encoding.encode(m.text, disallowed_special=())) + MESSAGE_OVERHEAD_TOKENS
        for m in messages
    )
    return usage(prompt, len(encoding.encode(completion, disallowed_special=())))


def add(a: dict[str, int], b: dict[str, int]) -> dict[str, int]:
    return {k: a.get(k, 0) + b.get(k, 0) for k in sorted(set(a) | set(b))}
