"""Reading one Matomo tracking request (the Tracking HTTP API's query parameters) into a typed hit.

``read_hit`` checks what the tracker sent and refuses what Matomo refuses (``InvalidHit``): no ``idsite`` or
``rec=1``, a visitor id that is not 16 hex digits, an event without category or action, a non-numeric event
value or revenue, ``ec_items`` that are not Matomo's item arrays, a ``url`` that is not http(s), a ``cdt`` that
is malformed, in the future or older than 24 hours (Matomo wants ``token_auth`` for those, which this service
does not take). Parameters it does not use are kept in the raw hit and otherwise ignored, as Matomo does.

What kind of action a request records (Matomo's precedence): ``ping=1`` is a heartbeat (extends the visit, no
action); ``e_c``/``e_a`` an event; ``link`` an outlink; ``download`` a download; ``search`` a site search;
``idgoal=0`` with ``ec_id`` an ecommerce order (a checkout, no action); other ``idgoal`` requests (cart updates,
goals) and ``ca=1`` custom actions only keep the visit alive; anything else is a page view.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from domain.analytics.models import LABEL_MAX, PATH_MAX, TITLE_MAX, URL_MAX
from domain.validation import INT_MAX

HEX16 = re.compile(r"[0-9a-fA-F]{16}")
RESOLUTION = re.compile(r"[0-9]{1,5}x[0-9]{1,5}")
CDT_FORMAT = "%Y-%m-%d %H:%M:%S"
MAX_CDT_AGE = timedelta(hours=24)
MAX_CDT_AHEAD = timedelta(minutes=10)  # clocks drift; Matomo refuses the future too
MAX_ITEMS = 200
MAX_QUANTITY = 1_000_000  # per item: a cart's total must still fit an integer column
PARAM_MAX = 8192  # longer values are refused rather than cut: nothing a real tracker sends is this long


class InvalidHit(ValueError):
    """A tracking request Matomo would refuse; ``reason`` names what was wrong."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class EcommerceItem:
    sku: str
    name: str
    category: str
    price: float
    quantity: int

    def to_json(self) -> dict[str, Any]:
        return {"sku": self.sku, "name": self.name, "category": self.category, "price": self.price,
                "quantity": self.quantity}  # fmt: skip


@dataclass(frozen=True)
class Order:
    order_id: str
    revenue: float
    items: tuple[EcommerceItem, ...] = ()
    subtotal: float | None = None
    tax: float | None = None
    shipping: float | None = None
    discount: float | None = None


@dataclass(frozen=True)
class TrackedHit:
    site_id: int
    at: datetime  # when it happened (UTC)
    kind: str  # pageview, event, outlink, download, search, order, ping, other
    visitor_key: str | None  # 16 hex digits, from cid / uid / _id; None: fingerprint it
    user_id: str | None
    url: str | None
    referrer_url: str | None
    title: str | None
    event_category: str | None = None
    event_action: str | None = None
    event_name: str | None = None
    event_value: float | None = None
    search_keyword: str | None = None
    order: Order | None = None
    resolution: str | None = None
    language: str | None = None
    user_agent: str | None = None
    new_visit: bool = False
    first_visit_at: datetime | None = None  # ``_idts``
    product_sku: str | None = None  # ``_pks``: an ecommerce product view

    @property
    def is_action(self) -> bool:
        return self.kind in ("pageview", "event", "outlink", "download", "search")


def _text(params: Mapping[str, str], name: str, limit: int) -> str | None:
    value = params.get(name)
    if value is None:
        return None
    value = value.strip()
    return value[:limit] or None


def _number(params: Mapping[str, str], name: str) -> float | None:
    raw = params.get(name)
    if raw is None or raw.strip() == "":
        return None
    try:
        value = float(raw)
    except ValueError:
        raise InvalidHit(f"{name} is not a number") from None
    if not math.isfinite(value):
        raise InvalidHit(f"{name} is not a number")
    return value


