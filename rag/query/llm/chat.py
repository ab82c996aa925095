"""The one boundary to chat models. Which mode applies, the LangChain ChatOpenAI client for any
OpenAI-compatible endpoint, streaming and one-shot completion over plain (role, text) messages,
token usage (reported by the endpoint, else counted with tiktoken) and one clear line for each
way the endpoint can fail. Answerers and condensers import this module, not LangChain.

Usage::

    chat = ChatClient(make_chat_model(settings), settings, encoding)
    for event in chat.stream([("system", "..."), ("human", "...")]):
        ...  # str pieces as they arrive, then a Completion (text, usage, usage_source)
    reply = chat.complete([("human", "...")])   # a Completion; LLMError when the endpoint fails
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal
from urllib.parse import urlsplit

from rag.core.errors import ConfigError, LLMError
from rag.core.settings import Settings

if TYPE_CHECKING:  # openai and LangChain load only when a chat model is used (cold start)
    import tiktoken
    from langchain_core.language_models import BaseChatModel
    from langchain_core.messages import BaseMessage

OPENAI_URL = "https://api.openai.com/v1"
NO_KEY = "not-needed"  # local servers (Ollama, llama.cpp) accept any key; the client needs one
MESSAGE_OVERHEAD_TOKENS = 4  # per chat message, as OpenAI's cookbook counts them

Message = tuple[Literal["system", "human"], str]


@dataclass(frozen=True, slots=True)
class Completion:
    """A finished reply: its text and token usage (``usage_source`` "api" or "tiktoken")."""

    text: str
    usage: dict[str, int] = field(default_factory=dict)
    usage_source: str = ""


class ChatClient:
    """A chat model behind the project's own types: (role, text) messages in, text pieces and a
    Completion out, every endpoint failure as one LLMError line."""

    def __init__(
        self, model: BaseChatModel, settings: Settings, encoding: tiktoken.Encoding
    ) -> None:
        self.model = model
        self.settings = settings
        self.encoding = encoding

    @property
    def name(self) -> str:
        return getattr(self.model, "model_name", None) or self.settings.model

    def stream(self, messages: Sequence[Message]) -> Iterator[str | Completion]:
        """Yield the reply's pieces as they arrive, then its Completion."""
        prompt = _to_langchain(messages)
        pieces: list[str] = []
        reported_usage: dict[str, int] = {}
        try:
            for chunk in self.model.stream(prompt):
                reported_usage = reported(chunk.usage_metadata) or reported_usage
                if chunk.text:
                    pieces.append(chunk.text)
                    yield chunk.text
        except Exception as exc:
            error = explain_error(exc, self.settings)
            if error is None:
                raise
            if "".join(pieces).strip():  # retries only happen before the first byte
                error = LLMError(f"the endpoint broke off in mid-answer ({type(exc).__name__})")
            raise error from exc
        yield self._completion("".join(pieces), prompt, reported_usage)

    def complete(self, messages: Sequence[Message], schema: dict | None = None) -> Completion:
        """The whole reply in one call; with ``schema``, JSON the endpoint holds to it."""
        prompt = _to_langchain(messages)
        options = {} if schema is None else {"response_format": response_format(schema, self)}
        try:
            reply = self.model.invoke(prompt, **options)
        except Exception as exc:
            error = explain_error(exc, self.settings)
            if error is None:
                raise
            raise error from exc
        return self._completion(
            reply.text, prompt, reported(getattr(reply, "usage_metadata", None))
        )

    def _completion(
        self, text: str, prompt: list[BaseMessage], usage_reported: dict[str, int]
    ) -> Completion:
        if usage_reported:
            return Completion(text, usage_reported, "api")
        return Completion(text, counted(self.encoding, prompt, text), "tiktoken")


def response_format(schema: dict, client: ChatClient) -> dict:
    """Structured output as the endpoint takes it: OpenAI's ``json_schema`` (strict); llama.cpp
    (its server and in process) and most other OpenAI-compatible servers read ``json_object``
    with a ``schema`` and turn it into a grammar."""
    settings = client.settings
    if settings.llm != "local" and _is_openai(endpoint(settings)):
        spec = {"name": "picked", "schema": schema, "strict": True}
        return {"type": "json_schema", "json_schema": spec}
    return {"type": "json_object", "schema": schema}


def usage(prompt: int, completion: int) -> dict[str, int]:
    """Token usage in one shape everywhere."""
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


