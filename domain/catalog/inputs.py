"""Field rules for catalog writes, shared by every surface.

A surface hands over the fields the caller sent (a dict); ``clean`` checks types and lengths and returns the
accepted values, or raises one ``InvalidInput`` listing every bad field (messages in the store document's
Laravel wording). Unknown fields are ignored, as the store API does.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlsplit

from domain.errors import InvalidInput

Kind = Literal["str", "url", "int", "bool", "num", "list", "dict", "int_list"]

INT_MAX = 2_147_483_647  # integer columns and ids are 32-bit on every backend


@dataclass(frozen=True)
class Rule:
    kind: Kind
    max_len: int | None = None
    required: bool = False
    nullable: bool = True


def _label(name: str) -> str:
    return name.replace("_", " ")


def _check(name: str, rule: Rule, value: Any) -> tuple[Any, str | None]:
    label = _label(name)
    if value is None:
        if rule.required or not rule.nullable:
            return None, f"The {label} field is required." if rule.required else f"The {label} field cannot be null."
        return None, None
    if rule.kind == "str":
        if not isinstance(value, str):
            return None, f"The {label} field must be a string."
        if rule.required and not value.strip():
            return None, f"The {label} field is required."
        if rule.max_len is not None and len(value) > rule.max_len:
            return None, f"The {label} field must not be greater than {rule.max_len} characters."
        return value, None
    if rule.kind == "url":
        # The document's "full URL to the product on the merchant site": an absolute http(s) URL.
        text, error = _check(name, Rule("str", rule.max_len, rule.required, rule.nullable), value)
        if error is not None or text is None:
            return text, error
        parts = urlsplit(text.strip())
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            return None, f"The {label} field must be a valid URL."
        return text, None
    if rule.kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            return None, f"The {label} field must be an integer."
        if not -INT_MAX <= value <= INT_MAX:
            return None, f"The {label} field must be between {-INT_MAX} and {INT_MAX}."
        return value, None
    if rule.kind == "bool":
        if isinstance(value, bool):
            return value, None
        if isinstance(value, int) and value in (0, 1):
            return bool(value), None
        return None, f"The {label} field must be true or false."
    if rule.kind == "num":
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            return None, f"The {label} field must be a number."
        return float(value), None
    if rule.kind == "list":
        if not isinstance(value, list):
            return None, f"The {label} field must be an array."
        return value, None
    if rule.kind == "dict":
        if not isinstance(value, dict):
            return None, f"The {label} field must be an object."
        return value, None
    if rule.kind == "int_list":
        if not isinstance(value, list) or any(
            isinstance(v, bool) or not isinstance(v, int) or not 0 < v <= INT_MAX for v in value
        ):
            return None, f"The {label} field must be an array of integer ids."
        if rule.max_len is not None and len(value) > rule.max_len:
            return None, f"The {label} field must not have more than {rule.max_len} items."
        return list(dict.fromkeys(value)), None
    raise AssertionError(rule.kind)


def raise_errors(errors: dict[str, list[str]]) -> None:
    if not errors:
        return
    first = next(iter(errors.values()))[0]
    extra = sum(len(v) for v in errors.values()) - 1
    message = first if extra == 0 else f"{first} (and {extra} more error{'s' if extra > 1 else ''})"
    raise InvalidInput(message, errors=errors)


def clean(rules: dict[str, Rule], values: dict[str, Any], *, partial: bool) -> dict[str, Any]:
    """The accepted fields. ``partial`` (an update) skips the required check for absent fields."""
    errors: dict[str, list[str]] = {}
    out: dict[str, Any] = {}
    for name, rule in rules.items():
        if name not in values:
            if rule.required and not partial:
                errors[name] = [f"The {_label(name)} field is required."]
            continue
        value, error = _check(name, rule, values[name])
        if error:
            errors[name] = [error]
        else:
            out[name] = value
    raise_errors(errors)
    return out


_TEXT = Rule("str")
_META = Rule("str", max_len=255)
_SLUG = Rule("str", max_len=255)

BRAND_RULES: dict[str, Rule] = {
    "title": Rule("str", max_len=255, required=True),
    "slug": _SLUG,
    "subtitle": _TEXT,
    "link_title": _TEXT,
    "content": _TEXT,
    "content_bottom": _TEXT,
    "meta_title": _META,
    "meta_keywords": _META,
    "meta_description": _TEXT,
    "enabled": Rule("bool", nullable=False),
}

CATEGORY_RULES: dict[str, Rule] = {
    "title": Rule("str", max_len=255, required=True),
    "slug": _SLUG,
    "parent_id": Rule("int"),
    "subtitle": _TEXT,
    "link_title": _TEXT,
    "content_top": _TEXT,
    "content_bottom": _TEXT,
    "meta_title": _META,
    "meta_keywords": _META,
    "meta_description": _TEXT,
    "enabled": Rule("bool", nullable=False),
    "sort_order": Rule("int", nullable=False),
}

PRODUCT_RULES: dict[str, Rule] = {
    "title": Rule("str", max_len=255, required=True),
    "slug": _SLUG,
    "subtitle": _TEXT,
    "link_title": _TEXT,
    "content": _TEXT,
    "content_bottom": _TEXT,
    "highlights": Rule("list", nullable=False),
    "summary": _TEXT,
    "meta_title": _META,
    "meta_keywords": _META,
    "meta_description": _TEXT,
    "review_quantity": Rule("int"),
    "review_score": Rule("num"),
    "enabled": Rule("bool", nullable=False),
    "in_sitemap": Rule("bool", nullable=False),
    "brand_id": Rule("int"),
    "upc": Rule("str", max_len=64),
    "ean": Rule("str", max_len=64),
    "isbn": Rule("str", max_len=64),
    "mpn": Rule("str", max_len=255),
    "main_image_url": Rule("str", max_len=2048),
    "generated": Rule("bool", nullable=False),
    # Content-service fields (the unified product); the store document does not list them.
    "external_product_code": Rule("str", max_len=255),
    "market": Rule("str", max_len=16),
    "language": Rule("str", max_len=16),
    "variant_group_id": Rule("str", max_len=255),
    "keywords": Rule("list", nullable=False),
    "attributes": Rule("dict", nullable=False),
    "reviews": Rule("list", nullable=False),
}

OFFER_RULES: dict[str, Rule] = {
    "merchant": Rule("str", max_len=255, required=True),
    "title": Rule("str", max_len=255, required=True),
    "uuid": Rule("str", max_len=255),
    "merchant_offer_id": Rule("str", max_len=255),
    "merchant_product_id": Rule("str", max_len=255),
    "summary": _TEXT,
    "features": Rule("list", nullable=False),
    "currency": Rule("str", max_len=10),
    "price": Rule("num"),
    "price_full": Rule("num"),
    "min_price": Rule("num"),
    "max_price": Rule("num"),
    "condition": Rule("str", max_len=50),
    "stock_available": Rule("bool", nullable=False),
    "enabled": Rule("bool", nullable=False),
    "locale": Rule("str", max_len=10),
    "images": Rule("list", nullable=False),
    "url_detail": Rule("url", max_len=2048, required=True),
}

MAX_SYNC_IDS = 1000
CATEGORY_IDS_RULE = {"category_ids": Rule("int_list", max_len=MAX_SYNC_IDS, required=True, nullable=False)}
PRODUCT_IDS_RULE = {"product_ids": Rule("int_list", max_len=MAX_SYNC_IDS, required=True, nullable=False)}
