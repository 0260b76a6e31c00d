"""Products: the workspace's catalog products as the listing document shows them, and creating one from a title
and an image URL (the image is fetched and stored before the product is written)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, BeforeValidator, Field
from starlette.responses import Response
from typing_extensions import TypedDict

from domain.listing.products import ListingProduct
from domain.listing.requests import CreateProduct, product_id_of, product_ref
from domain.listing.service import PRODUCTS_MANAGE, PRODUCTS_READ, ListingService
from resolvers.jsonenc import JSONResponse
from resolvers.rest.listing.dialect import PageQuery, zulu
from resolvers.rest.listing.links import Links
from resolvers.rest.surface import Call, Router

router = Router(tags=["products"])


class ImageJson(TypedDict):
    url: str


class ProductJson(TypedDict):
    id: str
    title: str
    description: str | None
    category: str | None
    images: list[ImageJson]
    created_at: str | None


class ProductListJson(TypedDict):
    products: list[ProductJson]
    total: int
    page: int


class ProductPath(BaseModel):
    id: Annotated[int, BeforeValidator(product_id_of), Field(description="prod_123 (or 123).")]


def product_json(view: ListingProduct, links: Links) -> ProductJson:
    product = view.product
    return {
        "id": product_ref(product.id),
        "title": product.title,
        "description": product.content,
        "category": view.category,
        "images": [{"url": links.url(media)} for media in view.images],
        "created_at": zulu(product.created_at),
    }


@router.get("/products", permission=PRODUCTS_READ, response=ProductListJson)
async def list_products(call: Call, query: PageQuery) -> Response:
    """The workspace's products, newest first, with their images (signed links)."""
    links = Links(call)
    found = await call.read(lambda s, p: links.service(s).products(p, query.page, query.limit))
    return JSONResponse(
        ProductListJson(products=[product_json(v, links) for v in found.items], total=found.total, page=found.page)
    )


@router.get("/products/{id}", permission=PRODUCTS_READ, response=ProductJson)
async def get_product(call: Call, path: ProductPath) -> Response:
    """One product with its images."""
    links = Links(call)
    view = await call.read(lambda s, p: links.service(s).product(p, path.id))
    return JSONResponse(product_json(view, links))


@router.post(
    "/products",
    permission=PRODUCTS_MANAGE,
    status=201,
    response=ProductJson,
    responses={
        400: "A missing title, or an imageUrl that cannot be used (not http(s), private, not an image, too large)"
    },
)
async def create_product(call: Call, body: CreateProduct) -> Response:
    """Create a catalog product; imageUrl is downloaded and stored as its first image."""
    links = Links(call)
    await call.read(lambda s, p: links.service(s).check_access(p, PRODUCTS_MANAGE))
    image = await ListingService.fetch_image(links.services.media, body)  # before the write: no lock held
    view = await call.write(lambda uow, p: links.service(uow).create_product(p, body, image), retry_unique=True)
    return JSONResponse(product_json(view, links), status_code=201)
