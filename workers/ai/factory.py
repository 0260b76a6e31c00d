"""Builds the AI providers from plain values (the composition root reads the settings and calls this)."""

from __future__ import annotations

import hashlib

from domain.ai.ports import ProviderSet
from domain.ai.service import DEFAULT_MODEL
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


def call_slots(concurrency: int, redis_url: str | None, global_concurrency: int, base_url: str | None) -> CallSlots:
    """The per-process cap, and the cap shared through Redis when there is one (one per provider endpoint)."""
    local = LocalSlots(concurrency)
    if not redis_url or global_concurrency <= 0:
        return local
    endpoint = hashlib.sha256((base_url or "https://api.openai.com/v1").rstrip("/").encode()).hexdigest()[:16]
    return SharedSlots(redis_url, key=f"shopwright:ai-slots:{endpoint}", limit=global_concurrency, local=local)
