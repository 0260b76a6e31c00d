"""Assets: every generated image, listed with filters; an editor approves or rejects each one."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, Field
from starlette.responses import Response
from typing_extensions import TypedDict

from domain.accounts.principal import Principal
from domain.db import UnitOfWork
from domain.listing.assets import AssetView, asset_ref
from domain.listing.models import ASSET_STATUSES
from domain.listing.pricing import IMAGE_PLATFORMS, STYLES
from domain.listing.repository import AssetFilter
from domain.listing.requests import product_id_of, product_ref
from domain.listing.service import MANAGE, READ
from domain.validation import rule_error
from resolvers.jsonenc import JSONResponse
from resolvers.rest.listing.dialect import PageQuery, zulu
from resolvers.rest.listing.images import job_ref
from resolvers.rest.listing.links import Links
from resolvers.rest.surface import Call, Router

router = Router(tags=["assets"])


class AssetJson(TypedDict):
    id: str
    productId: str
    jobId: str | None
    style: str
    platform: str
    width: int
    height: int
    status: str
    url: str | None
    renderer: str
    compliance: dict[str, Any]
    created_at: str | None
    reviewed_at: str | None


class AssetListJson(TypedDict):
    assets: list[AssetJson]
    total: int
    page: int


def _one_of(values: tuple[str, ...], what: str) -> BeforeValidator:
    def check(value: Any) -> Any:
        if value is not None and value not in values:
            raise rule_error("in", f"Unknown {what}. Use one of: {', '.join(values)}.", values=list(values))
        return value

    return BeforeValidator(check)


class AssetQuery(PageQuery):
    productId: Annotated[int | None, BeforeValidator(product_id_of), Field(description="prod_123")] = None
    platform: Annotated[str | None, _one_of(IMAGE_PLATFORMS, "platform")] = None
    style: Annotated[str | None, _one_of(tuple(STYLES), "style")] = None
    status: Annotated[
        str | None, _one_of(ASSET_STATUSES, "status"), Field(description="generated, approved, rejected")
    ] = None


class AssetPath(BaseModel):
    id: str = Field(description="asset_<uuid> (the bare uuid is taken too).")


def asset_json(view: AssetView, links: Links) -> AssetJson:
    asset = view.asset
    return {
        "id": asset_ref(asset.id),
        "productId": product_ref(asset.product_id),
        "jobId": job_ref(asset.job_id) if asset.job_id else None,
        "style": asset.style,
        "platform": asset.platform,
        "width": asset.width,
        "height": asset.height,
        "status": asset.status,
        "url": links.url(view.media) if view.media is not None else None,
        "renderer": asset.renderer,
        "compliance": asset.compliance or {},
        "created_at": zulu(asset.created_at),
        "reviewed_at": zulu(asset.reviewed_at),
    }


@router.get("/assets", permission=READ, response=AssetListJson)
async def list_assets(call: Call, query: AssetQuery) -> Response:
    """Generated, approved and rejected images, newest first; filter by productId, platform, style, status."""
    links = Links(call)
    f = AssetFilter(product_id=query.productId, platform=query.platform, style=query.style, status=query.status)
    found = await call.read(lambda s, p: links.service(s).assets(p, f, query.page, query.limit))
    return JSONResponse(
        AssetListJson(assets=[asset_json(v, links) for v in found.items], total=found.total, page=found.page)
    )


async def _review(call: Call, asset_id: str, approve: bool) -> Response:
    links = Links(call)

    async def review(uow: UnitOfWork, principal: Principal) -> AssetView:
        service = links.service(uow)
        return await service.asset_view(principal, await service.review_asset(principal, asset_id, approve))

    return JSONResponse(asset_json(await call.write(review), links))


@router.post("/assets/{id}/approve", permission=MANAGE, response=AssetJson)
async def approve_asset(call: Call, path: AssetPath) -> Response:
    """Approve an image: exports include it."""
    return await _review(call, path.id, True)


@router.post("/assets/{id}/reject", permission=MANAGE, response=AssetJson)
async def reject_asset(call: Call, path: AssetPath) -> Response:
    """Reject an image: exports leave it out (it can still be approved later)."""
    return await _review(call, path.id, False)
