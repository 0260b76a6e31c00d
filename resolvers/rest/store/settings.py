"""Settings: flat ``{group}_{setting}`` keys, and per group with keys without the prefix."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field
from starlette.responses import Response
from typing_extensions import TypedDict

from domain.store.service import StoreService
from resolvers.jsonenc import JSONResponse
from resolvers.rest.store.dialect import Data, data
from resolvers.rest.surface import Call, Router

router = Router(tags=["settings"])
READ, MANAGE = "store.settings.read", "store.settings.manage"
SAVED = "Settings saved successfully."


class SavedJson(TypedDict):
    message: str
    data: dict[str, Any]


class GroupPath(BaseModel):
    group: str = Field(description="A settings group: store, offers, product, traffic, article, social, ...")


@router.get("/settings", permission=READ, response=Data[dict[str, Any]])
async def get_settings(call: Call) -> Response:
    """Every setting, as flat ``{group}_{setting}`` keys; a setting never written reads as its default."""
    return data(await call.read(lambda s, p: StoreService(s).all_settings(p)))


@router.patch("/settings", permission=MANAGE, response=SavedJson)
async def patch_settings(call: Call, body: dict[str, Any]) -> Response:
    """Save settings named by flat keys (``null`` resets one); every key and value is checked first."""
    values = await call.write(lambda uow, p: StoreService(uow.session).update_settings(p, body))
    saved: SavedJson = {"message": SAVED, "data": values}
    return JSONResponse(saved)


@router.get("/settings/{group}", permission=READ, response=Data[dict[str, Any]])
async def get_settings_group(call: Call, path: GroupPath) -> Response:
    """One group's settings, keys without the group prefix."""
    return data(await call.read(lambda s, p: StoreService(s).group_settings(p, path.group)))


@router.patch("/settings/{group}", permission=MANAGE, response=SavedJson)
async def patch_settings_group(call: Call, path: GroupPath, body: dict[str, Any]) -> Response:
    """Save one group's settings, keys without the group prefix."""
    values = await call.write(lambda uow, p: StoreService(uow.session).update_settings(p, body, path.group))
    saved: SavedJson = {"message": SAVED, "data": values}
    return JSONResponse(saved)
