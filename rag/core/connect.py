"""Open the store the settings name: a Chroma server (CHROMA_HOST) or the embedded store under
home with its write lock.

Usage: ``store = open_store(settings, embedder.name, embedder.dimension)``
"""

from __future__ import annotations

from contextlib import nullcontext
from functools import partial
from typing import Any

from rag.core.chroma import chunk_model, make_client, reload_client
from rag.core.errors import StoreError
from rag.core.locks import WriteLock, opening
from rag.core.settings import Settings
from rag.core.store import Store


def open_store(settings: Settings, model: str, dimension: int) -> Store:
    """Open (or create) the store the settings name; StoreError when that fails."""
    where = settings.store_location()
    lock = reopen = None
    if not settings.chroma_host:
        make_home(settings)
        lock = WriteLock(settings.home / "write.lock", settings.lock_timeout, where)
    try:
        client = _client(settings)
        if not settings.chroma_host:
            reopen = partial(reload_client, client, settings)
        return Store(client, settings.collection, model, dimension, where, lock, reopen)
    except StoreError:
        raise
    except Exception as exc:  # chromadb raises many kinds; all mean "cannot use this store"
        raise StoreError(
            f"cannot open the store at {where} ({exc.__class__.__name__}: {exc}); "
            + (
                "is the Chroma server running? check CHROMA_HOST / CHROMA_PORT / CHROMA_SSL"
                if settings.chroma_host
                else "move it aside or choose another --home"
            )
        ) from exc


def make_home(settings: Settings) -> None:
    """Create the home folder; StoreError naming it when it cannot be one (a file is there, or
    a parent cannot be written)."""
    home = settings.home
    if home.exists() and not home.is_dir():
        raise StoreError(
            f"the home {home} is a file, not a folder; give --home (or NEWSRAG_HOME) a folder, "
            "which is created when missing"
        )
    try:
        home.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(
            f"cannot create the home folder {home} ({exc.strerror or exc}); give --home (or "
            "NEWSRAG_HOME) a folder you can write"
        ) from None


def stored_model(settings: Settings) -> str | None:
    """The embedding model the store ``settings`` name was built with (None: no store yet),
    so an existing store keeps working when the default model changes."""
    if not settings.chroma_host and not (settings.home / "chroma").exists():
        return None
    try:
        return chunk_model(_client(settings), settings.collection)
    except Exception:  # noqa: BLE001 - open_store reports an unusable store clearly
        return None


def _client(settings: Settings) -> Any:
    """The Chroma client; an embedded store is opened by one process at a time."""
    embedded = not settings.chroma_host
    with opening(settings.home, settings.lock_timeout) if embedded else nullcontext():
        return make_client(settings)
