"""Saved content configurations: rules for create, update, delete, list and lookup by id or name.

Rows a workspace creates are PRIVATE to it. PUBLIC configurations are built in (``defaults.PUBLIC_CONFIGS``),
visible to every workspace and read-only.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator

from domain.accounts.principal import Principal
from domain.base import utcnow
from domain.content.config_schema import ContentConfigBody, deep_merge, parse_content_config
from domain.content.defaults import BUILTIN_CREATED_AT, PUBLIC_CONFIGS, builtin_config_id
from domain.content.documents import InvalidConfiguration, parse_document
from domain.content.models import PRIVATE, PUBLIC, ContentConfig
from domain.content.repository import ContentRepository
from domain.errors import Conflict, InvalidInput, Loc, NotFound, PermissionDenied
from domain.paging import Page, PageRequest
from domain.validation import StrictCommand, rule_error

NAME_PATTERN = re.compile(r"^[a-z]{1,20}$")
MAX_PRIVATE_CONFIGS = 100
READ = "content.content.read"
MANAGE = "content.content.manage"
NOT_FOUND = "Content configuration not found."

Scope = Literal["PUBLIC", "PRIVATE"]


@dataclass(frozen=True)
class SavedConfig:
    """A configuration as every surface shows it, whether stored (PRIVATE) or built in (PUBLIC)."""

    config_id: str
    name: str
    description: str | None
    scope: str
    content_config: dict[str, Any]
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_row(cls, row: ContentConfig) -> SavedConfig:
        return cls(
            config_id=row.id,
            name=row.name,
            description=row.description,
            scope=row.scope,
            content_config=dict(row.content_config or {}),
            created_at=row.created_at,
            updated_at=row.updated_at,
        )


PUBLIC_SAVED: dict[str, SavedConfig] = {
    builtin_config_id(name): SavedConfig(
        config_id=builtin_config_id(name),
        name=name,
        description=spec["description"],
        scope=PUBLIC,
        content_config=spec["content_config"],
        created_at=BUILTIN_CREATED_AT,
        updated_at=BUILTIN_CREATED_AT,
    )
    for name, spec in PUBLIC_CONFIGS.items()
}


NAME_RULE = "Required; must match ^[a-z]{1,20}$ (1 to 20 lowercase letters)."
DESCRIPTION_RULE = "Must be a string of 1 to 256 characters, or null."


def _name(value: Any) -> str:
    if value is None:
        raise rule_error("required", NAME_RULE)
    if not isinstance(value, str) or not NAME_PATTERN.match(value):
        raise rule_error("pattern", NAME_RULE, pattern=NAME_PATTERN.pattern)
    return value


def _description(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise rule_error("string", DESCRIPTION_RULE)
    if not 1 <= len(value) <= 256:
        raise rule_error("between", DESCRIPTION_RULE, min=1, max=256)
    return value


def _private(value: Any) -> str:
    if value != PRIVATE:
        raise rule_error("in", "Configurations you create are PRIVATE.", values=[PRIVATE])
    return PRIVATE


def _config_object(value: Any) -> Any:
    if not isinstance(value, dict):
        raise rule_error("object", "Must be a JSON object.")
    return value


ConfigName = Annotated[str, BeforeValidator(_name)]
Description = Annotated[str | None, BeforeValidator(_description)]
ConfigBody = Annotated[ContentConfigBody, BeforeValidator(_config_object)]


class ConfigCommand(StrictCommand):
    """A saved configuration's body, created (POST) or replaced (PUT) whole."""

    name: ConfigName
    description: Description = None
    scope: Annotated[str, BeforeValidator(_private)] = PRIVATE
    content_config: ConfigBody
    config_id: Any = None  # the id a read shows; sent back, it is ignored


class ConfigChanges(StrictCommand):
    """Some fields of a saved configuration (GraphQL's update): the ones sent replace the stored ones."""

    name: ConfigName | None = None
    description: Description = None
    content_config: ConfigBody | None = None


_WORDS = {"unknown": "Unknown field.", "name:required": NAME_RULE, "content_config:required": "Required."}


def parse_config(data: Any) -> ConfigCommand:
    """A configuration body as ``ConfigCommand``, or ``InvalidConfiguration`` with every problem."""
    return parse_document(ConfigCommand, data, invalid=InvalidConfiguration, reword=_WORDS, unknown_fields="first")


def parse_config_changes(data: Any) -> ConfigChanges:
    return parse_document(ConfigChanges, data, invalid=InvalidConfiguration, reword=_WORDS, unknown_fields="first")


def _config_uuid(config_id: str) -> str | None:
    try:
        return str(uuid.UUID(config_id))
    except (ValueError, AttributeError, TypeError):
        return None


