"""The chat model behind LLM answers: which mode applies, the LangChain ChatOpenAI client for
any OpenAI-compatible endpoint, and one clear line for each way the endpoint can fail.

Usage: ``if llm_mode(settings) == "openai": model = make_chat_model(settings)``;
``except Exception as exc: raise explain_error(exc, settings) or exc``
"""

from __future__ import annotations

from typing import Literal
from urllib.parse import urlsplit

import openai
from langchain_core.language_models import BaseChatModel

from rag.errors import ConfigError, LLMError
from rag.settings import Settings

OPENAI_URL = "https://api.openai.com/v1"
NO_KEY = "not-needed"  # local servers (Ollama, llama.cpp) accept any key; the client needs one


def llm_mode(settings: Settings) -> Literal["openai", "extractive"]:
    """'openai' when asked for, or under 'auto' when a key or an endpoint is configured."""
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
    return (settings.openai_base_url or OPENAI_URL).rstrip("/")


def make_chat_model(settings: Settings) -> BaseChatModel:
    """ChatOpenAI for the configured endpoint; retries with backoff are the openai client's."""
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
