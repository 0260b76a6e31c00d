"""The catalog's GraphQL: one file per resource (products, brands, categories, offers), merged here."""

from __future__ import annotations

from strawberry.tools import merge_types

from schema.catalog.brands import BrandMutation, BrandQuery
from schema.catalog.categories import CategoryMutation, CategoryQuery
from schema.catalog.offers import OfferMutation, OfferQuery
from schema.catalog.products import ProductMutation, ProductQuery
from schema.catalog.reviews import ProductReviewMutation

CatalogQuery = merge_types("CatalogQuery", (ProductQuery, BrandQuery, CategoryQuery, OfferQuery))
CatalogMutation = merge_types(
    "CatalogMutation", (ProductMutation, ProductReviewMutation, BrandMutation, CategoryMutation, OfferMutation)
)

__all__ = ["CatalogMutation", "CatalogQuery"]
