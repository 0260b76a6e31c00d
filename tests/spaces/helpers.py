"""What the spaces tests share: the document's sample request, a shop with members and a space, and reading what
was written."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import httpx
from sqlalchemy import func, select

from domain.accounts.models import Membership, User
from domain.db import NullDispatcher
from domain.mail.models import EmailNotification
from domain.spaces.models import Space, SpaceProductPost
from domain.spaces.requests import AddMember, CreateSpace
from domain.spaces.service import SpacesService
from domain.store.repository import StoreRepository
from resolvers.context import AppServices
from tests.support.factories import WorkspaceInfo, make_workspace

STORE_URL = "http://mystore.example.com"
PREFIX = "/swm/rs/v1"

# The document's sample request. Its multi-line strings are written as JSON strings (the sample as printed
# holds raw line breaks and unescaped quotes inside strings, which no JSON parser takes).
VARIANT_OPTIONS = """
 [
   {"optionName":"color",
    "optionValue":"Black",
    "optionId":"color",
    "optionValueId":0}
 ]"""
LINKED_PRODUCTS = """
 [
   {"configurationOptions": [
      "repositoryId":"confOpt10006",
      "product": {"repositoryId":"xprod2536"},
      "sku": {"repositoryId":"xsku2536_1"}]}
 ]"""
SAMPLE: dict[str, Any] = {
    "productTitle": "Samsung - F90BN Camcorder",
    "productPrice": "699.99",
    "productSalePrice": "596.89",
    "productUrl": "http://mystore.example.com/products/samsung-f90bn-camcorder/camcorder_1",
    "productProductId": "camcorder_1",
    "productSkuId": "camcordersku_1_2",
    "productVariantOptions": VARIANT_OPTIONS,
    "productLinkedProducts": LINKED_PRODUCTS,
    "productCurrencyCode": "USD",
    "notificationProductPrice": "$596.00",
    "productImageUrl": "http://mystore.example.com/images/?source=Samsung_F90BN.jpg",
    "productDesiredQuantity": 1,
}


def sample(**changes: Any) -> dict[str, Any]:
    """The sample with ``changes``; a change to ``...`` leaves the field out."""
    body = dict(SAMPLE)
    for key, value in changes.items():
        if value is ...:
            body.pop(key, None)
        else:
            body[key] = value
    return body


@dataclass
class Shop:
    """A workspace whose store is at STORE_URL, with members: the owner, alice and bob (staff, both in the space;
    bob opted in), carol (staff, not in the space) and vera (a viewer in the space)."""

    ws: WorkspaceInfo
    space_id: int
    alice: str  # access tokens
    bob: str
    carol: str
    vera: str
    emails: dict[str, str]

    def headers(self, token: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}"}

    def path(self, space_id: int | None = None, what: str = "products") -> str:
        return f"{PREFIX}/spaces/{self.space_id if space_id is None else space_id}/{what}"


async def make_shop(services: AppServices, *, max_products: int = 100, store_url: str | None = STORE_URL) -> Shop:
    ws = await make_workspace(services, name="Camera shop", plan="pro")
    tag = ws.workspace_id[:8]
    emails = {name: f"{name}-{tag}@example.com" for name in ("alice", "bob", "carol", "vera")}
    tokens: dict[str, str] = {}
    async with services.db.unit_of_work(NullDispatcher()) as uow:
        # Members written directly: AccountsService.add_member hashes a password, a good part of a second each.
        for name, email in emails.items():
            user = User(email=email, first_name=name.capitalize())
            uow.session.add(user)
            await uow.session.flush()
            role = "viewer" if name == "vera" else "staff"
            uow.session.add(Membership(workspace_id=ws.workspace_id, user_id=user.id, role=role))
            tokens[name] = services.tokens.issue_access_token(user.id, ws.workspace_id, 3600)
        if store_url is not None:
            await StoreRepository(uow.session).save_settings(ws.workspace_id, {"store_url": store_url})
        spaces = SpacesService(uow)
        space = await spaces.create_space_for(
            ws.workspace_id, CreateSpace(name="Gadget wishlist", max_products=max_products), ws.owner_user_id
        )
        for name, notify in (("alice", False), ("bob", True), ("vera", True)):
            await spaces.add_member_for(ws.workspace_id, space.id, AddMember(email=emails[name], notify=notify))
        space_id = space.id
    return Shop(ws, space_id, tokens["alice"], tokens["bob"], tokens["carol"], tokens["vera"], emails)


async def post(
    client: httpx.AsyncClient, shop: Shop, token: str, body: Any, space_id: int | None = None
) -> httpx.Response:
    content = body if isinstance(body, bytes | str) else json.dumps(body)
    headers = {**shop.headers(token), "content-type": "application/json"}
    return await client.post(shop.path(space_id), content=content, headers=headers)


async def counts(services: AppServices, workspace_id: str) -> tuple[int, int, int]:
    """(posts, the spaces' product counts summed, notifications) of the workspace."""
    async with services.read() as session:
        posts = await session.scalar(
            select(func.count()).select_from(SpaceProductPost).where(SpaceProductPost.workspace_id == workspace_id)
        )
        taken = await session.scalar(
            select(func.coalesce(func.sum(Space.product_count), 0)).where(Space.workspace_id == workspace_id)
        )
        mails = await session.scalar(
            select(func.count()).select_from(EmailNotification).where(EmailNotification.workspace_id == workspace_id)
        )
    return int(posts or 0), int(taken or 0), int(mails or 0)


async def stored_post(services: AppServices, workspace_id: str, content_id: str) -> SpaceProductPost:
    async with services.read() as session:
        found = await session.scalar(
            select(SpaceProductPost).where(
                SpaceProductPost.workspace_id == workspace_id, SpaceProductPost.id == int(content_id)
            )
        )
    assert found is not None
    return found
