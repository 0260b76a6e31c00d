"""The documented settings groups, each setting's type and default, and their validation.

Settings are stored flat as ``{group}_{setting}`` (``store_name``, ``xml-sitemap_enabled``); a setting never
written reads as its default. Group names contain no underscore, so the first ``_`` splits group from name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import available_timezones

from domain.errors import NotFound, Problems
from domain.store.locales import COUNTRY_CODES
from domain.validation import parse_lax_int

TIMEZONES = frozenset(available_timezones()) | {"UTC"}

MERCHANTS = ("amazon", "aliexpress", "ebay", "etsy", "walmart", "custom")
IMAGE_SOURCES = ("auto", "stock", "ai")


@dataclass(frozen=True)
class Setting:
    kind: str  # string, bool, int, country, countries, choice
    default: Any
    max_length: int = 255
    choices: tuple[str, ...] = ()
    minimum: int = 0
    maximum: int = 0


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
        # The IANA zone analytics days are counted in (``store_timezone``; read by the analytics ingestion).
        "timezone": Setting("timezone", "UTC"),
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


def require_group(group: str) -> dict[str, Setting]:
    try:
        return GROUPS[group]
    except KeyError:
        raise NotFound(f"Unknown settings group '{group}'.") from None


def coerce(setting: Setting, key: str, value: Any, problems: Problems) -> Any:
    """The value to store, or records why it is refused. ``null`` resets a setting to its default."""
    if value is None:
        return None
    if setting.kind == "string":
        if not isinstance(value, str):
            problems.add((key,), "string", "Must be a string.")
        elif len(value) > setting.max_length:
            max_length = setting.max_length
            problems.add((key,), "max_length", f"Must be at most {max_length} characters.", {"max": max_length})
        else:
            return value.strip()
    elif setting.kind == "bool":
        if not isinstance(value, bool):
            problems.add((key,), "boolean", "Must be true or false.")
        else:
            return value
    elif setting.kind == "int":
        number = parse_lax_int(value)
        low, high = setting.minimum, setting.maximum
        if number is None:
            problems.add((key,), "integer", "Must be an integer.")
        elif not low <= number <= high:
            problems.add((key,), "between", f"Must be between {low} and {high}.", {"min": low, "max": high})
        else:
            return number
    elif setting.kind == "country":
        if not isinstance(value, str) or value.upper() not in COUNTRY_CODES:
            problems.add((key,), "one_of", "Must be a country code.", {"values": sorted(COUNTRY_CODES)})
        else:
            return value.upper()
    elif setting.kind == "countries":
        if (
            not isinstance(value, list)
            or not value
            or any(not isinstance(v, str) or v.upper() not in COUNTRY_CODES for v in value)
        ):
            problems.add(
                (key,), "array_of", "Must be a non-empty array of country codes.", {"values": sorted(COUNTRY_CODES)}
            )
        else:
            return list(dict.fromkeys(v.upper() for v in value))
    elif setting.kind == "timezone":
        if not isinstance(value, str) or value not in TIMEZONES:
            problems.add((key,), "timezone", "Must be an IANA timezone (e.g. Europe/Berlin).")
        else:
            return value
    elif setting.kind == "choice":
        if value not in setting.choices:
            problems.add((key,), "one_of", "Must be one of the choices.", {"values": list(setting.choices)})
        else:
            return value
    return None


def read_changes(values: Mapping[str, Any], group: str | None = None) -> dict[str, Any]:
    """What to store for ``values``: flat ``{group}_{setting}`` keys, or ``group``'s keys without the prefix.
    Every key is checked first (unknown ones are refused on their own), then every value; nothing is
    returned unless all of them are good. Problems name the flat key (an unknown key: as sent)."""
    settings = require_group(group) if group is not None else None
    problems = Problems()
    known: dict[str, tuple[Setting, Any]] = {}
    for key, raw in values.items():
        if group is not None and settings is not None:
            split = (group, key) if key in settings else None
        else:
            split = split_key(key)
        if split is None:
            problems.add((key,), "unknown_setting", f"Unknown setting '{key}'.", {"key": key})
        else:
            known[flat_key(*split)] = (GROUPS[split[0]][split[1]], raw)
    problems.raise_if_any()
    out = {key: coerce(setting, key, raw, problems) for key, (setting, raw) in known.items()}
    problems.raise_if_any()
    return out
