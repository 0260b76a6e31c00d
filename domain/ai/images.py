"""What the domain needs from an image model, and which image models are configured.

An image provider answers one request: a scene drawn from a source image and a prompt (``edit``), or from a
prompt alone (``generate``), as PNG bytes. Providers retry transient failures themselves; what reaches the
caller is a ``GeneratedImage`` or a ``ProviderError``. The composition root builds ``ImageProviders`` from the
settings (an entry is None when its settings are not all there) and hands it down as ``ProviderSet.images``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from domain.errors import DomainError

__all__ = [
    "AUTO",
    "GEMINI",
    "OFFLINE",
    "OPENAI",
    "GeneratedImage",
    "ImageProvider",
    "ImageProviders",
    "ModelNotConfigured",
]

AUTO = "auto"
OPENAI = "openai"
GEMINI = "gemini"
OFFLINE = "offline"  # no image model: Pillow draws every scene

# What an operator sets to configure each entry (named in the ``model_not_configured`` message).
ENTRY_SETTINGS: dict[str, str] = {
    OPENAI: "SHOPWRIGHT_IMAGE_MODEL (e.g. gpt-image-1) with OPENAI_API_KEY or OPENAI_BASE_URL",
    GEMINI: "SHOPWRIGHT_GEMINI_IMAGE_MODEL and SHOPWRIGHT_GEMINI_API_KEY (SHOPWRIGHT_GEMINI_BASE_URL has a default)",
}


class ModelNotConfigured(DomainError, status=400, code="model_not_configured"):
    """The request names an image model whose provider is not configured."""


@dataclass(frozen=True)
class GeneratedImage:
    data: bytes  # PNG
    model: str  # the model that drew it (as the provider reported it)


class ImageProvider(Protocol):
    name: str
    model: str
    # Whether the endpoint serves ``edit`` (draws from the source image); when it does not, ``edit`` generates
    # from the prompt alone, and callers that need the real product in the picture place it there themselves.
    edits: bool

    async def edit(self, image: bytes, prompt: str, size: str, model: str | None = None) -> GeneratedImage:
        """A new image drawn from ``image`` (PNG bytes) as ``prompt`` asks; ``size`` like ``"1024x1024"``."""
        ...

    async def generate(self, prompt: str, size: str, model: str | None = None) -> GeneratedImage:
        """A new image from ``prompt`` alone."""
        ...

    async def close(self) -> None: ...


@dataclass(frozen=True)
class ImageProviders:
    """The configured image models by entry name; None for an entry that is not configured."""

    openai: ImageProvider | None = None
    gemini: ImageProvider | None = None

    def configured(self) -> list[str]:
        return [name for name in (OPENAI, GEMINI) if self.get(name) is not None]

    def get(self, name: str) -> ImageProvider | None:
        if name == OPENAI:
            return self.openai
        if name == GEMINI:
            return self.gemini
        return None

    def resolve(self, ai_model: str) -> str:
        """The entry a request's ``aiModel`` runs on: ``auto`` is the first configured one (openai, then
        gemini), else ``offline``; a named entry must be configured (``ModelNotConfigured`` otherwise)."""
        if ai_model == AUTO:
            found = self.configured()
            return found[0] if found else OFFLINE
        if ai_model not in ENTRY_SETTINGS:
            raise ModelNotConfigured(f"Unknown aiModel '{ai_model}'; use auto, openai or gemini.")
        if self.get(ai_model) is None:
            raise ModelNotConfigured(
                f"The '{ai_model}' image model is not configured on this server; set {ENTRY_SETTINGS[ai_model]}, "
                "or use aiModel 'auto'."
            )
        return ai_model

    async def aclose(self) -> None:
        for provider in (self.openai, self.gemini):
            if provider is not None:
                await provider.close()
