"""The store document's API key permission choices, mapped onto the backbone's API key scopes.

The dashboard offers "Full Access", "Read" / "Write" (broad), or per resource "Products: Read",
"Offers: Write" ... Each becomes a scope of ``domain.accounts.permissions`` (``full``, ``read``, ``write``,
``<resource>:read|write``), so the one permission check serves every surface.
"""

from __future__ import annotations

from domain.accounts.permissions import RESOURCES, validate_scopes
from domain.errors import InvalidInput

# Document label → our resource (article categories are part of the articles resource).
RESOURCE_LABELS: dict[str, str] = {
    **{r.replace("_", " "): r for r in RESOURCES["store"]},
    "article categories": "articles",
    "store": "store",
}


def scopes_for_choices(choices: list[str]) -> list[str]:
    """``["Products: Read", "Offers: Write"]`` → ``["products:read", "offers:write"]``; 422 for a label that
    names no resource or access."""
    scopes: list[str] = []
    for choice in choices:
        label = " ".join(choice.strip().lower().split())
        if label in ("full access", "full"):
            scopes.append("full")
        elif label in ("read", "write"):
            scopes.append(label)
        else:
            resource, sep, access = (part.strip() for part in label.partition(":"))
            if not sep or resource not in RESOURCE_LABELS or access not in ("read", "write"):
                raise InvalidInput.field(
                    "permissions",
                    f"Unknown permission '{choice}'. Use Full Access, Read, Write or '<Resource>: Read|Write'.",
                )
            scopes.append(f"{RESOURCE_LABELS[resource]}:{access}")
    return validate_scopes(scopes)
