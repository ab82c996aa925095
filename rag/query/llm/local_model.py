"""A GGUF chat model run in this process by llama.cpp (``NEWSRAG_LLM=local``,
``NEWSRAG_LOCAL_MODEL=path.gguf``): no server, no network. It is a LangChain chat model, so the
answerers, the claim check and the fallback treat it exactly as an endpoint's model.

llama-cpp-python is an optional extra (``pip install 'newsrag[local]'``); a missing extra, a
missing file or a file llama.cpp cannot load is one ConfigError line. One model object serves
every thread of the process in turn (llama.cpp's context is not shareable).

Usage: ``model = load_local_model(settings)``; ``model.stream([HumanMessage("...")])``
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import ConfigDict, Field

from rag.core.errors import ConfigError
from rag.core.settings import Settings

ROLES = {"system": "system", "human": "user", "ai": "assistant"}


class LocalChatModel(BaseChatModel):
    """llama.cpp's chat completion behind LangChain's chat-model interface."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    llama: Any  # llama_cpp.Llama
    model_name: str
    max_tokens: int = 400
    temperature: float = 0.0
    lock: Any = Field(default_factory=threading.Lock)

    @property
    def _llm_type(self) -> str:
        return "newsrag-local-llama-cpp"

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: Any = None,
        **kwargs: Any,
    ) -> ChatResult:
        with self.lock:
            reply = self.llama.create_chat_completion(
                messages=_to_llama(messages),
                max_tokens=self.max_tokens,
                temperature=self.temperature,
                stop=stop,
                response_format=kwargs.get("response_format"),  # a JSON schema -> a grammar
            )
        text = reply["choices"][0]["message"].get("content") or ""
        used = reply.get("usage") or {}
        message = AIMessage(content=text)
        if used.get("total_tokens"):
            message.usage_metadata = {
                "input_tokens": int(used.get("prompt_tokens", 0)),
                "output_tokens": int(used.get("completion_tokens", 0)),
                "total_tokens": int(used["total_tokens"]),
            }
        return ChatResult(generations=[ChatGeneration(message=message)])

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: Any = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        with self.lock:  # held while the reply streams: one generation at a time
            for part in self.llama.create_chat_completion(
                messages=_to_llama(messages),
                max_tokens=self.max_tokens,
                temperature=self.temperature,
                stop=stop,
                stream=True,
            ):
                piece = part["choices"][0].get("delta", {}).get("content") or ""
                if piece:
                    yield ChatGenerationChunk(message=AIMessageChunk(content=piece))


def _to_llama(messages: list[BaseMessage]) -> list[dict[str, str]]:
    return [{"role": ROLES.get(m.type, "user"), "content": m.text} for m in messages]


def load_local_model(settings: Settings) -> LocalChatModel:
    """The GGUF file NEWSRAG_LOCAL_MODEL names, loaded by llama.cpp; ConfigError when it cannot
    be (no path, no file, no extra, not a model llama.cpp reads)."""
    path = settings.local_model
    if path is None:
        raise ConfigError(
            "NEWSRAG_LLM=local needs NEWSRAG_LOCAL_MODEL=path/to/model.gguf (README: a local "
            "model without a server)"
        )
    path = Path(path).expanduser()
    if not path.is_file():
        raise ConfigError(
            f"NEWSRAG_LOCAL_MODEL={path}: no such file; give the path of a .gguf model"
        )
    if find_spec("llama_cpp") is None:
        raise ConfigError(
            "NEWSRAG_LLM=local needs llama-cpp-python; install it with pip install "
            "'newsrag[local]' (it builds llama.cpp, a few minutes)"
        )
    from llama_cpp import Llama

    try:
        llama = Llama(
            model_path=str(path),
            n_ctx=settings.local_context,
            n_threads=settings.local_threads or os.cpu_count() or 1,
            seed=0,
            verbose=False,
        )
    except (ValueError, RuntimeError) as exc:
        raise ConfigError(
            f"{path}: llama.cpp cannot load it ({exc}); is it a GGUF model?"
        ) from None
    return LocalChatModel(
        llama=llama,
        model_name=path.name,
        max_tokens=settings.max_answer_tokens,
        temperature=settings.temperature,
    )
