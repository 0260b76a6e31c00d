"""The documented settings groups, each setting's type and default, and their validation.

Settings are stored flat as ``{group}_{setting}`` (``store_name``, ``xml-sitemap_enabled``); a setting never
written reads as its default. Group names contain no underscore, so the first ``_`` splits group from name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from domain.errors import NotFound
from domain.store.locales import COUNTRY_CODES
from domain.store.validation import Errors, parse_int

MERCHANTS = ("amazon", "aliexpress", "ebay", "etsy", "walmart", "custom")
IMAGE_SOURCES = ("auto", "stock", "ai")


@dataclass(frozen=True)
class Setting:
    kind: str  # string, bool, int, country, countries, choice
    default: Any
    max_length: int = 255
    choices: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None


def _s(default: str | None = None, max_length: int = 255) -> Setting:
    return Setting("string", default, max_length=max_length)


def _b(default: bool) -> Setting:
    return Setting("bool", default)


def _i(default: int, minimum: int, maximum: int) -> Setting:
    return Setting("int", default, minimum=minimum, maximum=maximum)


GROUPS: dict[str, dict[str, Setting]] = {
    "store": {
        # The store name defaults to the workspace's name (filled in by the service).
        "name": _s(None),
        "niche": _s(None),
        "url": _s(None, 2048),
        "live": _b(True),
        "default_country": Setting("country", "US"),
        "enabled_countries": Setting("countries", ["US"]),
        "cart_enabled": _b(False),
        "advanced_mode": _b(False),
        "contact_email": _s(None),
        "pexels_api_key": _s(None),
        "unsplash_api_key": _s(None),
        "pixabay_api_key": _s(None),
    },
    "offers": {
        **{f"{m}_enabled": _b(m == "amazon") for m in MERCHANTS},
        "amazon_affiliate_tag": _s(None),
        "show_price": _b(True),
        "show_stock": _b(True),
        "open_in_new_tab": _b(True),
    },
    "product": {
        "show_reviews": _b(True),
        "show_highlights": _b(True),
        "show_related": _b(True),
        "per_page": _i(24, 1, 100),
    },
    "traffic": {
        "google_analytics_id": _s(None),
        "google_site_verification": _s(None),
        "bing_site_verification": _s(None),
        "matomo_enabled": _b(True),
    },
    "article": {
        "show_author": _b(True),
        "show_published_at": _b(True),
        "show_related_products": _b(True),
        "per_page": _i(12, 1, 100),
    },
    "social": {
        "facebook_url": _s(None, 2048),
        "instagram_url": _s(None, 2048),
        "twitter_url": _s(None, 2048),
        "pinterest_url": _s(None, 2048),
        "youtube_url": _s(None, 2048),
        "tiktok_url": _s(None, 2048),
    },
    "template": {
        "name": Setting("choice", "crystal", choices=("crystal",)),
        "logo_icon": _s("shopping-bag"),
        "logo_url": _s(None, 2048),
        "primary_color": _s("#0f766e", 32),
        "image_source": Setting("choice", "auto", choices=IMAGE_SOURCES),
    },
    "xml-sitemap": {
        "enabled": _b(True),
        "include_products": _b(True),
        "include_categories": _b(True),
        "include_brands": _b(True),
        "include_articles": _b(True),
        "include_pages": _b(True),
    },
}


def flat_key(group: str, name: str) -> str:
    return f"{group}_{name}"


def split_key(key: str) -> tuple[str, str] | None:
    group, sep, name = key.partition("_")
    if not sep or group not in GROUPS or name not in GROUPS[group]:
        return None
    return group, name


def coerce(setting: Setting, key: str, value: Any, errors: Errors) -> Any:
    """The value to store, or records why it is refused. ``null`` resets a setting to its default."""
    if value is None:
        return None
    label = key.replace("_", " ")
    if setting.kind == "string":
        if not isinstance(value, str):
            errors.add(key, f"The {label} field must be a string.")
        elif len(value) > setting.max_length:
            errors.add(key, f"The {label} field must not be greater than {setting.max_length} characters.")
        else:
            return value.strip()
    elif setting.kind == "bool":
        if not isinstance(value, bool):
            errors.add(key, f"The {label} field must be true or false.")
        else:
            return value
    elif setting.kind == "int":
        number = parse_int(value)
        if number is None:
            errors.add(key, f"The {label} field must be an integer.")
        elif (setting.minimum is not None and number < setting.minimum) or (
            setting.maximum is not None and number > setting.maximum
        ):
            errors.add(key, f"The {label} field must be between {setting.minimum} and {setting.maximum}.")
        else:
            return number
    elif setting.kind == "country":
        if not isinstance(value, str) or value.upper() not in COUNTRY_CODES:
            errors.add(key, f"The {label} field must be one of: {', '.join(sorted(COUNTRY_CODES))}.")
        else:
            return value.upper()
    elif setting.kind == "countries":
        if (
            not isinstance(value, list)
            or not value
            or any(not isinstance(v, str) or v.upper() not in COUNTRY_CODES for v in value)
        ):
            errors.add(key, f"The {label} field must be a non-empty array of: {', '.join(sorted(COUNTRY_CODES))}.")
        else:
            return list(dict.fromkeys(v.upper() for v in value))
    elif setting.kind == "choice":
        if value not in setting.choices:
            errors.add(key, f"The {label} field must be one of: {', '.join(setting.choices)}.")
        else:
            return value
    return None


def validate_changes(changes: dict[str, tuple[str, str, Any]]) -> dict[str, Any]:
    """``{flat_key: (group, name, raw)}`` → ``{flat_key: stored value}``; 422 naming every bad key."""
    errors = Errors()
    out: dict[str, Any] = {}
    for key, (group, name, raw) in changes.items():
        out[key] = coerce(GROUPS[group][name], key, raw, errors)
    errors.raise_if_any()
    return out


def unknown_key(key: str, errors: Errors) -> None:
    errors.add(key, f"Unknown setting '{key}'.")


def require_group(group: str) -> dict[str, Setting]:
    try:
        return GROUPS[group]
    except KeyError:
        raise NotFound(f"Unknown settings group '{group}'.") from None
