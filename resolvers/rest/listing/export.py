"""Export: a ZIP of a product's approved images, one folder per platform, as a signed, expiring link."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, BeforeValidator, Field
from starlette.responses import Response
from typing_extensions import TypedDict

from domain.listing.requests import product_id_of
from domain.listing.service import READ
from resolvers.jsonenc import JSONResponse
from resolvers.rest.listing.dialect import zulu
from resolvers.rest.listing.links import Links
from resolvers.rest.surface import Call, Router

router = Router(tags=["export"])


class ExportPath(BaseModel):
    productId: Annotated[int, BeforeValidator(product_id_of), Field(description="prod_123 (or 123).")]


class ExportJson(TypedDict):
    downloadUrl: str
    expiresAt: str | None


@router.get(
    "/export/{productId}",
    permission=READ,
    response=ExportJson,
    responses={404: "No such product, or it has no approved images"},
)
async def export_product(call: Call, path: ExportPath) -> Response:
    """Build the ZIP of the product's approved images (<platform>/<style>_<asset id>.png) and link to it."""
    links = Links(call)
    # Read and zip first, store after: the write does no file reading while it holds the transaction.
    data = await call.read(lambda s, p: links.service(s).export_zip(p, path.productId))
    found = await call.write(lambda uow, p: links.service(uow).store_export(p, path.productId, data))
    return JSONResponse(ExportJson(downloadUrl=links.absolute(found.path), expiresAt=zulu(found.expires_at)))
