"""What the domain needs from an AI text provider. The composition root builds the real one.

A provider answers one structured request: a system and a user message plus a JSON schema, and returns a
JSON object that matches the schema (``StructuredResult.data``) with the tokens it used. Providers retry
transient failures themselves; what reaches the caller is either a result or a ``ProviderError``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from domain.errors import DomainError, ProviderRequired

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
    ) -> StructuredResult:
        """One structured call. ``model`` overrides the provider's default model for this call."""
        ...


@dataclass(frozen=True)
class ProviderSet:
    """The providers a job handler receives as ``ctx.providers``. ``text`` is None when running offline."""

    text: TextProvider | None = None
    model: str = "gpt-4o-mini"
    # True when the operator set SHOPWRIGHT_LLM_MODEL: that model is used whatever a request names.
    model_pinned: bool = False

    @property
    def offline(self) -> bool:
        return self.text is None

    async def aclose(self) -> None:
        """Closes the providers' HTTP clients (for the composition root's shutdown)."""
        close = getattr(self.text, "close", None)
        if close is not None:
            await close()

    def require_text(self, task: str = "This task") -> TextProvider:
        """The text provider, or ``ProviderRequired`` for tasks that cannot be done honestly offline."""
        if self.text is None:
            raise ProviderRequired(
                f"{task} needs an AI provider; set OPENAI_API_KEY or OPENAI_BASE_URL (SHOPWRIGHT_AI_PROVIDER=openai)."
            )
        return self.text
