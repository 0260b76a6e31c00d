"""The OpenAI text provider: the official SDK against OpenAI or any OpenAI-compatible server.

Why our own retries (the SDK's are switched off with ``max_retries=0``): we want one policy for every
transient failure (429, 5xx, timeouts, dropped connections) with bounded attempts, exponential backoff with
jitter, ``Retry-After`` honoured, and the concurrency slot released while we wait, so a throttled request
does not hold back the others. An answer that is not the JSON object the schema asks for is retried once,
then reported as ``ProviderError``.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import random
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any

import httpx2
import openai
from openai import AsyncOpenAI, DefaultAsyncHttpxClient
from openai.types.chat import ChatCompletion
from prometheus_client import CollectorRegistry, Counter

from domain.ai.jsonschema import schema_errors
from domain.ai.ports import ProviderError, StructuredResult, Usage
from domain.base import utcnow
from workers.ai.slots import CallSlots, LocalSlots, SlotsUnavailable

log = logging.getLogger(__name__)

# Sent when only OPENAI_BASE_URL is configured: local servers (vLLM, Ollama, llama.cpp) ignore the key,
# but the SDK refuses to start without one.
PLACEHOLDER_API_KEY = "not-needed"
MAX_RETRY_AFTER_SECONDS = 60.0
INVALID_JSON_RETRIES = 1
# A call is the SDK's documented request to a path (``client.post``) with the body as built here, plain JSON:
# ``chat.completions.create`` would first walk it against the SDK's typed parameters (about 1.5 ms of CPU a
# call, a third of the client's work, inside the call's slot) to turn it into the same JSON
# (``tests/ai/test_provider_requests.py`` asserts the server receives the same request either way).
CHAT_COMPLETIONS = "/chat/completions"
_OPTIONS: openai.RequestOptions = {"security": {"bearer_auth": True}}  # as ``create`` sends it


@dataclass(frozen=True)
class RetryPolicy:
    max_retries: int = 4  # retries after the first attempt
    backoff_seconds: float = 0.5  # first wait; doubles each retry
    max_backoff_seconds: float = 20.0
    jitter: float = 0.25  # +/- this fraction of the wait

    def delay(self, retry: int, retry_after: float | None = None) -> float:
        """Seconds to wait before retry number ``retry`` (1-based)."""
        if retry_after is not None:
            return min(max(retry_after, 0.0), MAX_RETRY_AFTER_SECONDS)
        base = min(self.backoff_seconds * (2 ** (retry - 1)), self.max_backoff_seconds)
        jittered: float = base * (1 + random.uniform(-self.jitter, self.jitter))
        return max(0.0, jittered)


def retry_after_seconds(headers: Any) -> float | None:
    """``retry-after-ms`` or ``Retry-After`` (seconds or an HTTP date), when the server sent one."""
    if headers is None:
        return None
    millis = headers.get("retry-after-ms")
    if millis:
        try:
            return float(millis) / 1000
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        pass
    try:
        return (parsedate_to_datetime(value) - utcnow()).total_seconds()
    except (TypeError, ValueError):
        return None


class _Retryable(Exception):
    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


class _InvalidAnswer(Exception):
    pass


class ProviderMetrics:
    """Calls to an AI provider (each HTTP attempt) and the tokens they used, on the app's metrics registry."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.calls = Counter(
            "shopwright_ai_provider_calls",
            "AI provider calls (each HTTP attempt), by provider, model and outcome.",
            ["provider", "model", "outcome"],
            registry=registry,
        )
        self.tokens = Counter(
            "shopwright_ai_provider_tokens",
            "Tokens AI provider calls used, by provider, model and type (prompt or completion).",
            ["provider", "model", "type"],
            registry=registry,
        )

    def record(self, provider: str, model: str, outcome: str, usage: Usage | None = None) -> None:
        self.calls.labels(provider, model, outcome).inc()
        if usage is not None:
            self.tokens.labels(provider, model, "prompt").inc(usage.prompt_tokens)
            self.tokens.labels(provider, model, "completion").inc(usage.completion_tokens)


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    """The TLS context of every provider client in this process: made once (loading the CA bundle takes about
    30 ms, and an RQ worker builds its providers again for every job), as the SDK's own client makes it."""
    return httpx2.create_ssl_context()


