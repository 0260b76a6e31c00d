"""The store's settings, content and users, for GraphQL and the store REST surface alike."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from importlib import metadata
from typing import Any, TypeVar

from sqlalchemy.exc import IntegrityError

from domain.accounts.principal import Principal
from domain.accounts.tokens import TokenService
from domain.db import UnitOfWork
from domain.errors import Conflict
from domain.store.content import ArticleCategoryView, ArticleView, ContentService, ListParams
from domain.store.models import Article, ArticleCategory, Page
from domain.store.service import StoreService, StoreWarning
from domain.store.users import StoreUser, StoreUsersService
from resolvers.context import AppServices

T = TypeVar("T")
WRITE_ATTEMPTS = 5


async def _writing(services: AppServices, work: Callable[[UnitOfWork], Awaitable[T]]) -> T:
    """One transaction, run again when a concurrent request took the same unique value first (a generated
    slug, a new user's email): the next attempt sees it and picks the next slug or returns the existing
    user. Repeated collisions are reported as a conflict (409), never as a server error."""
    for attempt in range(WRITE_ATTEMPTS):
        try:
            async with services.unit_of_work() as uow:
                return await work(uow)
        except IntegrityError:
            if attempt == WRITE_ATTEMPTS - 1:
                raise Conflict("A concurrent change got there first; retry the request.") from None
    raise AssertionError("unreachable")


def app_version() -> str:
    try:
        return metadata.version("shopwright")
    except metadata.PackageNotFoundError:  # pragma: no cover - always installed in practice
        return "0.0.0"


def login_links(services: AppServices) -> TokenService:
    return services.tokens


def public_url(services: AppServices) -> str | None:
    return services.public_url.rstrip("/") if services.public_url else None


# --- store ------------------------------------------------------------------------------------------


async def store_up(services: AppServices) -> bool:
    try:
        async with services.read() as session:
            return await StoreService(session).is_up()
    except Exception:
        return False


async def store_info(services: AppServices, principal: Principal, *, request_base_url: str) -> dict[str, Any]:
    async with services.read() as session:
        return await StoreService(session).info(
            principal, version=app_version(), fallback_url=public_url(services) or request_base_url
        )


async def store_stats(services: AppServices, principal: Principal) -> dict[str, int]:
    async with services.read() as session:
        return await StoreService(session).stats(principal)


async def store_warnings(services: AppServices, principal: Principal) -> list[StoreWarning]:
    async with services.read() as session:
        return await StoreService(session).warnings(principal)


async def store_locales(services: AppServices, principal: Principal) -> dict[str, dict[str, Any]]:
    async with services.read() as session:
        return await StoreService(session).locales(principal)


async def clean_store(services: AppServices, principal: Principal, operations: Any) -> dict[str, int]:
    async with services.unit_of_work() as uow:
        return await StoreService(uow.session).clean(principal, operations)


# --- settings ---------------------------------------------------------------------------------------


async def all_settings(services: AppServices, principal: Principal) -> dict[str, Any]:
    async with services.read() as session:
        return await StoreService(session).all_settings(principal)


async def group_settings(services: AppServices, principal: Principal, group: str) -> dict[str, Any]:
    async with services.read() as session:
        return await StoreService(session).group_settings(principal, group)


async def update_settings(services: AppServices, principal: Principal, body: Mapping[str, Any]) -> dict[str, Any]:
    async with services.unit_of_work() as uow:
        return await StoreService(uow.session).update_settings(principal, body)


async def update_group_settings(
    services: AppServices, principal: Principal, group: str, body: Mapping[str, Any]
) -> dict[str, Any]:
    async with services.unit_of_work() as uow:
        return await StoreService(uow.session).update_group(principal, group, body)


# --- articles -------------------------------------------------------------------------------------


async def list_articles(services: AppServices, principal: Principal, params: ListParams) -> tuple[list[Article], int]:
    async with services.read() as session:
        return await ContentService(session).list_articles(principal, params)


async def get_article(services: AppServices, principal: Principal, article_id: int) -> ArticleView:
    async with services.read() as session:
        return await ContentService(session).get_article(principal, article_id)


async def create_article(services: AppServices, principal: Principal, body: Mapping[str, Any]) -> ArticleView:
    return await _writing(services, lambda uow: ContentService(uow.session).create_article(principal, body))


async def update_article(
    services: AppServices, principal: Principal, article_id: int, body: Mapping[str, Any]
) -> ArticleView:
    async with services.unit_of_work() as uow:
        return await ContentService(uow.session).update_article(principal, article_id, body)


async def delete_article(services: AppServices, principal: Principal, article_id: int) -> None:
    async with services.unit_of_work() as uow:
        await ContentService(uow.session).delete_article(principal, article_id)


async def fill_empty_images(services: AppServices, principal: Principal, article_id: int) -> list[str]:
    async with services.unit_of_work() as uow:
        return await ContentService(uow.session).fill_empty_images(principal, article_id)


async def categories_of_articles(
    services: AppServices, principal: Principal, article_ids: list[int]
) -> dict[int, list[ArticleCategory]]:
    async with services.read() as session:
        return await ContentService(session).categories_of_articles(principal, article_ids)


# --- article categories ---------------------------------------------------------------------------


async def list_article_categories(
    services: AppServices, principal: Principal, params: ListParams
) -> tuple[list[ArticleCategoryView], int]:
    async with services.read() as session:
        return await ContentService(session).list_article_categories(principal, params)


async def get_article_category(services: AppServices, principal: Principal, category_id: int) -> ArticleCategoryView:
    async with services.read() as session:
        return await ContentService(session).get_article_category(principal, category_id)


async def article_categories_by_ids(
    services: AppServices, principal: Principal, ids: list[int]
) -> dict[int, ArticleCategory]:
    async with services.read() as session:
        return await ContentService(session).article_categories_by_ids(principal, ids)


async def create_article_category(
    services: AppServices, principal: Principal, body: Mapping[str, Any]
) -> ArticleCategoryView:
    return await _writing(services, lambda uow: ContentService(uow.session).create_article_category(principal, body))


async def update_article_category(
    services: AppServices, principal: Principal, category_id: int, body: Mapping[str, Any]
) -> ArticleCategoryView:
    async with services.unit_of_work() as uow:
        return await ContentService(uow.session).update_article_category(principal, category_id, body)


async def delete_article_category(services: AppServices, principal: Principal, category_id: int) -> None:
    async with services.unit_of_work() as uow:
        await ContentService(uow.session).delete_article_category(principal, category_id)


# --- pages ------------------------------------------------------------------------------------------


async def ensure_homepage(services: AppServices, principal: Principal) -> None:
    """The auto-created homepage page; a concurrent first request may have created it already."""
    try:
        async with services.unit_of_work() as uow:
            await ContentService(uow.session).ensure_homepage(principal)
    except IntegrityError:
        pass


async def list_pages(services: AppServices, principal: Principal, params: ListParams) -> tuple[list[Page], int]:
    await ensure_homepage(services, principal)
    async with services.read() as session:
        return await ContentService(session).list_pages(principal, params)


async def get_page(services: AppServices, principal: Principal, page_id: int) -> Page:
    async with services.read() as session:
        return await ContentService(session).get_page(principal, page_id)


async def create_page(services: AppServices, principal: Principal, body: Mapping[str, Any]) -> Page:
    return await _writing(services, lambda uow: ContentService(uow.session).create_page(principal, body))


async def update_page(services: AppServices, principal: Principal, page_id: int, body: Mapping[str, Any]) -> Page:
    async with services.unit_of_work() as uow:
        return await ContentService(uow.session).update_page(principal, page_id, body)


async def delete_page(services: AppServices, principal: Principal, page_id: int) -> None:
    async with services.unit_of_work() as uow:
        await ContentService(uow.session).delete_page(principal, page_id)


# --- users ------------------------------------------------------------------------------------------


async def list_users(
    services: AppServices, principal: Principal, page: int, per_page: int
) -> tuple[list[StoreUser], int]:
    async with services.read() as session:
        return await StoreUsersService(session).list_users(principal, page, per_page)


async def get_user(services: AppServices, principal: Principal, user_id: int) -> StoreUser:
    async with services.read() as session:
        return await StoreUsersService(session).get(principal, user_id)


async def create_user(services: AppServices, principal: Principal, body: Mapping[str, Any]) -> StoreUser:
    return await _writing(services, lambda uow: StoreUsersService(uow.session).create(principal, body))


async def update_user(services: AppServices, principal: Principal, user_id: int, body: Mapping[str, Any]) -> StoreUser:
    async with services.unit_of_work() as uow:
        return await StoreUsersService(uow.session).update(principal, user_id, body)


async def login_link(services: AppServices, principal: Principal, email: Any, *, request_base_url: str) -> str:
    """The magic link URL: the store's url setting, else SHOPWRIGHT_PUBLIC_URL, else the request's base URL."""
    async with services.read() as session:
        return await StoreUsersService(session, login_links(services)).login_link(
            principal, email, fallback_url=public_url(services) or request_base_url
        )


async def verify_login_link(services: AppServices, token: str) -> StoreUser:
    async with services.read() as session:
        return await StoreUsersService(session, login_links(services)).verify_login_link(token)


# --- for the per-request loaders (keys carry the workspace id) ------------------------------------------


async def categories_of_articles_in(
    services: AppServices, workspace_id: str, ids: Sequence[int]
) -> dict[int, list[ArticleCategory]]:
    async with services.read() as session:
        return await ContentService(session).categories_of_articles_in(workspace_id, list(ids))


async def article_categories_in(
    services: AppServices, workspace_id: str, ids: Sequence[int]
) -> dict[int, ArticleCategory]:
    async with services.read() as session:
        return await ContentService(session).article_categories_in(workspace_id, list(ids))


async def articles_counts_in(services: AppServices, workspace_id: str, ids: Sequence[int]) -> dict[int, int]:
    async with services.read() as session:
        return await ContentService(session).articles_counts_in(workspace_id, list(ids))
