"""Store settings: all of them as flat ``{group}_{setting}`` keys, or one group's keys unprefixed."""

from __future__ import annotations

from typing import Any, cast

import strawberry
from strawberry.scalars import JSON

from domain.errors import DomainError, InvalidInput
from domain.store.service import StoreService
from schema.errors import Payload, user_errors
from schema.types import Info


@strawberry.type(description="Store settings: flat {group}_{setting} keys, or one group's keys unprefixed.")
class StoreSettings:
    group: str | None
    values: JSON


@strawberry.type
class StoreSettingsPayload(Payload):
    settings: StoreSettings | None = None


@strawberry.type
class SettingsQuery:
    @strawberry.field(description="All settings as flat {group}_{setting} keys, or one group's keys unprefixed.")
    async def store_settings(self, info: Info, group: str | None = None) -> StoreSettings:
        if group is None:
            values = await info.context.read(lambda s, p: StoreService(s).all_settings(p))
        else:
            values = await info.context.read(lambda s, p: StoreService(s).group_settings(p, group))
        return StoreSettings(group=group, values=cast(JSON, values))


@strawberry.type
class SettingsMutation:
    @strawberry.mutation(description="Save settings: flat {group}_{setting} keys, or a group's unprefixed keys.")
    async def update_store_settings(self, info: Info, values: JSON, group: str | None = None) -> StoreSettingsPayload:
        principal = await info.context.principal()
        try:
            if not isinstance(values, dict):
                raise InvalidInput.field("values", "Must be a JSON object.", rule="object")
            changes: dict[str, Any] = values
            saved = await info.context.scope.write(
                lambda uow: StoreService(uow.session).update_settings(principal, changes, group)
            )
        except DomainError as exc:
            # The errors name the keys of ``values`` as sent (they are settings, not GraphQL fields).
            return StoreSettingsPayload(user_errors=user_errors(exc, camel=False))
        return StoreSettingsPayload(settings=StoreSettings(group=group, values=cast(JSON, saved)))
