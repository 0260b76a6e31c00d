"""Saved content configurations: the node type, the list, and create, update and delete."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any, Self

import strawberry
from strawberry.scalars import JSON

from domain.content.configs import ContentConfigService, SavedConfig, Scope, parse_config, parse_config_changes
from schema.errors import Payload, payload_mutation
from schema.from_model import FromModel
from schema.payloads import DeletePayload
from schema.relay import Connection, Node, list_connection, raw_id_for, to_global_id
from schema.types import Info


@strawberry.enum
class ContentConfigScope(Enum):
    PUBLIC = "PUBLIC"
    PRIVATE = "PRIVATE"


SCOPES: dict[ContentConfigScope, Scope] = {ContentConfigScope.PUBLIC: "PUBLIC", ContentConfigScope.PRIVATE: "PRIVATE"}


@strawberry.type(description="A saved content configuration: PRIVATE ones are the workspace's, PUBLIC are built in.")
class ContentConfig(Node, FromModel):
    config_id: str = strawberry.field(description="The id the REST surface uses (a UUID).")
    name: str
    description: str | None
    scope: ContentConfigScope
    content_config: JSON
    created_at: datetime
    updated_at: datetime

    @classmethod
    async def resolve_node(cls, info: Info, raw_id: str) -> Self:
        return cls.from_model(await info.context.read(lambda s, p: ContentConfigService(s).get(p, raw_id)))

    @classmethod
    def from_model(cls, model: SavedConfig) -> Self:
        return cls.build(
            model, id=to_global_id("ContentConfig", model.config_id), scope=ContentConfigScope(model.scope)
        )


def config_id_arg(value: str) -> str:
    """A configuration's global id or its config_id."""
    return raw_id_for("ContentConfig", value)


@strawberry.input(name="ContentConfigFilter")
class ContentConfigFilterInput:
    scope: ContentConfigScope | None = None

    def domain(self) -> Scope | None:
        return SCOPES[self.scope] if self.scope is not None else None


@strawberry.input
class ContentConfigInput:
    name: str = strawberry.field(description="^[a-z]{1,20}$")
    content_config: JSON
    description: str | None = None


@strawberry.input(description="Only the fields given change.")
class UpdateContentConfigInput:
    name: str | None = None
    description: str | None = None
    clear_description: bool = False
    content_config: JSON | None = None

    def changes(self) -> dict[str, Any]:
        """The fields to change, as the configuration's body names them."""
        out: dict[str, Any] = {}
        if self.name is not None:
            out["name"] = self.name
        if self.clear_description:
            out["description"] = None
        elif self.description is not None:
            out["description"] = self.description
        if self.content_config is not None:
            out["content_config"] = self.content_config
        return out


@strawberry.type
class ContentConfigPayload(Payload):
    content_config: ContentConfig | None = None


@strawberry.type
class ContentConfigQuery:
    @strawberry.field(description="Saved content configurations: the built-in ones, then the workspace's own.")
    async def content_configs(
        self, info: Info, first: int = 20, after: str | None = None, filter: ContentConfigFilterInput | None = None
    ) -> Connection[ContentConfig]:
        return await list_connection(
            info, ContentConfigService, ContentConfig.from_models, filter or ContentConfigFilterInput(), first, after
        )

    @strawberry.field(description="One content configuration by its global id or config_id.")
    async def content_config(self, info: Info, id: strawberry.ID) -> ContentConfig:
        return await ContentConfig.resolve_node(info, config_id_arg(id))


@strawberry.type
class ContentConfigMutation:
    @payload_mutation(camel=False)
    async def create_content_config(self, info: Info, input: ContentConfigInput) -> ContentConfigPayload:
        principal = await info.context.principal()
        command = parse_config(
            {"name": input.name, "description": input.description, "content_config": input.content_config}
        )
        saved = await info.context.scope.write(lambda uow: ContentConfigService(uow.session).create(principal, command))
        return ContentConfigPayload(content_config=ContentConfig.from_model(saved))

    @payload_mutation(camel=False)
    async def update_content_config(
        self, info: Info, id: strawberry.ID, input: UpdateContentConfigInput
    ) -> ContentConfigPayload:
        principal = await info.context.principal()
        changes = parse_config_changes(input.changes())
        saved = await info.context.scope.write(
            lambda uow: ContentConfigService(uow.session).update(principal, config_id_arg(id), changes)
        )
        return ContentConfigPayload(content_config=ContentConfig.from_model(saved))

    @payload_mutation(camel=False)
    async def delete_content_config(self, info: Info, id: strawberry.ID) -> DeletePayload:
        deleted = await info.context.write(
            lambda uow, p: ContentConfigService(uow.session).delete(p, config_id_arg(id))
        )
        return DeletePayload(deleted_id=to_global_id("ContentConfig", deleted))
