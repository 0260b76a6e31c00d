"""Which content types a channel takes in a locale, and the workspace's own channels.

Lookup for (channel, locale): the workspace's row for that locale, else its row for every locale (``*``), else
the built-in channel. A workspace row with a built-in channel's id replaces the built-in one where it applies;
removing the row brings the built-in one back. Channel ids compare exactly, as the document's requests give
them; a locale is ``<language>_<market>`` with the document's codes (``en_uk``; ``en-GB`` reads as ``en_gb``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import AfterValidator, Field, StringConstraints

from domain.accounts.principal import Principal
from domain.base import utcnow
from domain.content.channels.builtin import BUILTIN_CHANNELS, EVERY_LOCALE
from domain.content.channels.repository import ChannelRepository
from domain.content.config_schema import CONTENT_TYPE_PATTERN
from domain.content.configs import MANAGE, READ
from domain.content.documents import Document, parse_document
from domain.content.locales import LANGUAGES, MARKETS
from domain.content.models import ContentChannel
from domain.errors import Conflict, FieldError, InvalidInput, NotFound
from domain.validation import rule_error

CHANNEL_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$")
MAX_CONTENT_TYPES = 50
MAX_CHANNEL_ROWS = 500  # per workspace


class InvalidLocale(InvalidInput, status=400, code="bad_request"):
    """A locale that is not ``<language>_<market>`` with the document's codes."""


def locale_problem(raw: str) -> str:
    return (
        f"Unknown locale '{raw}': use <language>_<market> with the document's language and market codes "
        "(e.g. en_uk, de_de)."
    )


def normalise_locale(raw: str) -> str | None:
    """``en_uk`` for ``en_uk``, ``EN-UK`` or ``en-GB`` (as ``en_gb``); None when it is not a known locale."""
    language, sep, market = raw.strip().lower().replace("-", "_").partition("_")
    if not sep or language not in LANGUAGES or market not in MARKETS:
        return None
    return f"{language}_{market}"


def parse_locale(raw: str) -> str:
    """The locale a path names, or ``InvalidLocale`` (400)."""
    locale = normalise_locale(raw)
    if locale is None:
        raise InvalidLocale(errors=[FieldError(("locale",), "locale", locale_problem(raw))])
    return locale


def _channel_id(value: str) -> str:
    if not CHANNEL_PATTERN.match(value):
        raise rule_error(
            "pattern", "A channel id is 1 to 64 letters, digits, '_', '-' or '.', starting with a letter or digit."
        )
    return value


def _locale(value: str) -> str:
    if value == EVERY_LOCALE:
        return value
    locale = normalise_locale(value)
    if locale is None:
        raise rule_error("locale", locale_problem(value))
    return locale


def _content_types(value: list[str]) -> list[str]:
    for name in value:
        if not CONTENT_TYPE_PATTERN.match(name):
            raise rule_error("pattern", f"content type '{name}' must match {CONTENT_TYPE_PATTERN.pattern}")
    repeated = sorted({name for name in value if value.count(name) > 1})
    if repeated:
        raise rule_error("unique", f"content types listed twice: {', '.join(repeated)}")
    return value


class ChannelCommand(Document):
    """A workspace channel for one locale (or ``*``: every locale), added or replaced whole."""

    channel: Annotated[str, AfterValidator(_channel_id)]
    locale: Annotated[str, AfterValidator(_locale)] = EVERY_LOCALE
    content_types: Annotated[
        list[str], Field(min_length=1, max_length=MAX_CONTENT_TYPES), AfterValidator(_content_types)
    ]
    description: Annotated[str, StringConstraints(min_length=1, max_length=256)] | None = None


def parse_channel(data: Any) -> ChannelCommand:
    return parse_document(ChannelCommand, data)


@dataclass(frozen=True)
class Channel:
    """A channel's content types for a locale (``*``: every locale), built in or the workspace's own."""

    channel: str
    locale: str
    content_types: list[str]
    description: str | None
    built_in: bool

    @classmethod
    def from_row(cls, row: ContentChannel) -> Channel:
        return cls(row.channel, row.locale, list(row.content_types or []), row.description, built_in=False)


BUILTIN: list[Channel] = [
    Channel(c.channel, EVERY_LOCALE, list(c.content_types), c.description, built_in=True)
    for c in BUILTIN_CHANNELS.values()
]


class ChannelService:
    def __init__(self, session: Any) -> None:
        self.repo = ChannelRepository(session)

    async def content_types(self, principal: Principal, channel: str, locale: str) -> list[str]:
        """The content types ``channel`` takes in ``locale``: ``InvalidLocale`` (400) for a locale that is not
        one, ``NotFound`` for an unknown channel or one that does not serve the locale."""
        principal.require(READ)
        wanted = parse_locale(locale)
        rows = {row.locale: row for row in await self.repo.for_channel(principal.workspace_id, channel)}
        row = rows.get(wanted) or rows.get(EVERY_LOCALE)
        if row is not None:
            return list(row.content_types or [])
        builtin = BUILTIN_CHANNELS.get(channel)
        if builtin is not None:
            return list(builtin.content_types)
        if rows:
            raise NotFound(f"Channel '{channel}' has no content types for locale '{wanted}'.")
        raise NotFound(f"Unknown channel '{channel}'.")

    async def channels(self, principal: Principal) -> list[Channel]:
        """The built-in channels, then the workspace's own rows (by channel and locale)."""
        principal.require(READ)
        return [*BUILTIN, *(Channel.from_row(r) for r in await self.repo.all(principal.workspace_id))]

    async def put(self, principal: Principal, command: ChannelCommand) -> Channel:
        """Adds the workspace's channel for the locale, or replaces the one it has."""
        principal.require(MANAGE)
        row = await self.repo.get(principal.workspace_id, command.channel, command.locale)
        now = utcnow()
        if row is None:
            if await self.repo.count(principal.workspace_id) >= MAX_CHANNEL_ROWS:
                raise Conflict(
                    f"A workspace can keep at most {MAX_CHANNEL_ROWS} channel entries.", code="channel_limit_reached"
                )
            row = ContentChannel(
                workspace_id=principal.workspace_id,
                channel=command.channel,
                locale=command.locale,
                created_at=now,
            )
            self.repo.add(row)
        row.content_types = list(command.content_types)
        row.description = command.description
        row.updated_at = now
        await self.repo.flush()
        return Channel.from_row(row)

    async def remove(self, principal: Principal, channel: str, locale: str = EVERY_LOCALE) -> Channel:
        """Removes the workspace's channel entry for the locale (a built-in channel it replaced comes back)."""
        principal.require(MANAGE)
        key = locale if locale == EVERY_LOCALE else (normalise_locale(locale) or locale)
        row = await self.repo.get(principal.workspace_id, channel, key)
        if row is None:
            if channel in BUILTIN_CHANNELS:
                raise NotFound(f"Channel '{channel}' is built in; the workspace has no entry of its own for '{key}'.")
            raise NotFound(f"The workspace has no channel '{channel}' for locale '{key}'.")
        removed = Channel.from_row(row)
        await self.repo.delete(row)
        return removed
