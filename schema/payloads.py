"""Mutation payloads every area shares."""

from __future__ import annotations

import strawberry

from schema.errors import UserError


@strawberry.type(description="What a delete mutation answers: the deleted object's id, or what stopped it.")
class DeletePayload:
    deleted_id: strawberry.ID | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)
