"""The listing studio's job kinds (``LISTING_KINDS``, registered by the composition root): one listing image, and
one product's listing copy. Their params are what the listing service stores when it submits them (after the
request was validated and the credits debited); the runner validates them again before the handler runs."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from domain.ai.images import AUTO, OFFLINE, ImageProviders, ModelNotConfigured
from domain.ai.ports import ProviderSet
from domain.jobs.registry import JobKind
from domain.listing import copy_job, image_job
from domain.listing.pricing import (
    AI_MODELS,
    COPY_COMPONENTS,
    COPY_CREDITS,
    COPY_TONES,
    IMAGE_PLATFORMS,
    SIZE_SURCHARGE,
    STYLES,
)


def _one_of(value: str, allowed: tuple[str, ...] | list[str], what: str) -> str:
    if value not in allowed:
        raise ValueError(f"unknown {what} {value!r}; use one of: {', '.join(allowed)}")
    return value


class ImageJobParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    product_id: int = Field(gt=0)
    style: str
    platform: str
    size: int
    primary_image_url: str | None = None
    custom_prompt: str | None = None
    context: str | None = None
    season: str | None = None
    ai_model: str = AUTO  # "auto" | "openai" | "gemini" (checked at submit: configured)
    credit_cost: int = Field(ge=0)

    @field_validator("style")
    @classmethod
    def _style(cls, value: str) -> str:
        return _one_of(value, list(STYLES), "style")

    @field_validator("platform")
    @classmethod
    def _platform(cls, value: str) -> str:
        return _one_of(value, IMAGE_PLATFORMS, "platform")

    @field_validator("size")
    @classmethod
    def _size(cls, value: int) -> int:
        if value not in SIZE_SURCHARGE:
            raise ValueError(f"size must be one of {', '.join(str(s) for s in SIZE_SURCHARGE)}")
        return value

    @field_validator("ai_model")
    @classmethod
    def _ai_model(cls, value: str) -> str:
        return _one_of(value, AI_MODELS, "aiModel")


class CopyJobParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    product_id: int = Field(gt=0)
    platform: str
    components: list[str] = Field(min_length=1)
    seed_keywords: list[str] = Field(default_factory=list)
    tone: str | None = None
    target_audience: str | None = None
    credit_cost: int = Field(ge=0)

    @field_validator("platform")
    @classmethod
    def _platform(cls, value: str) -> str:
        return _one_of(value, list(COPY_CREDITS), "platform")

    @field_validator("components")
    @classmethod
    def _components(cls, value: list[str]) -> list[str]:
        for item in value:
            _one_of(item, COPY_COMPONENTS, "component")
        return [c for c in COPY_COMPONENTS if c in value]

    @field_validator("tone")
    @classmethod
    def _tone(cls, value: str | None) -> str | None:
        return None if value is None else _one_of(value, COPY_TONES, "tone")


def check_ai_model(providers: ProviderSet, ai_model: str) -> str:
    """The image-model entry a request's ``aiModel`` runs on (``openai``, ``gemini``, or ``offline`` for ``auto``
    with none configured); ``ModelNotConfigured`` (400 ``model_not_configured``, naming the settings to set) for
    a named entry that is not configured."""
    images = providers.images if isinstance(providers, ProviderSet) and providers.images else ImageProviders()
    if ai_model == AUTO and not images.configured():
        return OFFLINE
    return images.resolve(ai_model)


LISTING_IMAGE = JobKind(
    name="listing.image",
    params=ImageJobParams,
    handler=image_job.run,
    description="Renders one listing image of a product in a style for a platform, with its compliance report.",
)
LISTING_COPY = JobKind(
    name="listing.copy",
    params=CopyJobParams,
    handler=copy_job.run,
    description="Writes a product's listing copy (title, bullets, description, keywords) for a platform.",
)
LISTING_KINDS: tuple[JobKind[Any], ...] = (LISTING_IMAGE, LISTING_COPY)

__all__ = [
    "LISTING_COPY",
    "LISTING_IMAGE",
    "LISTING_KINDS",
    "CopyJobParams",
    "ImageJobParams",
    "ModelNotConfigured",
    "check_ai_model",
]