def http_client() -> httpx2.AsyncClient:
    """An HTTP client with the SDK's defaults (timeouts, connection limits, redirects) and the shared TLS
    context."""
    return DefaultAsyncHttpxClient(verify=_ssl_context())


@functools.cache
def _warm_sdk() -> None:
    """Once per process, what the SDK otherwise works out while the first answers are read, inside their slots
    (tens of ms, then cached): the type hints of a completion. Best effort: a private helper of the SDK, and
    nothing depends on it having run."""
    try:
        from openai._models import construct_type

        answer = {
            "id": "c",
            "object": "chat.completion",
            "created": 0,
            "model": "m",
            "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "{}"}}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        }
        construct_type(value=answer, type_=ChatCompletion)
    except Exception:  # pragma: no cover - another SDK version: the first answers do it instead
        log.debug("warming the OpenAI SDK up failed", exc_info=True)


class OpenAITextProvider:
    name = "openai"

    def __init__(
        self,
        *,
        api_key: str | None,
        base_url: str | None = None,
        model: str = "gpt-4o-mini",
        concurrency: int = 8,
        timeout_seconds: float = 60.0,
        retry: RetryPolicy | None = None,
        client: AsyncOpenAI | None = None,
        metrics: ProviderMetrics | None = None,
        slots: CallSlots | None = None,
    ) -> None:
        """``slots`` bound the calls in flight: ``LocalSlots(concurrency)`` unless given (a ``SharedSlots`` built
        on ``LocalSlots(concurrency)`` adds the cap every process shares)."""
        self.model = model
        self.metrics = metrics
        self.retry = retry or RetryPolicy()
        self.timeout_seconds = timeout_seconds
        self.slots = slots or LocalSlots(concurrency)
        self.concurrency = concurrency  # per process
        self.client = client or AsyncOpenAI(
            api_key=api_key or PLACEHOLDER_API_KEY,
            base_url=base_url,
            timeout=timeout_seconds,
            max_retries=0,
            http_client=http_client(),
        )
        _warm_sdk()

    async def warm(self) -> None:
        """Before the first calls (a worker, before its first job): the slots' connections."""
        await self.slots.warm()

    async def close(self) -> None:
        await self.client.close()
        await self.slots.close()

    async def generate_json(
        self,
        *,
        system: str,
        user: str,
        schema: dict[str, Any],
        schema_name: str,
        temperature: float = 0.4,
        max_tokens: int | None = None,
        model: str | None = None,
        images: Sequence[str] = (),
    ) -> StructuredResult:
        model_id = model or self.model
        content: str | list[dict[str, Any]] = user
        if images:  # the chat API's content parts: the text, then each image (a data URL)
            content = [{"type": "text", "text": user}]
            content += [{"type": "image_url", "image_url": {"url": url}} for url in images]
        request: dict[str, Any] = {
            "model": model_id,
            "messages": [{"role": "system", "content": system}, {"role": "user", "content": content}],
            "response_format": {
                "type": "json_schema",
                "json_schema": {"name": schema_name, "schema": schema, "strict": True},
            },
            "temperature": temperature,
        }
        if max_tokens is not None:
            request["max_tokens"] = max_tokens

        usage = Usage()
        retries = 0
        invalid_answers = 0
        while True:
            try:
                data, call_usage, answered_model = await self._attempt(request, schema)
                return StructuredResult(data=data, usage=usage + call_usage, model=answered_model or model_id)
            except _InvalidAnswer as exc:
                # Tokens were spent on the unusable answer: they still count.
                usage = usage + _usage_of(exc.args[1] if len(exc.args) > 1 else None)
                invalid_answers += 1
                if invalid_answers > INVALID_JSON_RETRIES:
                    raise ProviderError(f"The AI provider returned an invalid answer: {exc.args[0]}") from None
                log.warning("provider answer for %s was invalid (%s); asking again", schema_name, exc.args[0])
            except _Retryable as exc:
                retries += 1
                if retries > self.retry.max_retries:
                    raise ProviderError(
                        f"The AI provider kept failing ({exc.reason}) after {retries} attempts."
                    ) from None
                wait = self.retry.delay(retries, exc.retry_after)
                log.warning("provider call failed (%s); retry %d in %.2fs", exc.reason, retries, wait)
                await asyncio.sleep(wait)

    async def _attempt(self, request: dict[str, Any], schema: dict[str, Any]) -> tuple[dict[str, Any], Usage, str]:
        model = request["model"]
        try:
            async with self.slots.slot():
                response = await self._send(request)
        except SlotsUnavailable as exc:  # no call was made
            raise _Retryable(str(exc)) from None
        # The slot is free: let the call waiting for it (woken by the release) send its request before this one's
        # answer is checked and its caller's work on it (guardrails, progress) runs on the event loop.
        await asyncio.sleep(0)
        usage = _usage_of(response.usage)
        try:
            data = _answer_of(response, schema)
        except _InvalidAnswer:
            self._count(model, "invalid_answer", usage)
            raise
        except ProviderError:
            self._count(model, "refused", usage)
            raise
        self._count(model, "ok", usage)
        return data, usage, response.model

    async def _send(self, request: dict[str, Any]) -> Any:
        """One HTTP attempt; transient failures as ``_Retryable``."""
        model = request["model"]
        try:
            return await self.client.post(CHAT_COMPLETIONS, body=request, cast_to=ChatCompletion, options=_OPTIONS)
        except openai.APITimeoutError:
            self._count(model, "timeout")
            raise _Retryable(f"timed out after {self.timeout_seconds:g}s") from None
        except openai.APIConnectionError as exc:
            self._count(model, "connection_error")
            raise _Retryable(f"connection error: {exc}") from None
        except openai.APIStatusError as exc:
            status = exc.status_code
            if status == 429 or status >= 500 or status == 408:
                self._count(model, "rate_limited" if status == 429 else "server_error")
                raise _Retryable(f"HTTP {status}", retry_after_seconds(exc.response.headers)) from None
            self._count(model, "client_error")
            raise ProviderError(f"The AI provider refused the request (HTTP {status}): {_short(exc.message)}") from None

    def _count(self, model: str, outcome: str, usage: Usage | None = None) -> None:
        if self.metrics is not None:
            self.metrics.record(self.name, model, outcome, usage)


def _answer_of(response: Any, schema: dict[str, Any]) -> dict[str, Any]:
    """The JSON object of a completion; ``_InvalidAnswer`` when it is not what the schema asks for."""
    if not response.choices:
        raise _InvalidAnswer("no choices in the answer", response.usage)
    message = response.choices[0].message
    refusal = getattr(message, "refusal", None)
    if refusal:
        raise ProviderError(f"The AI provider refused to answer: {_short(refusal)}")
    content = message.content or ""
    try:
        data = json.loads(content)
    except json.JSONDecodeError:
        raise _InvalidAnswer("content is not valid JSON", response.usage) from None
    if not isinstance(data, dict):
        raise _InvalidAnswer("content is not a JSON object", response.usage)
    errors = schema_errors(data, schema, lengths=False)
    if errors:
        raise _InvalidAnswer("; ".join(errors[:3]), response.usage)
    return data


def _usage_of(usage: Any) -> Usage:
    if usage is None:
        return Usage()
    return Usage(int(usage.prompt_tokens or 0), int(usage.completion_tokens or 0))


def _short(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
