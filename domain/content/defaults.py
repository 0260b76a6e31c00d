"""Built-in content types and the built-in PUBLIC configuration.

A requested content type is known when the request's (merged) ``content_config.content_types`` configures
it or when it is one of these built-ins; anything else is refused at submit time. A configured type's
missing fields fall back to the built-in ones of the same name.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

BUILTIN_CONTENT_TYPES: dict[str, dict[str, Any]] = {
    "title": {
        "family": "title",
        "task": "Write an e-commerce product title: brand, product name and the most important attributes.",
        "character_limit": 150,
    },
    "short_title": {
        "family": "title",
        "task": "Write a short e-commerce product title: brand and product name.",
        "character_limit": 60,
    },
    "long_title": {
        "family": "title",
        "task": "Write a long e-commerce product title with brand, product name and key attributes.",
        "character_limit": 200,
    },
    "meta_title": {
        "family": "title",
        "task": "Write an SEO page title for the product page.",
        "character_limit": 60,
    },
    "bullets": {
        "family": "bullets",
        "task": "Write 5 bullet points explaining the highlights of the product.",
        "character_limit": 250,
    },
    "short_bullets": {
        "family": "bullets",
        "task": "Write 3 short bullet points with the product's main highlights.",
        "character_limit": 120,
    },
    "desc": {
        "family": "string",
        "task": "Write a product description of about 150 words.",
        "character_limit": 1000,
    },
    "short_desc": {
        "family": "string",
        "task": "Write a short product description of two or three sentences.",
        "character_limit": 300,
    },
    "meta_description": {
        "family": "string",
        "task": "Write an SEO meta description for the product page.",
        "character_limit": 160,
    },
    "howtouse": {
        "family": "string",
        "task": "Explain how to use the product in a few short sentences.",
        "character_limit": 500,
    },
}

DEFAULT_BULLET_COUNT = 5
BUILTIN_CREATED_AT = datetime(2026, 1, 1, tzinfo=UTC)


def builtin_config_id(name: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"shopwright:content-config:{name}"))


# PUBLIC configurations are provided by the service, read-only, and visible to every workspace.
PUBLIC_CONFIGS: dict[str, dict[str, Any]] = {
    "default": {
        "description": "The built-in content types with their default tasks and character limits.",
        "content_config": {
            "content_types": {
                name: {"task": spec["task"], "character_limit": spec["character_limit"]}
                for name, spec in BUILTIN_CONTENT_TYPES.items()
            },
            "client": {
                "content_type_family_map": {name: spec["family"] for name, spec in BUILTIN_CONTENT_TYPES.items()}
            },
        },
    },
}