class ContentConfigService:
    def __init__(self, session: Any) -> None:
        self.repo = ContentRepository(session)

    async def page(self, principal: Principal, scope: Scope | None, request: PageRequest) -> Page[SavedConfig]:
        """The built-in configurations, then the workspace's own, oldest first."""
        principal.require(READ)
        public = list(PUBLIC_SAVED.values()) if scope in (None, PUBLIC) else []
        items = public[request.offset : request.offset + request.limit]
        total = len(public)
        if scope in (None, PRIVATE):
            total += await self.repo.count_configs(principal.workspace_id)
            if len(items) < request.limit:
                offset = max(0, request.offset - len(public))
                rows = await self.repo.list_configs(
                    principal.workspace_id, limit=request.limit - len(items), offset=offset
                )
                items.extend(SavedConfig.from_row(r) for r in rows)
        return Page(items, total, request.offset, request.limit)

    async def get(self, principal: Principal, config_id: str) -> SavedConfig:
        principal.require(READ)
        return await self.find(principal.workspace_id, config_id, by_name=False)

    async def find(self, workspace_id: str, ref: str, *, by_name: bool = True) -> SavedConfig:
        """A configuration by config_id (or, with ``by_name``, by name): the workspace's own, then built-in."""
        key = _config_uuid(ref)
        if key is not None:
            if key in PUBLIC_SAVED:
                return PUBLIC_SAVED[key]
            row = await self.repo.get_config(workspace_id, key)
            if row is not None:
                return SavedConfig.from_row(row)
        elif by_name:
            row = await self.repo.get_config_by_name(workspace_id, ref)
            if row is not None:
                return SavedConfig.from_row(row)
            for public in PUBLIC_SAVED.values():
                if public.name == ref:
                    return public
        raise NotFound(NOT_FOUND)

    async def resolve(
        self, workspace_id: str, ref: tuple[str, str] | None, inline: Any, loc: Loc
    ) -> tuple[dict[str, Any], SavedConfig | None]:
        """The configuration a job runs with: the saved one ``ref`` names (``(field, config_id or name)``,
        field relative to ``loc``'s parent), overridden part by part by ``inline`` (an object; anything else
        adds nothing), validated as a whole under ``loc``. Returns it with the saved configuration it started
        from. A ``ref`` that names nothing is bad input at ``(*loc[:-1], field)``."""
        saved = None
        if ref is not None:
            field, name = ref
            try:
                saved = await self.find(workspace_id, name)
            except NotFound:
                message = f"No saved configuration with id or name '{name}'."
                raise InvalidInput.field((*loc[:-1], field), message, rule="exists") from None
        override = parse_content_config(inline, loc) if isinstance(inline, dict) else {}
        merged = parse_content_config(deep_merge(saved.content_config if saved else {}, override), loc)
        return merged, saved

    async def own(self, principal: Principal, config_id: str) -> SavedConfig:
        """One of the workspace's own configurations, which the caller may change: ``PermissionDenied`` for a
        built-in one, ``NotFound`` for anything else."""
        principal.require(MANAGE)
        return SavedConfig.from_row(await self._own_row(principal, config_id))

    async def _own_row(self, principal: Principal, config_id: str) -> ContentConfig:
        key = _config_uuid(config_id)
        if key is not None and key in PUBLIC_SAVED:
            raise PermissionDenied("PUBLIC configurations are read-only.")
        row = await self.repo.get_config(principal.workspace_id, key) if key else None
        if row is None:
            raise NotFound(NOT_FOUND)
        return row

    async def _name_free(self, workspace_id: str, name: str, *, except_id: str | None = None) -> None:
        clash = await self.repo.get_config_by_name(workspace_id, name)
        if (clash is not None and clash.id != except_id) or any(p.name == name for p in PUBLIC_SAVED.values()):
            raise Conflict(f"A configuration named '{name}' already exists.", code="config_name_taken")

    async def create(self, principal: Principal, command: ConfigCommand) -> SavedConfig:
        principal.require(MANAGE)
        await self._name_free(principal.workspace_id, command.name)
        if await self.repo.count_configs(principal.workspace_id) >= MAX_PRIVATE_CONFIGS:
            raise Conflict(
                f"A workspace can keep at most {MAX_PRIVATE_CONFIGS} configurations.", code="config_limit_reached"
            )
        now = utcnow()
        row = ContentConfig(
            id=str(uuid.uuid4()),
            workspace_id=principal.workspace_id,
            name=command.name,
            description=command.description,
            scope=PRIVATE,
            content_config=command.content_config.normalised(),
            created_at=now,
            updated_at=now,
        )
        await self.repo.insert(row)
        return SavedConfig.from_row(row)

    async def replace(self, principal: Principal, config_id: str, command: ConfigCommand) -> SavedConfig:
        """Every field as ``command`` has it."""
        return await self._change(principal, config_id, command, ("name", "description", "content_config"))

    async def update(self, principal: Principal, config_id: str, changes: ConfigChanges) -> SavedConfig:
        """The fields ``changes`` was sent with; the others stay."""
        return await self._change(principal, config_id, changes, changes.model_fields_set)

    async def _change(
        self, principal: Principal, config_id: str, command: ConfigCommand | ConfigChanges, fields: Collection[str]
    ) -> SavedConfig:
        principal.require(MANAGE)
        row = await self._own_row(principal, config_id)
        if "name" in fields and command.name is not None:
            await self._name_free(principal.workspace_id, command.name, except_id=row.id)
            row.name = command.name
        if "description" in fields:
            row.description = command.description
        if "content_config" in fields and command.content_config is not None:
            row.content_config = command.content_config.normalised()
        row.updated_at = utcnow()
        await self.repo.flush()
        return SavedConfig.from_row(row)

    async def delete(self, principal: Principal, config_id: str) -> str:
        principal.require(MANAGE)
        row = await self._own_row(principal, config_id)
        deleted = row.id
        await self.repo.delete(row)
        return deleted
