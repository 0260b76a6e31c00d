"""The image-model adapter: the official SDK's images API against OpenAI, Gemini's OpenAI-compatible endpoint,
or any OpenAI-compatible server.

The text provider's policy applies (``workers.ai.openai_provider``): the SDK's retries are off, ours retry 429,
408, 5xx, timeouts and dropped connections with exponential backoff and jitter (``Retry-After`` honoured), the
call slot is released while a retry waits, and a provider that keeps failing raises ``ProviderError``. Images
come back as ``b64_json``: ``gpt-image-*`` models always answer that way (and refuse ``response_format``);
other models (``dall-e-2``, Gemini's Imagen) are asked for it. An answer without image bytes, or with bytes
that are not an image, is a ``ProviderError`` — it is not retried, since the same request would answer alike.

Gemini's OpenAI-compatible endpoint serves ``images.generate`` but not ``images.edit``, so an entry built with
``edits=False`` answers ``edit`` with a generation from the prompt alone (the caller's prompt describes the
product, and Pillow composites the real product onto the scene either way).
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import openai
from openai import AsyncOpenAI

from domain.ai.images import GeneratedImage
from domain.ai.ports import ProviderError
from workers.ai.openai_provider import PLACEHOLDER_API_KEY, ProviderMetrics, RetryPolicy, retry_after_seconds
from workers.ai.slots import CallSlots, LocalSlots, SlotsUnavailable

log = logging.getLogger(__name__)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JPEG_SIGNATURE = b"\xff\xd8\xff"
WEBP_MARKERS = (b"RIFF", b"WEBP")


class _Retryable(Exception):
    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


class OpenAIImageProvider:
    def __init__(
        self,
        *,
        name: str,
        api_key: str | None,
        base_url: str | None,
        model: str,
        edits: bool = True,
        concurrency: int = 4,
        timeout_seconds: float = 180.0,
        retry: RetryPolicy | None = None,
        client: AsyncOpenAI | None = None,
        metrics: ProviderMetrics | None = None,
        slots: CallSlots | None = None,
    ) -> None:
        """``name`` is the entry (``openai`` or ``gemini``) that metrics and errors name; ``edits`` says whether
        the endpoint serves ``images.edit``."""
        self.name = name
        self.model = model
        self.edits = edits
        self.metrics = metrics
        self.retry = retry or RetryPolicy()
        self.timeout_seconds = timeout_seconds
        self.slots = slots or LocalSlots(concurrency)
        self.client = client or AsyncOpenAI(
            api_key=api_key or PLACEHOLDER_API_KEY, base_url=base_url, timeout=timeout_seconds, max_retries=0
        )

    async def close(self) -> None:
        await self.client.close()
        await self.slots.close()

    async def edit(self, image: bytes, prompt: str, size: str, model: str | None = None) -> GeneratedImage:
        if not self.edits:
            return await self.generate(prompt, size, model)
        model_id = model or self.model

        def send() -> Awaitable[Any]:
            return self.client.images.edit(
                image=("source.png", image, "image/png"),
                prompt=prompt,
                model=model_id,
                size=size,
                n=1,
                **self._format(model_id),
            )

        return await self._call(model_id, send)

    async def generate(self, prompt: str, size: str, model: str | None = None) -> GeneratedImage:
        model_id = model or self.model

        def send() -> Awaitable[Any]:
            return self.client.images.generate(prompt=prompt, model=model_id, size=size, n=1, **self._format(model_id))

        return await self._call(model_id, send)

    @staticmethod
    def _format(model_id: str) -> dict[str, Any]:
        return {} if model_id.startswith("gpt-image") else {"response_format": "b64_json"}

    async def _call(self, model_id: str, send: Callable[[], Awaitable[Any]]) -> GeneratedImage:
        retries = 0
        while True:
            try:
                try:
                    async with self.slots.slot():
                        response = await self._send(model_id, send)
                except SlotsUnavailable as exc:  # no call was made
                    raise _Retryable(str(exc)) from None
                data = self._image_of(model_id, response)
                self._count(model_id, "ok")
                return GeneratedImage(data=data, model=str(getattr(response, "model", None) or model_id))
            except _Retryable as exc:
                retries += 1
                if retries > self.retry.max_retries:
                    raise ProviderError(
                        f"The {self.name} image model kept failing ({exc.reason}) after {retries} attempts."
                    ) from None
                wait = self.retry.delay(retries, exc.retry_after)
                log.warning("image call failed (%s); retry %d in %.2fs", exc.reason, retries, wait)
                await asyncio.sleep(wait)

    async def _send(self, model_id: str, send: Callable[[], Awaitable[Any]]) -> Any:
        """One HTTP attempt; transient failures as ``_Retryable``."""
        try:
            return await send()
        except openai.APITimeoutError:
            self._count(model_id, "timeout")
            raise _Retryable(f"timed out after {self.timeout_seconds:g}s") from None
        except openai.APIConnectionError as exc:
            self._count(model_id, "connection_error")
            raise _Retryable(f"connection error: {exc}") from None
        except openai.APIStatusError as exc:
            status = exc.status_code
            if status == 429 or status >= 500 or status == 408:
                self._count(model_id, "rate_limited" if status == 429 else "server_error")
                raise _Retryable(f"HTTP {status}", retry_after_seconds(exc.response.headers)) from None
            self._count(model_id, "client_error")
            raise ProviderError(
                f"The {self.name} image model refused the request (HTTP {status}): {_short(exc.message)}"
            ) from None

    def _image_of(self, model_id: str, response: Any) -> bytes:
        items = getattr(response, "data", None) or []
        encoded = getattr(items[0], "b64_json", None) if items else None
        if not encoded:
            self._count(model_id, "invalid_answer")
            raise ProviderError(f"The {self.name} image model answered without image data (b64_json).")
        try:
            data = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            self._count(model_id, "invalid_answer")
            raise ProviderError(f"The {self.name} image model answered image data that is not base64.") from None
        if not _looks_like_image(data):
            self._count(model_id, "invalid_answer")
            raise ProviderError(f"The {self.name} image model answered bytes that are not a PNG, JPEG or WebP image.")
        return data

    def _count(self, model_id: str, outcome: str) -> None:
        if self.metrics is not None:
            self.metrics.record(self.name, model_id, outcome)


def _looks_like_image(data: bytes) -> bool:
    """A cheap signature check on the loop; the job decodes the image for real off the loop."""
    return (
        data.startswith(PNG_SIGNATURE)
        or data.startswith(JPEG_SIGNATURE)
        or (data[:4] == WEBP_MARKERS[0] and data[8:12] == WEBP_MARKERS[1])
    )


def _short(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
