"""What a process that answers one question uses (``newsrag ask "..."``): spaCy in a helper
process, started before the store and the encoder are imported, so its ~0.9 s load runs on
the other core instead of after them (rag/query/nlp_process.py). A facade module of its own so
the command can start it before importing ``rag.assistant``.

Usage: ``Assistant(settings, nlp=question_nlp())``
"""

from __future__ import annotations

from rag.query.nlp import Nlp
from rag.query.nlp_process import NlpProcess


def question_nlp() -> Nlp:
    """An ``Nlp`` whose spaCy is already loading in a helper process."""
    nlp = NlpProcess()
    nlp.preload()
    return nlp
