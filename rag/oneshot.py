"""What a process that answers one question uses (``newsrag ask "..."``): spaCy, when the answer
needs it (LLM claims), in a helper process started before the store and the encoder are
imported, so its ~0.9 s load runs on the other core instead of after them
(rag/query/llm/nlp_process.py). A facade module of its own so
the command can start it before importing ``rag.assistant``.

Usage: ``Assistant(settings, nlp=question_nlp())``
"""

from __future__ import annotations

from rag.core.settings import Settings
from rag.query.llm.nlp import Nlp, needs_spacy
from rag.query.llm.nlp_process import NlpProcess


def question_nlp() -> Nlp:
    """An ``Nlp`` whose spaCy is already loading in a helper process, when the answer will
    need it (see ``needs_spacy``); else one that loads on first use, if ever."""
    if not needs_spacy(Settings()):
        return Nlp()
    nlp = NlpProcess()
    nlp.preload()
    return nlp
