"""Builds the AI providers from plain values (the composition root reads the settings and calls this)."""

from __future__ import annotations

import hashlib

from domain.ai.images import ImageProviders
from domain.ai.ports import ProviderSet
from domain.ai.service import DEFAULT_MODEL
from workers.ai.openai_images import OpenAIImageProvider
from workers.ai.openai_provider import OpenAITextProvider, ProviderMetrics, RetryPolicy
from workers.ai.slots import CallSlots, LocalSlots, SharedSlots


class ProviderConfigError(RuntimeError):
    """The AI configuration cannot work; raised at startup with a message that says how to fix it."""


def build_provider_set(
    *,
    mode: str,
    api_key: str | None,
    base_url: str | None,
    model: str | None,
    concurrency: int = 8,
    timeout_seconds: float = 60.0,
    max_retries: int = 4,
    backoff_seconds: float = 0.5,
    metrics: ProviderMetrics | None = None,
    redis_url: str | None = None,
    global_concurrency: int = 0,
) -> ProviderSet:
    """``openai``: needs OPENAI_API_KEY or OPENAI_BASE_URL. ``auto``: OpenAI when either is set, else
    offline. ``offline``: no text provider (the offline composer and ``provider_required`` errors).

    ``concurrency`` caps the calls in flight in this process; with ``redis_url`` and a ``global_concurrency``,
    every process using that Redis and provider also shares a cap of ``global_concurrency`` calls."""
    resolved_model = model or DEFAULT_MODEL
    configured = bool(api_key or base_url)
    if mode == "offline" or (mode == "auto" and not configured):
        return ProviderSet(text=None, model=resolved_model, model_pinned=bool(model))
    if mode not in ("openai", "auto"):
        raise ProviderConfigError(f"SHOPWRIGHT_AI_PROVIDER must be auto, openai or offline (got {mode!r}).")
    if not configured:
        raise ProviderConfigError(
            "SHOPWRIGHT_AI_PROVIDER=openai needs OPENAI_API_KEY (for api.openai.com) or OPENAI_BASE_URL "
            "(for an OpenAI-compatible server such as vLLM, Ollama or llama.cpp)."
        )
    provider = OpenAITextProvider(
        api_key=api_key,
        base_url=base_url,
        model=resolved_model,
        concurrency=concurrency,
        timeout_seconds=timeout_seconds,
        retry=RetryPolicy(max_retries=max_retries, backoff_seconds=backoff_seconds),
        metrics=metrics,
        slots=call_slots(concurrency, redis_url, global_concurrency, base_url),
    )
    return ProviderSet(text=provider, model=resolved_model, model_pinned=bool(model))


def call_slots(
    concurrency: int, redis_url: str | None, global_concurrency: int, base_url: str | None, *, pool: str = ""
) -> CallSlots:
    """The per-process cap, and the cap shared through Redis when there is one (one per provider endpoint and
    ``pool``: image calls, which run for tens of seconds, have their own so they never hold back text calls)."""
    local = LocalSlots(concurrency)
    if not redis_url or global_concurrency <= 0:
        return local
    endpoint = hashlib.sha256((base_url or "https://api.openai.com/v1").rstrip("/").encode()).hexdigest()[:16]
    key = f"shopwright:ai-slots:{endpoint}" + (f":{pool}" if pool else "")
    return SharedSlots(redis_url, key=key, limit=global_concurrency, local=local)


def build_image_providers(
    *,
    mode: str,
    openai_api_key: str | None,
    openai_base_url: str | None,
    openai_model: str | None,
    gemini_api_key: str | None,
    gemini_base_url: str,
    gemini_model: str | None,
    concurrency: int = 4,
    timeout_seconds: float = 180.0,
    max_retries: int = 4,
    backoff_seconds: float = 0.5,
    metrics: ProviderMetrics | None = None,
    redis_url: str | None = None,
) -> ImageProviders:
    """The image-model entries. ``openai``: configured when ``openai_model`` (SHOPWRIGHT_IMAGE_MODEL) is set with
    OPENAI_API_KEY or OPENAI_BASE_URL; ``gemini``: when ``gemini_model`` and ``gemini_api_key`` are set (its
    endpoint needs a key). ``mode`` ``offline`` (SHOPWRIGHT_AI_PROVIDER) configures none: no AI calls at all.
    Each entry caps its calls at ``concurrency`` per process, and across processes with Redis."""
    if mode == "offline":
        return ImageProviders()
    retry = RetryPolicy(max_retries=max_retries, backoff_seconds=backoff_seconds)

    def entry(name: str, api_key: str | None, base_url: str | None, model: str, edits: bool) -> OpenAIImageProvider:
        return OpenAIImageProvider(
            name=name,
            api_key=api_key,
            base_url=base_url,
            model=model,
            edits=edits,
            concurrency=concurrency,
            timeout_seconds=timeout_seconds,
            retry=retry,
            metrics=metrics,
            slots=call_slots(concurrency, redis_url, concurrency, base_url, pool="images"),
        )

    openai_entry = (
        entry("openai", openai_api_key, openai_base_url, openai_model, True)
        if openai_model and (openai_api_key or openai_base_url)
        else None
    )
    gemini_entry = (
        entry("gemini", gemini_api_key, gemini_base_url, gemini_model, False)
        if gemini_model and gemini_api_key
        else None
    )
    return ImageProviders(openai=openai_entry, gemini=gemini_entry)
