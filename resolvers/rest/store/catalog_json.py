"""The store dialect's catalog bodies and query parameters (shared by products, offers, categories, brands)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from domain.catalog.inputs import INT_MAX
from domain.catalog.models import Brand, Category, Offer, Product
from domain.catalog.rules import parse_sort
from domain.catalog.service import ProductRelations
from domain.catalog.taxonomy import CategoryCounts, TreeNode
from domain.errors import InvalidInput
from resolvers.catalog import Window
from resolvers.rest.store.common import page_params, paginated, ts


def query_bool(request: Request, name: str) -> bool | None:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return None
    value = raw.strip().lower()
    if value in ("1", "true"):
        return True
    if value in ("0", "false"):
        return False
    message = f"The {name.replace('_', ' ')} field must be true or false."
    raise InvalidInput(message, errors={name: [message]})


def query_int(request: Request, name: str) -> int | None:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return None
    if not raw.isdigit() or int(raw) > INT_MAX:
        message = f"The {name.replace('_', ' ')} field must be an integer."
        raise InvalidInput(message, errors={name: [message]})
    return int(raw)


def query_str(request: Request, name: str) -> str | None:
    raw = request.query_params.get(name)
    return raw if raw else None


def window(request: Request, resource: str) -> Window:
    page, per_page = page_params(request)
    sort = parse_sort(resource, request.query_params.get("sort_by"), request.query_params.get("sort_dir"))
    return Window(sort=sort, offset=(page - 1) * per_page, limit=per_page)


def paginated_window(request: Request, items: list[dict[str, Any]], total: int, w: Window) -> JSONResponse:
    """A catalog list page in the store dialect (``window`` turned page and per_page into offset and limit)."""
    return paginated(request, items, total=total, page=w.offset // w.limit + 1, per_page=w.limit)


def brand_json(brand: Brand, products_count: int | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": brand.id,
        "slug": brand.slug,
        "title": brand.title,
        "subtitle": brand.subtitle,
        "link_title": brand.link_title,
        "content": brand.content,
        "content_bottom": brand.content_bottom,
        "meta_title": brand.meta_title,
        "meta_keywords": brand.meta_keywords,
        "meta_description": brand.meta_description,
        "enabled": brand.enabled,
    }
    if products_count is not None:
        body["products_count"] = products_count
    body["created_at"] = ts(brand.created_at)
    body["updated_at"] = ts(brand.updated_at)
    return body


def category_json(category: Category, counts: CategoryCounts | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": category.id,
        "parent_id": category.parent_id,
        "slug": category.slug,
        "title": category.title,
        "subtitle": category.subtitle,
        "link_title": category.link_title,
        "content_top": category.content_top,
        "content_bottom": category.content_bottom,
        "meta_title": category.meta_title,
        "meta_keywords": category.meta_keywords,
        "meta_description": category.meta_description,
        "enabled": category.enabled,
        "sort_order": category.sort_order,
    }
    if counts is not None:
        body["products_count"] = counts.products.get(category.id, 0)
        body["children_count"] = counts.children.get(category.id, 0)
    body["created_at"] = ts(category.created_at)
    body["updated_at"] = ts(category.updated_at)
    return body


def tree_json(node: TreeNode, counts: CategoryCounts) -> dict[str, Any]:
    body = category_json(node.category, counts)
    body["children"] = [tree_json(child, counts) for child in node.children]
    return body


def offer_json(offer: Offer) -> dict[str, Any]:
    return {
        "id": offer.id,
        "uuid": offer.uuid,
        "merchant": offer.merchant,
        "merchant_offer_id": offer.merchant_offer_id,
        "merchant_product_id": offer.merchant_product_id,
        "title": offer.title,
        "summary": offer.summary,
        "features": offer.features,
        "currency": offer.currency,
        "price": offer.price,
        "price_full": offer.price_full,
        "min_price": offer.min_price,
        "max_price": offer.max_price,
        "condition": offer.condition,
        "stock_available": offer.stock_available,
        "enabled": offer.enabled,
        "locale": offer.locale,
        "images": offer.images,
        "url_detail": offer.url_detail,
        "created_at": ts(offer.created_at),
        "updated_at": ts(offer.updated_at),
    }


def product_json(product: Product, relations: ProductRelations | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": product.id,
        "slug": product.slug,
        "title": product.title,
        "subtitle": product.subtitle,
        "link_title": product.link_title,
        "content": product.content,
        "content_bottom": product.content_bottom,
        "highlights": product.highlights,
        "summary": product.summary,
        "meta_title": product.meta_title,
        "meta_keywords": product.meta_keywords,
        "meta_description": product.meta_description,
        "review_quantity": product.review_quantity,
        "review_score": product.review_score,
        "enabled": product.enabled,
        "in_sitemap": product.in_sitemap,
        "brand_id": product.brand_id,
        "analytics_visits": product.analytics_visits,
        "upc": product.upc,
        "ean": product.ean,
        "isbn": product.isbn,
        "mpn": product.mpn,
        "main_image_url": product.main_image_url,
        "generated": product.generated,
        # The unified product's content-service fields (not in the store document; see docs).
        "external_product_code": product.external_product_code,
        "market": product.market,
        "language": product.language,
        "variant_group_id": product.variant_group_id,
        "keywords": product.keywords,
        "attributes": product.attributes,
        "reviews": product.reviews,
        "created_at": ts(product.created_at),
        "updated_at": ts(product.updated_at),
    }
    if relations is not None:
        if "brand" in relations.included:
            brand = relations.brands.get(product.brand_id) if product.brand_id is not None else None
            body["brand"] = brand_json(brand) if brand is not None else None
        if relations.offers is not None:
            body["offers"] = [offer_json(o) for o in relations.offers.get(product.id, [])]
        if relations.categories is not None:
            body["categories"] = [category_json(c) for c in relations.categories.get(product.id, [])]
    return body