def _http_url(params: Mapping[str, str], name: str, *, required_scheme: bool) -> str | None:
    value = _text(params, name, URL_MAX * 4)
    if value is None:
        return None
    try:
        parts = urlsplit(value)
    except ValueError:
        raise InvalidHit(f"{name} is not a URL") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        if required_scheme:
            raise InvalidHit(f"{name} is not an http(s) URL")
        return None  # a referrer such as android-app://... tells nothing we report
    return value[:URL_MAX]


def path_of(url: str | None) -> str | None:
    """The page label: the URL's path (``/products/example``), without query or fragment."""
    if not url:
        return None
    try:
        path = urlsplit(url).path or "/"
    except ValueError:
        return None
    return path[:PATH_MAX]


def _when(params: Mapping[str, str], received_at: datetime) -> datetime:
    raw = params.get("cdt")
    if raw is None or raw.strip() == "":
        return received_at
    raw = raw.strip()
    try:
        if re.fullmatch(r"[0-9]{9,11}(\.[0-9]+)?", raw):
            at = datetime.fromtimestamp(float(raw), UTC)
        else:
            at = datetime.strptime(raw, CDT_FORMAT).replace(tzinfo=UTC)
    except (ValueError, OverflowError, OSError):
        raise InvalidHit("cdt is not a datetime") from None
    if at > received_at + MAX_CDT_AHEAD:
        raise InvalidHit("cdt is in the future")
    if at < received_at - MAX_CDT_AGE:
        raise InvalidHit("cdt is older than 24 hours (needs token_auth)")
    return at


def _items(raw: str | None) -> tuple[EcommerceItem, ...]:
    if raw is None or raw.strip() == "":
        return ()
    try:
        data = json.loads(raw)
    except ValueError:
        raise InvalidHit("ec_items is not JSON") from None
    if not isinstance(data, list) or len(data) > MAX_ITEMS:
        raise InvalidHit("ec_items is not a list of items")
    items = []
    for entry in data:
        # [sku, name, category, price, quantity]; category may be a list of up to five categories.
        if not isinstance(entry, list) or not entry or not isinstance(entry[0], str | int):
            raise InvalidHit("ec_items holds an item that is not [sku, name, category, price, quantity]")
        padded = [*entry, "", "", 0, 1][:5] if len(entry) < 5 else entry[:5]
        sku, name, category, price, quantity = padded
        if isinstance(category, list):
            category = "/".join(str(c) for c in category if c)
        try:
            price_value = float(price or 0)
            quantity_value = int(float(quantity if quantity not in ("", None) else 1))
        except (TypeError, ValueError):
            raise InvalidHit("ec_items holds a price or quantity that is not a number") from None
        if not math.isfinite(price_value) or not 0 <= quantity_value <= MAX_QUANTITY:
            raise InvalidHit("ec_items holds a price or quantity out of range")
        items.append(
            EcommerceItem(
                str(sku)[:LABEL_MAX], str(name or "")[:LABEL_MAX], str(category or "")[:LABEL_MAX],
                price_value, quantity_value,
            )
        )  # fmt: skip
    return tuple(items)


def _visitor_key(params: Mapping[str, str], user_id: str | None) -> str | None:
    cid = params.get("cid")
    if cid:
        if not HEX16.fullmatch(cid):
            raise InvalidHit("cid is not 16 hexadecimal digits")
        return cid.lower()
    if user_id:
        # Matomo: the visitor id of a User ID is the first 16 hex digits of its SHA-1.
        return hashlib.sha1(user_id.encode()).hexdigest()[:16]
    visitor = params.get("_id")
    if visitor:
        if not HEX16.fullmatch(visitor):
            raise InvalidHit("_id is not 16 hexadecimal digits")
        return visitor.lower()
    return None


def fingerprint(site_id: int, ip: str | None, user_agent: str | None, language: str | None) -> str:
    """A visitor id for requests that carry none (Matomo's config id: the same address, browser and language
    are the same visitor)."""
    seed = f"{site_id}|{ip or ''}|{user_agent or ''}|{language or ''}"
    return hashlib.sha1(seed.encode()).hexdigest()[:16]


