"""The question-answering pipeline, wired once from settings: embedder, store, chunker,
retriever, condenser and answerer (the LLM with the offline fallback, or the offline answerer
alone). Every part can be injected, so tests pass deterministic fakes and real runs build real
ones. Nothing is built at import time.

Usage: ``p = build_pipeline(Settings())``; ``p.retriever.retrieve(q, 5)``; ``p.answerer.stream(r)``
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from ingest.chunk import Chunker
from prompts import load_prompt
from rag.core.claim_net import ClaimNet
from rag.core.connect import open_store, stored_model
from rag.core.embeddings import Embedder, make_embeddings
from rag.core.errors import ConfigError, NotFoundError, StoreMismatchError
from rag.core.lexical import LexicalCache
from rag.core.reader_net import ReaderNet
from rag.core.settings import Settings
from rag.core.store import Store
from rag.core.tokens import load_encoding
from rag.core.types import Answer
from rag.query.llm.chat import ChatClient, add_usage, endpoint, llm_mode, make_chat_model
from rag.query.llm.condense import Condenser, FallbackCondenser, KeywordCondenser, LLMCondenser
from rag.query.llm.extract import ExtractAnswerer
from rag.query.llm.fallback import Answerer, FallbackAnswerer
from rag.query.llm.gate import EvidenceGate
from rag.query.llm.grounding import Grounder
from rag.query.llm.judge import Judge
from rag.query.llm.llm_answer import LLMAnswerer
from rag.query.llm.nlp import Nlp
from rag.query.llm.pricing import Price, estimate_cost, load_prices
from rag.query.reading.extractive import ExtractiveAnswerer
from rag.query.reading.read import NetReader
from rag.query.retrieval.rerank import Reranker
from rag.query.retrieval.retrieve import Retriever


@dataclass(slots=True)
class Pipeline:
    """The parts one Assistant uses, built together so they agree on model and store."""

    settings: Settings
    embedder: Embedder
    store: Store
    retriever: Retriever
    condenser: Condenser
    answerer: FallbackAnswerer
    prices: dict[str, Price]
    endpoint: str | None  # the chat endpoint's URL in LLM mode, else None
    nlp: Nlp
    _chunker: Chunker | None = field(default=None, repr=False)

    @property
    def chunker(self) -> Chunker:
        """The ingest chunker, built on first use: loading the tiktoken encoding takes about
        0.1 s that a question in extractive mode does not need."""
        if self._chunker is None:
            s = self.settings
            encoding = load_encoding(s.encoding)
            self._chunker = Chunker(encoding, s.chunk_tokens, s.chunk_overlap_tokens)
        return self._chunker

    def loaders(self) -> dict[str, Callable[[], object]]:
        """What a first question loads, by name, in the order it needs them; each call loads
        its part now (eval/bench/cold.py times them): the encoder (with one embedding), the
        lexical index of the store's generation, and spaCy."""
        return {
            "encoder": lambda: self.embedder.embed_query("warm up"),
            "lexical": self.retriever.lexical.current,
            "spacy": lambda: self.nlp.parse(["warm up"]),
        }

    @property
    def mode(self) -> str:
        """'llm' when a chat model answers, else 'extractive'."""
        return self.answerer.mode

    def price(self, answer: Answer, extra_usage: dict[str, int] | None = None) -> Answer:
        """Add ``extra_usage`` (the condense call) and the estimated cost to ``answer``."""
        if extra_usage:
            answer = replace(answer, usage=add_usage(answer.usage, extra_usage))
        if (answer.mode == "llm" or extra_usage) and self.settings.llm != "local":  # local: free
            cost = estimate_cost(self.settings.model, answer.usage, self.prices)
            answer = replace(answer, cost_usd=cost)
        return answer


