"""Permissions, roles and API-key scopes: one mechanism for GraphQL and every REST surface.

A permission is ``area.resource.action`` with action ``read`` or ``manage``. Roles grant sets of them;
API-key scopes (``full``, ``read``, ``write``, ``<resource>:read``, ``<resource>:write``) map onto the same
set, so a check never needs to know what kind of credential it is looking at.
"""

from __future__ import annotations

from domain.errors import InvalidInput

RESOURCES: dict[str, tuple[str, ...]] = {
    "store": (
        "store",
        "products",
        "offers",
        "categories",
        "brands",
        "articles",
        "pages",
        "users",
        "settings",
        "analytics",
    ),
    "content": ("content",),
    "jobs": ("jobs",),
    "media": ("media",),
    "marketing": ("marketing", "spaces", "listing"),
    "workspace": ("members", "keys", "billing"),
}

ACTIONS = ("read", "manage")

ALL_PERMISSIONS: frozenset[str] = frozenset(
    f"{area}.{resource}.{action}"
    for area, resources in RESOURCES.items()
    for resource in resources
    for action in ACTIONS
)

RESOURCE_NAMES: frozenset[str] = frozenset(r for rs in RESOURCES.values() for r in rs)

ROLES = ("owner", "admin", "staff", "viewer")

_READ = frozenset(p for p in ALL_PERMISSIONS if p.endswith(".read"))
_STAFF_MANAGES = frozenset(
    p
    for p in ALL_PERMISSIONS
    if p.endswith(".manage") and p.split(".")[1] not in {"users", "settings", "members", "keys", "billing"}
)

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    "viewer": _READ,
    "staff": _READ | _STAFF_MANAGES,
    "admin": ALL_PERMISSIONS - {"workspace.billing.manage"},
    "owner": ALL_PERMISSIONS,
}


def permissions_for_role(role: str) -> frozenset[str]:
    try:
        return ROLE_PERMISSIONS[role]
    except KeyError:
        raise InvalidInput.field("role", f"Unknown role '{role}'. Use one of: {', '.join(ROLES)}.") from None


def permissions_for_scopes(scopes: list[str]) -> frozenset[str]:
    granted: set[str] = set()
    for scope in scopes:
        if scope == "full":
            granted |= ALL_PERMISSIONS
        elif scope == "read":
            granted |= _READ
        elif scope == "write":
            # Read / Write: everything but the workspace's own administration.
            granted |= {p for p in ALL_PERMISSIONS if not p.startswith("workspace.")} | _READ
        else:
            resource, _, action = scope.partition(":")
            for permission in ALL_PERMISSIONS:
                _area, res, act = permission.split(".")
                if res == resource and (act == "read" or action == "write"):
                    granted.add(permission)
    return frozenset(granted)


# The store dashboard's labels for resources, where they differ from ours.
RESOURCE_LABELS: dict[str, str] = {"article categories": "articles", "article_categories": "articles"}


def normalise_scope(scope: str) -> str:
    """A scope, or the store document's permission choice for it: "Full Access" → ``full``, "Read" →
    ``read``, "Products: Read" → ``products:read``, "Article Categories: Write" → ``articles:write``."""
    label = " ".join(scope.strip().lower().split())
    if label == "full access":
        return "full"
    resource, sep, action = (part.strip() for part in label.partition(":"))
    if not sep:
        return label
    return f"{RESOURCE_LABELS.get(resource, resource)}:{action}"


def validate_scopes(scopes: list[str]) -> list[str]:
    """Normalised, de-duplicated scopes; ``InvalidInput`` naming the first bad one.

    Accepts our scopes (``full``, ``read``, ``write``, ``products:read``) and the store document's
    permission choices ("Full Access", "Read", "Write", "Products: Read", "Offers: Write").
    """
    if not scopes:
        raise InvalidInput.field("scopes", "At least one scope is required (full, read, write or resource:action).")
    out: list[str] = []
    for scope in scopes:
        s = normalise_scope(scope)
        if s in {"full", "read", "write"}:
            pass
        else:
            resource, sep, action = s.partition(":")
            if not sep or resource not in RESOURCE_NAMES or action not in {"read", "write"}:
                raise InvalidInput.field(
                    "scopes",
                    f"Unknown scope '{scope}'. Use full, read, write, or <resource>:read|write with a resource "
                    f"among: {', '.join(sorted(RESOURCE_NAMES))}.",
                )
        if s not in out:
            out.append(s)
    return out