def _kind(params: Mapping[str, str], event: bool) -> str:
    if params.get("ping") == "1":
        return "ping"
    if event:
        return "event"
    if params.get("link"):
        return "outlink"
    if params.get("download"):
        return "download"
    if params.get("search"):
        return "search"
    if params.get("idgoal") not in (None, ""):
        return "order" if params.get("idgoal") == "0" and params.get("ec_id") else "other"
    if params.get("ca") == "1":
        return "other"
    return "pageview"


def read_hit(params: Mapping[str, str], received_at: datetime) -> TrackedHit:
    """The hit ``params`` describe, received at ``received_at``; ``InvalidHit`` when Matomo would refuse it."""
    for name, value in params.items():
        if len(value) > PARAM_MAX or len(name) > 64:
            raise InvalidHit(f"{name[:64]} is too long")
        if "\x00" in value or "\x00" in name:
            raise InvalidHit(f"{name[:64]} holds a NUL character")  # no database stores one in text
    raw_site = (params.get("idsite") or "").strip()
    if not raw_site.isdigit() or not 0 < int(raw_site) <= INT_MAX:
        raise InvalidHit("idsite is missing or not a site id")
    if params.get("rec") != "1":
        raise InvalidHit("rec is not 1")
    user_id = _text(params, "uid", 255)
    visitor_key = _visitor_key(params, user_id)
    category, action = _text(params, "e_c", LABEL_MAX), _text(params, "e_a", LABEL_MAX)
    has_event = "e_c" in params or "e_a" in params
    if has_event and not (category and action):
        raise InvalidHit("an event needs both e_c and e_a")
    kind = _kind(params, has_event)
    event_value = _number(params, "e_v") if has_event else None
    url = _http_url(params, "url", required_scheme=True)
    if kind == "outlink":
        url = _http_url(params, "link", required_scheme=True) or url
    elif kind == "download":
        url = _http_url(params, "download", required_scheme=True) or url
    order = None
    if kind == "order":
        revenue = _number(params, "revenue")
        order = Order(
            order_id=(params.get("ec_id") or "").strip()[:LABEL_MAX],
            revenue=revenue if revenue is not None else 0.0,
            items=_items(params.get("ec_items")),
            subtotal=_number(params, "ec_st"),
            tax=_number(params, "ec_tx"),
            shipping=_number(params, "ec_sh"),
            discount=_number(params, "ec_dt"),
        )
        if not order.order_id:
            raise InvalidHit("ec_id is empty")
    elif params.get("revenue"):
        _number(params, "revenue")
    first_visit = None
    idts = (params.get("_idts") or "").strip()
    if idts.isdigit() and 946_684_800 <= int(idts) <= received_at.timestamp() + 3600:
        first_visit = datetime.fromtimestamp(int(idts), UTC)
    resolution = (params.get("res") or "").strip()
    language = _text(params, "lang", 200)
    return TrackedHit(
        site_id=int(raw_site),
        at=_when(params, received_at),
        kind=kind,
        visitor_key=visitor_key,
        user_id=user_id,
        url=url,
        referrer_url=_http_url(params, "urlref", required_scheme=False),
        title=_text(params, "action_name", TITLE_MAX),
        event_category=category if has_event else None,
        event_action=action if has_event else None,
        event_name=_text(params, "e_n", LABEL_MAX) if has_event else None,
        event_value=event_value,
        search_keyword=_text(params, "search", LABEL_MAX) if kind == "search" else None,
        order=order,
        resolution=resolution if RESOLUTION.fullmatch(resolution) else None,
        language=language.split(",")[0].split(";")[0].strip()[:32] or None if language else None,
        user_agent=_text(params, "ua", 1024),
        new_visit=params.get("new_visit") == "1",
        first_visit_at=first_visit,
        product_sku=_text(params, "_pks", LABEL_MAX),
    )
