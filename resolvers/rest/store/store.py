"""Store endpoints: status (public), info, stats (also ``/api/data/stats``), warnings, locales, clean. The
analytics are in ``resolvers.rest.store.analytics``, the AI operations in ``resolvers.rest.store.ai_ops``."""

from __future__ import annotations

import logging
from importlib import metadata

from starlette.responses import Response

from domain.store.commands import CleanCommand
from domain.store.service import StoreService
from resolvers.context import bearer_token
from resolvers.rest.store.dialect import Data, data
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
from resolvers.rest.surface import Call, Router

log = logging.getLogger(__name__)

router = Router(tags=["store"])
READ, MANAGE = "store.store.read", "store.store.manage"


def app_version() -> str:
    try:
        return metadata.version("shopwright")
    except metadata.PackageNotFoundError:  # pragma: no cover - always installed in practice
        return "0.0.0"


@router.get("/store/status", public=True, response=Data[StatusJson])
async def status(call: Call) -> Response:
    """Whether the store is online (public).

    With a key of the store: its ``live`` setting, read from a database that answers; a key that names no store
    is refused (401). Without a key no store is named (one service hosts many): whether this service and its
    database answer."""
    if bearer_token(call.request.headers, allow_x_api_key=call.surface.allow_x_api_key) is not None:
        principal = await call.principal()  # outside the try: a wrong key is the caller's error, not "down"
    else:
        principal = None
    try:
        if principal is None:
            up = await call.scope.read(lambda s: StoreService(s).is_up())
        else:
            workspace_id = principal.workspace_id
            values = await call.scope.read(lambda s: StoreService(s).all_settings_unchecked(workspace_id))
            up = bool(values["store_live"])
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
