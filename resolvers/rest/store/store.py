"""Store endpoints: status (public), info, stats (also ``/api/data/stats``), warnings, locales, clean; and
the analytics and AI-driven store operations that come later (501)."""

from __future__ import annotations

import logging
import re
from importlib import metadata

from starlette.responses import Response

from domain.store.commands import CleanCommand
from domain.store.service import StoreService
from resolvers.rest.store.dialect import Data, data, not_implemented
from resolvers.rest.store.store_json import (
    CleanJson,
    LocaleJson,
    StatusJson,
    StoreInfoJson,
    StoreStatsJson,
    WarningJson,
    locale_json,
    store_info_json,
    store_stats_json,
    warning_json,
)
from resolvers.rest.surface import Call, Method, Router

log = logging.getLogger(__name__)

router = Router(tags=["store"])
READ, MANAGE = "store.store.read", "store.store.manage"
LATER = {501: "Not available yet"}


def app_version() -> str:
    try:
        return metadata.version("shopwright")
    except metadata.PackageNotFoundError:  # pragma: no cover - always installed in practice
        return "0.0.0"


@router.get("/store/status", public=True, response=Data[StatusJson])
async def status(call: Call) -> Response:
    """No authentication: whether this service (and its database) answers."""
    try:
        up = await call.scope.read(lambda s: StoreService(s).is_up())  # public: no caller
    except Exception:  # a database that does not answer is the answer here, not an error
        log.warning("store status: the database does not answer", exc_info=True)
        up = False
    body: StatusJson = {"up": up}
    return data(body)


@router.get("/store/info", permission=READ, response=Data[StoreInfoJson])
async def info(call: Call) -> Response:
    """The store's name, URL, niche, countries and this service's version."""
    fallback = call.scope.services.public_base(call.base_url)
    found = await call.read(lambda s, p: StoreService(s).info(p, version=app_version(), fallback_url=fallback))
    return data(store_info_json(found))


@router.get("/store/stats", permission=READ, response=Data[StoreStatsJson])
async def stats(call: Call) -> Response:
    """How many brands, articles, products, categories and offers the store has."""
    return data(store_stats_json(await call.read(lambda s, p: StoreService(s).stats(p))))


@router.get("/data/stats", permission=READ, response=Data[StoreStatsJson])
async def data_stats(call: Call) -> Response:
    """The store's numbers (as ``/api/store/stats``)."""
    return await stats(call)


@router.get("/store/warnings", permission=READ, response=Data[list[WarningJson]])
async def warnings(call: Call) -> Response:
    """What stands between this store and working as intended, most important first."""
    found = await call.read(lambda s, p: StoreService(s).warnings(p))
    return data([warning_json(w) for w in found])


@router.get("/store/locales", permission=READ, response=Data[dict[str, LocaleJson]])
async def locales(call: Call) -> Response:
    """The countries the store sells in, by lower-case country code."""
    found = await call.read(lambda s, p: StoreService(s).locales(p))
    return data({code: locale_json(locale) for code, locale in found.items()})


@router.post("/store/clean", permission=MANAGE, response=Data[CleanJson], body_required=False)
async def clean(call: Call, body: CleanCommand) -> Response:
    """Delete what the store no longer needs: expired offers, offerless products, empty brands and categories
    (out-of-stock offers on request); how many of each went. No body: the default operations."""
    deleted = await call.write(lambda uow, p: StoreService(uow.session).clean(p, body))
    result: CleanJson = {"deleted": deleted}
    return data(result)


def _later(method: Method, path: str, operation: str, arrives_with: str = "the AI-driven store operations") -> None:
    """A documented operation that comes with a later feature: any caller with a key gets a clear 501."""

    async def handler(call: Call) -> Response:
        raise not_implemented(operation, arrives_with=arrives_with)

    handler.__name__ = handler.__qualname__ = re.sub(r"\W+", "_", path.replace("{id}", "one")).strip("_")
    handler.__doc__ = f"{operation}: not available yet; it arrives with {arrives_with}."
    router.route(method, path, responses=LATER)(handler)


_later("POST", "/store/regenerate-stock-texts", "Regenerating stock texts (AI)")
_later("POST", "/store/pick-logo-icon", "Picking a logo icon (AI)")
_later("POST", "/store/generate-logo", "Generating a logo (AI)")

for _path in (
    "/analytics/visits/summary",
    "/analytics/visits",
    "/analytics/visitors",
    "/analytics/visitors/{id}",
    "/analytics/pages",
    "/analytics/countries",
    "/analytics/devices",
    "/analytics/sources",
    "/analytics/clicks/summary",
    "/analytics/clicks",
    "/analytics/checkouts/summary",
    "/analytics/checkouts",
    "/analytics/actions",
):
    _later("GET", _path, f"Store analytics (GET /api{_path})", "the store analytics")
_later("GET", "/data/openai-tokens", "AI token usage (GET /api/data/openai-tokens)", "the store analytics")
