"""Spaces in GraphQL: ``spaces``, ``space(id)`` with its members and posts, the space mutations, and
``postProductToSpace`` — the same ``SpacesService`` calls and the same ``PostProduct`` command as
``POST /swm/rs/v1/spaces/{spaceId}/products``. Not being a member of the space is a top-level ``FORBIDDEN``
error (the document's 403.1), like a missing permission; bad input and ``MAX_PRODUCTS_REACHED`` are
``userErrors``."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from enum import Enum
from typing import Any, Self, TypeVar

import strawberry
from pydantic import BaseModel

from domain.errors import NotFound
from domain.mail.service import mail_configured
from domain.media.repository import MediaRepository
from domain.paging import MAX_PAGE_SIZE
from domain.spaces import models
from domain.spaces.repository import MemberView
from domain.spaces.requests import AddMember, CreateSpace, PostProduct, UpdateSpace
from domain.spaces.service import Posting, SpacesService
from domain.validation import parse_now
from schema.errors import Payload, payload_mutation
from schema.relay import Connection, Node, int_id, page_request, to_global_id
from schema.types import Info

M = TypeVar("M", bound=BaseModel)


async def _command(info: Info, model: type[M], data: object, *, partial: bool = False) -> M:
    """An input as the command the REST surface parses, keyed by the command's own (document) names, so its
    required fields and every rule apply alike. The caller is authenticated first."""
    await info.context.principal()
    values: dict[str, Any] = {}
    for field in dataclasses.fields(data):  # type: ignore[arg-type]
        value = getattr(data, field.name)
        if value is strawberry.UNSET:
            continue
        known = model.model_fields.get(field.name)
        values[known.alias if known is not None and known.alias else field.name] = (
            value.value if isinstance(value, Enum) else value
        )
    return parse_now(model, values, partial=partial)


def _space_id(value: strawberry.ID | str) -> int:
    return int_id("Space", str(value))


def posting(info: Info) -> Posting:
    services = info.context.services
    return Posting(
        public_base=services.public_base(str(info.context.request.base_url)),
        urls=services.media.urls,
        mail=mail_configured(services.providers),
        configured_public_url=services.public_url,
    )


@strawberry.enum
class SpaceRole(Enum):
    OWNER = models.OWNER
    MEMBER = models.MEMBER


@strawberry.type(description="A workspace member's place in a space.")
class SpaceMember:
    user_id: int
    email: str
    first_name: str | None
    last_name: str | None
    role: SpaceRole
    notify: bool = strawberry.field(description="Emailed when another member posts a product (opt-in).")
    active: bool = strawberry.field(description="Still a member of the workspace (only active members are emailed).")
    joined_at: datetime

    @classmethod
    def of(cls, view: MemberView) -> SpaceMember:
        return cls(
            user_id=view.user.id,
            email=view.user.email,
            first_name=view.user.first_name,
            last_name=view.user.last_name,
            role=SpaceRole(view.member.role),
            notify=view.member.notify,
            active=view.active,
            joined_at=view.member.created_at,
        )


@strawberry.type(description="A product posted to a space: every field of the space product post document.")
class SpaceProductPost:
    content_id: str = strawberry.field(description="The document's contentId.")
    posted_by_user_id: int | None = strawberry.field(description="The member who posted it (owns it).")
    product_title: str
    product_currency_code: str
    product_price: str
    product_sale_price: str
    product_url: str
    product_product_id: str
    product_sku_id: str
    product_variant_options: str
    product_linked_products: str | None
    product_desired_quantity: float | None
    product_image_url: str | None = strawberry.field(description="As posted (blank passes through).")
    notification_product_price: str | None
    image_media_id: str | None = strawberry.field(description="The uploaded image productImageUrl names, if any.")
    created_at: datetime
    workspace_id: strawberry.Private[str]

    @strawberry.field(
        description="The image to show: an uploaded image's link signed now (links expire), else productImageUrl."
    )
    async def image_url(self, info: Info) -> str | None:
        media_id = self.image_media_id
        if media_id is None:
            return self.product_image_url
        media = await info.context.read(lambda s, p: MediaRepository(s).get(self.workspace_id, media_id))
        if media is None:
            return self.product_image_url
        services = info.context.services
        return services.public_base(str(info.context.request.base_url)) + services.media.urls.sign(media).path

    @classmethod
    def of(cls, post: models.SpaceProductPost) -> SpaceProductPost:
        return cls(
            content_id=str(post.id),
            posted_by_user_id=post.user_id,
            product_title=post.product_title,
            product_currency_code=post.product_currency_code,
            product_price=post.product_price,
            product_sale_price=post.product_sale_price,
            product_url=post.product_url,
            product_product_id=post.product_product_id,
            product_sku_id=post.product_sku_id,
            product_variant_options=post.product_variant_options,
            product_linked_products=post.product_linked_products,
            product_desired_quantity=post.product_desired_quantity,
            product_image_url=post.product_image_url,
            notification_product_price=post.notification_product_price,
            image_media_id=post.image_media_id,
            created_at=post.created_at,
            workspace_id=post.workspace_id,
        )


@strawberry.type(description="A group of workspace members who post products to each other.")
class Space(Node):
    id: strawberry.ID
    space_id: int = strawberry.field(description="The id of /swm/rs/v1/spaces/{spaceId}/products.")
    name: str
    max_products: int = strawberry.field(description="Posts beyond this many are refused (403.4).")
    product_count: int = strawberry.field(description="Products posted so far.")
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, space: models.Space) -> Self:
        return cls(
            id=to_global_id("Space", space.id),
            space_id=space.id,
            name=space.name,
            max_products=space.max_products,
            product_count=space.product_count,
            created_at=space.created_at,
            updated_at=space.updated_at,
        )

    @classmethod
    async def resolve_node(cls, info: Info, raw_id: str) -> Self:
        space_id = int_id("Space", raw_id)
        return cls.of(await info.context.read(lambda s, p: SpacesService(s).space(p, space_id)))

    @strawberry.field(description="The members, in the order they joined.")
    async def members(self, info: Info) -> list[SpaceMember]:
        views = await info.context.read(lambda s, p: SpacesService(s).members(p, self.space_id))
        return [SpaceMember.of(v) for v in views]

    @strawberry.field(description=f"The products posted, newest first, at most {MAX_PAGE_SIZE} a page.")
    async def posts(self, info: Info, first: int = 20, after: str | None = None) -> Connection[SpaceProductPost]:
        request = page_request(first, after)
        page = await info.context.read(lambda s, p: SpacesService(s).posts(p, self.space_id, request))
        return Connection.of(page, SpaceProductPost.of)


@strawberry.input
class CreateSpaceInput:
    name: str
    max_products: int | None = strawberry.UNSET


@strawberry.input
class UpdateSpaceInput:
    name: str | None = strawberry.UNSET
    max_products: int | None = strawberry.UNSET


@strawberry.input
class AddSpaceMemberInput:
    user_id: int | None = strawberry.field(default=strawberry.UNSET, description="The workspace member's user id...")
    email: str | None = strawberry.field(default=strawberry.UNSET, description="...or their email.")
    role: SpaceRole | None = strawberry.UNSET
    notify: bool | None = strawberry.field(default=strawberry.UNSET, description="Opt them in to notifications.")


@strawberry.input(description="The space product post document's body; the same rules apply.")
class PostProductToSpaceInput:
    product_title: str | None = strawberry.UNSET
    product_currency_code: str | None = strawberry.UNSET
    product_price: str | None = strawberry.UNSET
    product_sale_price: str | None = strawberry.UNSET
    product_url: str | None = strawberry.UNSET
    product_product_id: str | None = strawberry.UNSET
    product_sku_id: str | None = strawberry.UNSET
    product_variant_options: str | None = strawberry.UNSET
    product_linked_products: str | None = strawberry.UNSET
    product_desired_quantity: float | None = strawberry.UNSET
    product_image_url: str | None = strawberry.UNSET
    notification_product_price: str | None = strawberry.UNSET


@strawberry.type
class SpacePayload(Payload):
    space: Space | None = None


@strawberry.type
class SpaceMemberPayload(Payload):
    member: SpaceMember | None = None


@strawberry.type
class RemoveSpaceMemberPayload(Payload):
    removed_user_id: int | None = None


@strawberry.type
class PostProductToSpacePayload(Payload):
    content_id: str | None = None
    post: SpaceProductPost | None = None
    email_config_missing: bool | None = strawberry.field(
        default=None, description="True: no mail server is configured, nobody was notified."
    )
    notified: int | None = strawberry.field(default=None, description="Notifications queued.")


async def _member_view(info: Info, space_id: int, user_id: int) -> SpaceMember:
    views = await info.context.read(lambda s, p: SpacesService(s).members(p, space_id))
    return next(SpaceMember.of(v) for v in views if v.user.id == user_id)


@strawberry.type
class SpacesQuery:
    @strawberry.field(
        description="The spaces the caller is a member of (workspace admins: every space), oldest first "
        "(marketing.spaces.read)."
    )
    async def spaces(self, info: Info, first: int = 20, after: str | None = None) -> Connection[Space]:
        request = page_request(first, after)
        page = await info.context.read(lambda s, p: SpacesService(s).spaces(p, request))
        return Connection.of(page, Space.of)

    @strawberry.field(description="A space by its global id or its spaceId; null when the caller cannot see it.")
    async def space(self, info: Info, id: strawberry.ID) -> Space | None:
        try:
            return await Space.resolve_node(info, str(id))
        except NotFound:
            return None


@strawberry.type
class SpacesMutation:
    @payload_mutation(description="Create a space; the caller is its first owner (marketing.spaces.manage).")
    async def create_space(self, info: Info, input: CreateSpaceInput) -> SpacePayload:
        command = await _command(info, CreateSpace, input)
        space = await info.context.write(lambda uow, p: SpacesService(uow).create_space(p, command))
        return SpacePayload(space=Space.of(space))

    @payload_mutation(description="Rename a space or change its max products (its owners, or workspace admins).")
    async def update_space(self, info: Info, id: strawberry.ID, input: UpdateSpaceInput) -> SpacePayload:
        space_id = _space_id(id)
        command = await _command(info, UpdateSpace, input, partial=True)
        space = await info.context.write(lambda uow, p: SpacesService(uow).update_space(p, space_id, command))
        return SpacePayload(space=Space.of(space))

    @payload_mutation(description="Add a workspace member to a space (its owners, or workspace admins).")
    async def add_space_member(
        self, info: Info, space_id: strawberry.ID, input: AddSpaceMemberInput
    ) -> SpaceMemberPayload:
        space = _space_id(space_id)
        command = await _command(info, AddMember, input)
        member = await info.context.write(lambda uow, p: SpacesService(uow).add_member(p, space, command))
        return SpaceMemberPayload(member=await _member_view(info, space, member.user_id))

    @payload_mutation(
        description="Remove a member from a space (its owners, or workspace admins; anyone may leave). "
        "The last owner cannot be removed."
    )
    async def remove_space_member(self, info: Info, space_id: strawberry.ID, user_id: int) -> RemoveSpaceMemberPayload:
        space = _space_id(space_id)
        await info.context.write(lambda uow, p: SpacesService(uow).remove_member(p, space, user_id))
        return RemoveSpaceMemberPayload(removed_user_id=user_id)

    @payload_mutation(description="Opt in to (or out of) email about other members' posts in the space.")
    async def set_space_notifications(self, info: Info, space_id: strawberry.ID, notify: bool) -> SpaceMemberPayload:
        space = _space_id(space_id)
        member = await info.context.write(lambda uow, p: SpacesService(uow).set_notifications(p, space, notify))
        return SpaceMemberPayload(member=await _member_view(info, space, member.user_id))

    @payload_mutation(
        description="Post a product to a space, as POST /swm/rs/v1/spaces/{spaceId}/products does "
        "(marketing.spaces.manage and membership of the space)."
    )
    async def post_product_to_space(
        self, info: Info, space_id: strawberry.ID, input: PostProductToSpaceInput
    ) -> PostProductToSpacePayload:
        space = _space_id(space_id)
        # Membership first (a top-level FORBIDDEN), as the REST surface answers 403.1 before the body's problems.
        await info.context.read(lambda s, p: SpacesService(s).member_of(p, space))
        command = await _command(info, PostProduct, input)
        context = posting(info)
        result = await info.context.write(lambda uow, p: SpacesService(uow).post_product(p, space, command, context))
        return PostProductToSpacePayload(
            content_id=str(result.post.id),
            post=SpaceProductPost.of(result.post),
            email_config_missing=result.email_config_missing,
            notified=result.notified,
        )