def build_pipeline(
    settings: Settings,
    *,
    embeddings: Embedder | None = None,
    store: Store | None = None,
    answerer: Answerer | None = None,
    chat_model: BaseChatModel | None = None,
    nlp: Nlp | None = None,
    preload: bool = False,
) -> Pipeline:
    """Build every part from ``settings``; injected parts are used as given.

    ``chat_model`` (any LangChain chat model) forces LLM answers; otherwise NEWSRAG_LLM and
    OPENAI_API_KEY / OPENAI_BASE_URL decide. An injected ``answerer`` answers as it is, with
    the offline condenser. ``preload`` starts loading the encoder (in a thread) before the
    store opens, for a question about to be asked.
    """
    embedder = embeddings or _embedder(settings, store)
    if preload and hasattr(embedder, "preload"):
        embedder.preload()
    lexical_home = settings.home / "lexical" / settings.collection if store is None else None
    store = store or open_store(settings, embedder.name, embedder.dimension)
    refusal = load_prompt("refusal")
    nlp = nlp or Nlp()  # spaCy loads on first use (or Nlp.preload)
    net = ReaderNet(settings.reader_model, batch_size=settings.reader_batch)
    extractive = ExtractiveAnswerer(
        NetReader(net, prior=settings.reader_prior, kind_penalty=settings.kind_penalty),
        refusal=refusal,
        model_name=embedder.name,
        max_quotes=settings.max_quotes,
        threshold=settings.min_support,
        conflict_line=settings.conflict_line,
    )
    if chat_model is None and answerer is None and llm_mode(settings) != "extractive":
        chat_model = make_chat_model(settings)
    condenser: Condenser = KeywordCondenser()
    primary: Answerer = answerer or extractive
    fallback: Answerer | None = None
    if answerer is None and chat_model is not None:
        chat = ChatClient(chat_model, settings, load_encoding(settings.encoding))
        fallback = extractive if settings.fallback == "extractive" else None
        enforce = fallback is not None and settings.unsupported in ("fallback", "drop")
        drop = enforce and settings.unsupported == "drop"
        if settings.llm_style == "extract":  # picks sentences: nothing to ground
            primary = ExtractAnswerer(chat, refusal)
        else:
            grounder = Grounder(
                embedder, settings.claim_support, nlp, cite_uncited=drop, judge=make_judge(settings)
            )
            primary = LLMAnswerer(chat, grounder, refusal, enforce=enforce, drop=drop)
        if enforce:  # refusal decided from the evidence, not left to the model
            sure = settings.override_refusal
            sure = net.card.override_threshold if sure is None else sure
            primary = EvidenceGate(primary, extractive, enforce=True, sure=sure)
        condenser = FallbackCondenser(
            LLMCondenser(chat), KeywordCondenser(), enabled=fallback is not None
        )
    return Pipeline(
        settings=settings,
        embedder=embedder,
        store=store,
        retriever=Retriever(
            store,
            embedder,
            LexicalCache(store, lexical_home),
            settings,
            Reranker(
                net,
                settings.reader_candidates,
                settings.reader_prior,
                settings.kind_penalty,
                settings.reader_first,
                settings.reader_enough,
            ),
        ),
        condenser=condenser,
        answerer=FallbackAnswerer(primary, fallback),
        prices=load_prices(settings.prices),
        endpoint=endpoint(settings) if primary.mode == "llm" and chat_model else None,
        nlp=nlp,
    )


def build_grounder(settings: Settings, embedder: Embedder | None = None) -> Grounder:
    """The claim check LLM mode runs on a model's answer (the trained checker, or the embedder,
    spaCy and the rules), as ``python -m eval.claim_check`` scores it."""
    embedder = embedder or make_embeddings(settings)
    return Grounder(embedder, settings.claim_support, Nlp(), judge=make_judge(settings))


def make_judge(settings: Settings) -> Judge | None:
    """The trained claim checker with NEWSRAG_CLAIM_CHECK=model, at NEWSRAG_CLAIM_LINE (else
    the rules alone decide)."""
    if settings.claim_check != "model":
        return None
    return Judge(ClaimNet(settings.claim_model), settings.claim_line)


def open_stored(settings: Settings) -> Store:
    """The store the settings name, opened with the model it was built with, whatever
    NEWSRAG_EMBEDDING_MODEL says (``newsrag reindex`` moves it to that one)."""
    model = stored_model(settings)
    if model is None:
        raise NotFoundError(
            f"no store at {settings.store_location()}; ingest articles first (newsrag ingest)"
        )
    embedder = _embedder(settings.model_copy(update={"embedding_model": None}), None)
    return open_store(settings, model, embedder.dimension)


def _embedder(settings: Settings, store: Store | None) -> Embedder:
    """The model NEWSRAG_EMBEDDING_MODEL names, else the one the store was built with (so a
    store keeps working when the default changes), else the default."""
    if settings.embedding_model or store is not None:
        return make_embeddings(settings)
    model = stored_model(settings)
    try:
        return make_embeddings(settings, model)
    except ConfigError:
        raise StoreMismatchError(
            f"the store at {settings.store_location()} was built with {model}, which this "
            "newsrag cannot load; use another --home, or ingest the articles again into a new one"
        ) from None
