"""Saved content configurations: rules for create, update, delete, list and lookup by id or name.

Rows a workspace creates are PRIVATE to it. PUBLIC configurations are built in (``defaults.PUBLIC_CONFIGS``),
visible to every workspace and read-only.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from domain.accounts.principal import Principal
from domain.base import utcnow
from domain.content.config_schema import BAD_REQUEST, validate_content_config
from domain.content.defaults import BUILTIN_CREATED_AT, PUBLIC_CONFIGS, builtin_config_id
from domain.content.models import PRIVATE, PUBLIC, SCOPES, ContentConfig
from domain.content.repository import ContentRepository
from domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied

NAME_PATTERN = re.compile(r"^[a-z]{1,20}$")
MAX_LIST = 100
MAX_PRIVATE_CONFIGS = 100
READ = "content.content.read"
MANAGE = "content.content.manage"
NOT_FOUND = "Content configuration not found."


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


@dataclass(frozen=True)
class ConfigFields:
    name: str
    description: str | None
    content_config: dict[str, Any]


def parse_config_body(body: Any) -> ConfigFields:
    """Validate a create/replace body: ``name``, ``description`` (1-256 or null), ``content_config``."""
    if not isinstance(body, dict):
        raise InvalidInput.field("body", "The request body must be a JSON object.", code=BAD_REQUEST)
    errors: dict[str, list[str]] = {}
    unknown = sorted(set(body) - {"name", "description", "content_config", "scope", "config_id"})
    for key in unknown:
        errors.setdefault(key, []).append("Unknown field.")
    name = body.get("name")
    if not isinstance(name, str) or not NAME_PATTERN.match(name):
        errors.setdefault("name", []).append("Required; must match ^[a-z]{1,20}$ (1 to 20 lowercase letters).")
    description = body.get("description")
    if description is not None and (not isinstance(description, str) or not 1 <= len(description) <= 256):
        errors.setdefault("description", []).append("Must be a string of 1 to 256 characters, or null.")
    scope = body.get("scope", PRIVATE)
    if scope != PRIVATE:
        errors.setdefault("scope", []).append("Configurations you create are PRIVATE.")
    content_config: dict[str, Any] = {}
    if "content_config" not in body:
        errors.setdefault("content_config", []).append("Required.")
    else:
        try:
            content_config = validate_content_config(body["content_config"])
        except InvalidInput as exc:
            errors.update(exc.errors)
    if errors:
        field, messages = next(iter(errors.items()))
        raise InvalidInput(f"Invalid content configuration: {field}: {messages[0]}", errors=errors, code=BAD_REQUEST)
    assert isinstance(name, str)
    return ConfigFields(name=name, description=description, content_config=content_config)


def _config_uuid(config_id: str) -> str | None:
    try:
        return str(uuid.UUID(config_id))
    except (ValueError, AttributeError, TypeError):
        return None


class ContentConfigService:
    def __init__(self, session: Any) -> None:
        self.repo = ContentRepository(session)

    async def list(self, principal: Principal, scope: str | None = None) -> list[SavedConfig]:
        principal.require(READ)
        if scope is not None and scope not in SCOPES:
            raise InvalidInput.field("scope", "scope must be PUBLIC or PRIVATE.", code=BAD_REQUEST)
        out: list[SavedConfig] = []
        if scope in (None, PUBLIC):
            out.extend(PUBLIC_SAVED.values())
        if scope in (None, PRIVATE):
            rows = await self.repo.list_configs(principal.workspace_id, limit=MAX_LIST)
            out.extend(SavedConfig.from_row(r) for r in rows)
        return out[:MAX_LIST]

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

    async def create(self, principal: Principal, body: Any) -> SavedConfig:
        principal.require(MANAGE)
        fields = parse_config_body(body)
        await self._name_free(principal.workspace_id, fields.name)
        if await self.repo.count_configs(principal.workspace_id) >= MAX_PRIVATE_CONFIGS:
            raise Conflict(
                f"A workspace can keep at most {MAX_PRIVATE_CONFIGS} configurations.", code="config_limit_reached"
            )
        now = utcnow()
        row = ContentConfig(
            id=str(uuid.uuid4()),
            workspace_id=principal.workspace_id,
            name=fields.name,
            description=fields.description,
            scope=PRIVATE,
            content_config=fields.content_config,
            created_at=now,
            updated_at=now,
        )
        self.repo.add(row)
        await self.repo.flush()
        return SavedConfig.from_row(row)

    async def replace(self, principal: Principal, config_id: str, body: Any) -> SavedConfig:
        principal.require(MANAGE)
        row = await self._own_row(principal, config_id)
        fields = parse_config_body(body)
        await self._name_free(principal.workspace_id, fields.name, except_id=row.id)
        row.name = fields.name
        row.description = fields.description
        row.content_config = fields.content_config
        row.updated_at = utcnow()
        await self.repo.flush()
        return SavedConfig.from_row(row)

    async def update(
        self,
        principal: Principal,
        config_id: str,
        *,
        name: str | None = None,
        description: str | None = None,
        clear_description: bool = False,
        content_config: dict[str, Any] | None = None,
    ) -> SavedConfig:
        """A partial update (GraphQL): the fields given replace the stored ones."""
        principal.require(MANAGE)
        row = await self._own_row(principal, config_id)
        body: dict[str, Any] = {
            "name": row.name if name is None else name,
            "description": None if clear_description else (row.description if description is None else description),
            "content_config": row.content_config if content_config is None else content_config,
        }
        return await self.replace(principal, row.id, body)

    async def delete(self, principal: Principal, config_id: str) -> str:
        principal.require(MANAGE)
        row = await self._own_row(principal, config_id)
        deleted = row.id
        await self.repo.delete(row)
        return deleted
