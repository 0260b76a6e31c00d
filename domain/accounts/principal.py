from __future__ import annotations

from dataclasses import dataclass

from domain.errors import PermissionDenied


@dataclass(frozen=True)
class Principal:
    """Who is calling, for which workspace, allowed to do what. Built once per request."""

    workspace_id: str
    permissions: frozenset[str]
    user_id: int | None = None
    api_key_id: str | None = None
    role: str | None = None
    scopes: tuple[str, ...] = ()
    # The API key's own requests a minute per rate-limited route group (0: unlimited); None: the group's limit.
    rate_limit_per_minute: int | None = None

    @property
    def kind(self) -> str:
        return "api_key" if self.api_key_id else "member"

    def can(self, permission: str) -> bool:
        return permission in self.permissions

    def require(self, permission: str) -> None:
        if permission not in self.permissions:
            write = permission.endswith(".manage")
            if write and permission.replace(".manage", ".read") in self.permissions:
                message = "This token does not have write access."
            else:
                message = f"Missing permission {permission}."
            raise PermissionDenied(message, permission=permission, write=write)
