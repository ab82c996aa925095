"""The small exception hierarchy of newsrag; the CLI and UI turn these into one-line messages."""


class NewsragError(Exception):
    """Base class: a problem the user can act on, with a message that says what to do."""


class InputError(NewsragError):
    """Bad user input: a missing path, an empty question, an unreadable file or line."""


class StoreError(NewsragError):
    """The store cannot be opened or used (corrupted, locked, unreachable)."""


class StoreMismatchError(StoreError):
    """The store was built with another embedding model or dimension."""


class NotFoundError(NewsragError):
    """An article id that the store does not hold."""


class ConfigError(NewsragError):
    """A setting that cannot work (unknown embedding model, missing API key ...)."""


class LLMError(NewsragError):
    """The chat endpoint failed: rejected key, unreachable, timed out, rate limited, 5xx."""


class StoreBusyError(StoreError):
    """Another process is writing to the embedded store and did not finish in time."""


class WorkerError(NewsragError):
    """An answering process of the chat's pool stopped mid-question (the pool replaces it)."""