def add_usage(a: dict[str, int], b: dict[str, int]) -> dict[str, int]:
    return {k: a.get(k, 0) + b.get(k, 0) for k in sorted(set(a) | set(b))}


def _to_langchain(messages: Sequence[Message]) -> list[BaseMessage]:
    from langchain_core.messages import HumanMessage, SystemMessage

    kinds = {"system": SystemMessage, "human": HumanMessage}
    return [kinds[role](content=text) for role, text in messages]


def llm_mode(settings: Settings) -> Literal["openai", "local", "extractive"]:
    """'openai' when asked for, or under 'auto' when a key or an endpoint is configured;
    'local' when asked for (a GGUF model in this process)."""
    if settings.llm == "local":
        return "local"
    configured = settings.openai_api_key is not None or bool(settings.openai_base_url)
    if settings.llm == "openai" and not configured:
        raise ConfigError(
            "NEWSRAG_LLM=openai needs OPENAI_API_KEY (api.openai.com) or OPENAI_BASE_URL "
            "(a local server); set one, or use NEWSRAG_LLM=extractive"
        )
    if settings.llm == "extractive" or not configured:
        return "extractive"
    return "openai"


def endpoint(settings: Settings) -> str:
    if settings.llm == "local":
        return f"llama.cpp in process ({settings.local_model})"
    return (settings.openai_base_url or OPENAI_URL).rstrip("/")


def make_chat_model(settings: Settings) -> BaseChatModel:
    """ChatOpenAI for the configured endpoint (retries with backoff are the openai client's), or
    the in-process GGUF model under NEWSRAG_LLM=local."""
    if settings.llm == "local":
        from rag.query.llm.local_model import load_local_model

        return load_local_model(settings)
    from langchain_openai import ChatOpenAI

    key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else NO_KEY
    url = endpoint(settings)
    return ChatOpenAI(
        model=settings.model,
        api_key=key,
        base_url=url,
        temperature=settings.temperature,
        max_completion_tokens=settings.max_answer_tokens,
        timeout=settings.llm_timeout,
        max_retries=settings.llm_max_retries,
        stream_usage=True,
        # OpenAI reads max_completion_tokens; llama.cpp's server and older ones read max_tokens
        extra_body=None if _is_openai(url) else {"max_tokens": settings.max_answer_tokens},
    )


def explain_error(exc: BaseException, settings: Settings) -> LLMError | None:
    """One line that says what went wrong at the endpoint and what to do; None if not ours."""
    import openai

    if settings.llm == "local" and isinstance(exc, (ValueError, RuntimeError)):
        return LLMError(f"the local model failed: {_short(str(exc))}")  # e.g. context overflow
    url = endpoint(settings)
    tries = f"after {settings.llm_max_retries} retries"
    if isinstance(exc, openai.AuthenticationError):
        return LLMError(f"the endpoint rejected the API key (401 from {url}); check OPENAI_API_KEY")
    if isinstance(exc, openai.PermissionDeniedError):
        return LLMError(f"the endpoint refused access (403 from {url}); check the key's rights")
    if isinstance(exc, openai.NotFoundError):
        return LLMError(
            f"the endpoint {url} does not serve model {settings.model!r} (404); "
            "set NEWSRAG_MODEL to a model it serves"
        )
    if isinstance(exc, openai.RateLimitError):
        return LLMError(
            f"the endpoint is rate limiting (429 from {url}) {tries}; wait and try again"
        )
    if isinstance(exc, openai.APITimeoutError):
        return LLMError(
            f"the endpoint {url} did not answer within {settings.llm_timeout:g}s {tries}; "
            "check the server or raise NEWSRAG_LLM_TIMEOUT"
        )
    if isinstance(exc, openai.APIConnectionError):
        return LLMError(
            f"cannot reach the endpoint {url} {tries}; is the server running? check OPENAI_BASE_URL"
        )
    if isinstance(exc, openai.APIStatusError):
        if exc.status_code >= 500:
            return LLMError(
                f"the endpoint failed (HTTP {exc.status_code} from {url}) {tries}; try again later"
            )
        return LLMError(
            f"the endpoint refused the request (HTTP {exc.status_code} from {url}): "
            f"{_short(exc.message)}"
        )
    if isinstance(exc, openai.OpenAIError):
        return LLMError(f"the endpoint {url} failed: {_short(str(exc))}")
    return None


def _is_openai(url: str) -> bool:
    return urlsplit(url).hostname in ("api.openai.com", None)


def _short(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
