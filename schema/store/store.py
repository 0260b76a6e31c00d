"""The store area's root fields: every store resource's queries and mutations, merged."""

from __future__ import annotations

from strawberry.tools import merge_types

from schema.store.article_categories import ArticleCategoryMutation, ArticleCategoryQuery
from schema.store.articles import ArticleMutation, ArticleQuery
from schema.store.pages import PageMutation, PageQuery
from schema.store.settings import SettingsMutation, SettingsQuery
from schema.store.users import StoreUserMutation, StoreUserQuery

StoreQuery = merge_types("StoreQuery", (ArticleQuery, ArticleCategoryQuery, PageQuery, StoreUserQuery, SettingsQuery))
StoreMutation = merge_types(
    "StoreMutation", (ArticleMutation, ArticleCategoryMutation, PageMutation, StoreUserMutation, SettingsMutation)
)
