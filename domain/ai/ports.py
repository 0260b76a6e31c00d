"""What the domain needs from an AI text provider. The composition root builds the real one.

A provider answers one structured request: a system and a user message plus a JSON schema, and returns a
JSON object that matches the schema (``StructuredResult.data``) with the tokens it used. Providers retry
transient failures themselves; what reaches the caller is either a result or a ``ProviderError``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from domain.errors import DomainError, ProviderRequired

if TYPE_CHECKING:
    from domain.ai.images import ImageProviders
    from domain.mail.ports import Mailer
    from domain.media.ports import MediaPorts
    from domain.media.stock import StockImages
    from domain.merchants.ports import MerchantPorts

__all__ = [
    "ProviderError",
    "ProviderRequired",
    "ProviderSet",
    "StructuredResult",
    "TextProvider",
    "Usage",
]


@dataclass(frozen=True)
class Usage:
    prompt_tokens: int = 0
    completion_tokens: int = 0

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def __add__(self, other: Usage) -> Usage:
        return Usage(self.prompt_tokens + other.prompt_tokens, self.completion_tokens + other.completion_tokens)


@dataclass(frozen=True)
class StructuredResult:
    data: dict[str, Any]
    usage: Usage
    model: str


class ProviderError(DomainError, status=502, code="provider_error"):
    """The provider kept failing (after its own retries) or answered with something unusable."""


class TextProvider(Protocol):
    name: str

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
        """One structured call. ``model`` overrides the provider's default model for this call; ``images``
        (data URLs) go with the user message, for a vision-capable model."""
        ...


@dataclass(frozen=True)
class ProviderSet:
    """The providers a job handler receives as ``ctx.providers``. ``text`` is None when running offline."""

    text: TextProvider | None = None
    model: str = "gpt-4o-mini"
    # True when the operator set SHOPWRIGHT_LLM_MODEL: that model is used whatever a request names.
    model_pinned: bool = False
    # The image models (listing images); None: none configured, Pillow draws every scene.
    images: ImageProviders | None = None
    # Media storage, signed URLs and the guarded image fetcher (jobs that read or write files).
    media: MediaPorts | None = None
    # The SMTP mailer (email notifications); None: SMTP is not configured, nothing is queued.
    mail: Mailer | None = None
    # The stock-photo libraries (store images: Pexels, Unsplash, Pixabay); keys are per store.
    stock: StockImages | None = None
    # The merchant catalog adapters and the credentials cipher (merchant imports); None: none built.
    merchants: MerchantPorts | None = None

    @property
    def offline(self) -> bool:
        return self.text is None

    async def aclose(self) -> None:
        """Closes the providers' HTTP clients (for the composition root's shutdown)."""
        close = getattr(self.text, "close", None)
        if close is not None:
            await close()
        if self.images is not None:
            await self.images.aclose()

    def require_text(self, task: str = "This task") -> TextProvider:
        """The text provider, or ``ProviderRequired`` for tasks that cannot be done honestly offline."""
        if self.text is None:
            raise ProviderRequired(
                f"{task} needs an AI provider; set OPENAI_API_KEY or OPENAI_BASE_URL (SHOPWRIGHT_AI_PROVIDER=openai)."
            )
        return self.text
