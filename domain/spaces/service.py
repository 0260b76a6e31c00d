"""The spaces' rules, for the REST surface (``/swm/rs/v1``), GraphQL and the CLI alike. Services never commit;
the caller owns the transaction, so a refused post writes nothing and queues no mail.

Who may do what:

- Reading a space (its posts, its members) takes ``marketing.spaces.read`` and being one of its members;
  workspace admins (``workspace.members.manage``) see every space.
- Posting a product, or uploading its image, takes ``marketing.spaces.manage`` and being a member of the
  space (``NotSpaceMember``, the document's 403.1). An API key acts for the member who created it.
- Managing a space (renaming it, its max products, adding and removing members) takes
  ``marketing.spaces.manage`` and being one of its owners, or a workspace admin. A member may leave a space
  and opt in or out of its notifications themselves. The last owner cannot leave.
- The operator's CLI acts for the workspace (``*_for`` methods): no principal, no checks but the rules.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from domain.accounts.models import User
from domain.accounts.principal import Principal
from domain.accounts.repository import AccountsRepository
from domain.db import UnitOfWork
from domain.errors import DomainError, InvalidInput, NotFound, PermissionDenied
from domain.mail.service import MailService
from domain.media.models import MediaFile
from domain.media.ports import MediaStorage
from domain.media.repository import MediaRepository
from domain.media.service import MediaService
from domain.media.urls import MAX_TTL_SECONDS, PATH_PREFIX, MediaUrls
from domain.paging import Page, PageRequest
from domain.spaces.models import MEMBER, OWNER, Space, SpaceMember, SpaceProductPost
from domain.spaces.notify import NOTIFICATION_KIND, PostMail, compose
from domain.spaces.repository import MemberView, SpacesRepository
from domain.spaces.requests import AddMember, CreateSpace, PostProduct, UpdateSpace
from domain.store.repository import StoreRepository

log = logging.getLogger(__name__)

READ = "marketing.spaces.read"
MANAGE = "marketing.spaces.manage"
ADMIN = "workspace.members.manage"
STORE_URL_KEY = "store_url"


class NotSpaceMember(PermissionDenied):
    """The caller is not a member of the space (the document's 403.1; GraphQL's FORBIDDEN)."""

    code = "not_space_member"


class MaxProductsReached(DomainError, status=403, code="max_products_reached"):
    """The space holds as many products as its max-products setting allows (the document's 403.4)."""


@dataclass(frozen=True)
class Posting:
    """What a post needs from the composition root: this service's public base URL (links to uploaded images),
    the configured public URL (``SHOPWRIGHT_PUBLIC_URL``: the store's domain when its ``store_url`` setting is
    unset; never the request's Host header, which the caller chooses), the media link signer, and whether a
    mailer is configured (``domain.mail.service.mail_configured``)."""

    public_base: str
    urls: MediaUrls
    mail: bool
    configured_public_url: str | None = None


@dataclass(frozen=True)
class PostResult:
    post: SpaceProductPost
    # No mailer is configured: nobody was notified (the document's emailConfigMissing).
    email_config_missing: bool
    notified: int


def host_of(url: str | None) -> str | None:
    """The host a URL names, lower case, without a trailing dot; None when it names none."""
    if not url:
        return None
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return None
    return host.rstrip(".").lower() if host else None


class SpacesService:
    def __init__(self, uow_or_session: UnitOfWork | AsyncSession) -> None:
        if isinstance(uow_or_session, UnitOfWork):
            self.uow: UnitOfWork | None = uow_or_session
            self.session = uow_or_session.session
        else:
            self.uow = None
            self.session = uow_or_session
        self.repo = SpacesRepository(self.session)

    # --- access -------------------------------------------------------------------------------------

    async def _space(self, workspace_id: str, space_id: int) -> Space:
        space = await self.repo.space(workspace_id, space_id)
        if space is None:
            raise NotFound(f"No space with id {space_id}.")
        return space

    async def _member(self, principal: Principal, space: Space) -> SpaceMember:
        """The caller's membership of ``space``; an API key is its creator's."""
        member = await self.repo.member(space.id, principal.user_id) if principal.user_id is not None else None
        if member is None:
            raise NotSpaceMember("The caller is not a member of this space.")
        return member

    async def _visible(self, principal: Principal, space_id: int) -> Space:
        principal.require(READ)
        space = await self._space(principal.workspace_id, space_id)
        if not principal.can(ADMIN):
            try:
                await self._member(principal, space)
            except NotSpaceMember:
                raise NotFound(f"No space with id {space_id}.") from None
        return space

    async def _managed(self, principal: Principal, space_id: int) -> Space:
        principal.require(MANAGE)
        space = await self._space(principal.workspace_id, space_id)
        if principal.can(ADMIN):
            return space
        member = await self._member(principal, space)
        if member.role != OWNER:
            raise PermissionDenied("Only the space's owners (or workspace admins) may manage it.")
        return space

    async def member_of(self, principal: Principal, space_id: int) -> tuple[Space, SpaceMember]:
        """The space and the caller's place in it, for posting: ``NotFound`` for no such space (another
        workspace's included), ``NotSpaceMember`` (403.1) for a caller who is not a member."""
        principal.require(MANAGE)
        space = await self._space(principal.workspace_id, space_id)
        return space, await self._member(principal, space)

    # --- reads --------------------------------------------------------------------------------------

    async def spaces(self, principal: Principal, request: PageRequest) -> Page[Space]:
        """The spaces the caller is a member of (every space of the workspace for admins), oldest first."""
        principal.require(READ)
        if principal.can(ADMIN):
            return await self.repo.spaces_page(principal.workspace_id, None, request)
        if principal.user_id is None:
            return Page([], 0, request.offset, request.limit)
        return await self.repo.spaces_page(principal.workspace_id, principal.user_id, request)

    async def spaces_for(self, workspace_id: str, request: PageRequest) -> Page[Space]:
        return await self.repo.spaces_page(workspace_id, None, request)

    async def space(self, principal: Principal, space_id: int) -> Space:
        return await self._visible(principal, space_id)

    async def members(self, principal: Principal, space_id: int) -> list[MemberView]:
        space = await self._visible(principal, space_id)
        return await self.repo.members(principal.workspace_id, space.id)

    async def members_for(self, workspace_id: str, space_id: int) -> list[MemberView]:
        space = await self._space(workspace_id, space_id)
        return await self.repo.members(workspace_id, space.id)

    async def posts(self, principal: Principal, space_id: int, request: PageRequest) -> Page[SpaceProductPost]:
        space = await self._visible(principal, space_id)
        return await self.repo.posts_page(principal.workspace_id, space.id, request)

    async def users(self, ids: list[int]) -> dict[int, User]:
        return await self.repo.users(ids)

    # --- managing spaces ----------------------------------------------------------------------------

    async def create_space(self, principal: Principal, command: CreateSpace) -> Space:
        """A space whose first owner is the caller (an API key's creator)."""
        principal.require(MANAGE)
        return await self.create_space_for(principal.workspace_id, command, principal.user_id)

    async def create_space_for(self, workspace_id: str, command: CreateSpace, owner_user_id: int | None) -> Space:
        assert command.name is not None
        if owner_user_id is not None:
            await self._workspace_member(workspace_id, owner_user_id, "owner")
        space = Space(
            workspace_id=workspace_id,
            name=command.name,
            max_products=command.max_products,
            product_count=0,
            created_by_user_id=owner_user_id,
        )
        await self.repo.insert(space)
        if owner_user_id is not None:
            await self.repo.insert(
                SpaceMember(workspace_id=workspace_id, space_id=space.id, user_id=owner_user_id, role=OWNER)
            )
        return space

    async def update_space(self, principal: Principal, space_id: int, command: UpdateSpace) -> Space:
        space = await self._managed(principal, space_id)
        if command.name is not None:
            space.name = command.name
        if command.max_products is not None:
            space.max_products = command.max_products
        await self.repo.flush()
        return space

    async def _workspace_member(self, workspace_id: str, user_id: int, field: str) -> User:
        accounts = AccountsRepository(self.session)
        found = await accounts.member_with_user(workspace_id, user_id)
        if found is None or found[1].deleted_at is not None:
            raise InvalidInput.field(field, "No member of this workspace has this id.", rule="exists")
        return found[0]

    async def _user_of(self, workspace_id: str, command: AddMember) -> int:
        if (command.user_id is None) == (command.email is None):
            raise InvalidInput.field("userId", "Name the workspace member by userId or by email (one of them).")
        if command.user_id is not None:
            await self._workspace_member(workspace_id, command.user_id, "userId")
            return command.user_id
        assert command.email is not None
        user = await AccountsRepository(self.session).get_user_by_email(command.email)
        if user is None:
            raise InvalidInput.field("email", "No member of this workspace has this email.", rule="exists")
        await self._workspace_member(workspace_id, user.id, "email")
        return user.id

    async def add_member(self, principal: Principal, space_id: int, command: AddMember) -> SpaceMember:
        space = await self._managed(principal, space_id)
        return await self._add(space, command)

    async def add_member_for(self, workspace_id: str, space_id: int, command: AddMember) -> SpaceMember:
        return await self._add(await self._space(workspace_id, space_id), command)

    async def _add(self, space: Space, command: AddMember) -> SpaceMember:
        user_id = await self._user_of(space.workspace_id, command)
        if await self.repo.member(space.id, user_id) is not None:
            raise InvalidInput.field("userId", "This member is already in the space.", rule="unique")
        member = SpaceMember(
            workspace_id=space.workspace_id,
            space_id=space.id,
            user_id=user_id,
            role=command.role,
            notify=command.notify,
        )
        try:
            async with self.session.begin_nested():
                await self.repo.insert(member)
        except IntegrityError:  # added by a concurrent request a moment ago
            raise InvalidInput.field("userId", "This member is already in the space.", rule="unique") from None
        return member

    async def remove_member(self, principal: Principal, space_id: int, user_id: int) -> None:
        """Owners and admins remove anyone; a member may remove themselves (leave)."""
        principal.require(MANAGE)
        space = await self._space(principal.workspace_id, space_id)
        if user_id != principal.user_id:
            await self._managed(principal, space_id)
        await self._remove(space, user_id)

    async def remove_member_for(self, workspace_id: str, space_id: int, user_id: int) -> None:
        await self._remove(await self._space(workspace_id, space_id), user_id)

    async def _remove(self, space: Space, user_id: int) -> None:
        member = await self.repo.member(space.id, user_id)
        if member is None:
            raise InvalidInput.field("userId", "This user is not a member of the space.", rule="exists")
        if member.role == OWNER and await self.repo.owners(space.id) <= 1:
            raise InvalidInput.field(
                "userId", "A space keeps at least one owner: add another owner first.", rule="last_owner"
            )
        await self.repo.remove_member(member)

    async def set_notifications(self, principal: Principal, space_id: int, notify: bool) -> SpaceMember:
        """The caller opts in to (or out of) email about other members' posts in the space."""
        principal.require(READ)
        space = await self._space(principal.workspace_id, space_id)
        member = await self._member(principal, space)
        member.notify = notify
        await self.repo.flush()
        return member

    # --- posting ------------------------------------------------------------------------------------

    async def post_product(
        self, principal: Principal, space_id: int, command: PostProduct, posting: Posting
    ) -> PostResult:
        """Post a product to the space, owned by the caller; in the same transaction, one notification for
        each other member who opted in (none, and ``email_config_missing``, when no mailer is configured)."""
        uow = self._require_uow()
        space, member = await self.member_of(principal, space_id)
        media_id = await self._image_media(principal.workspace_id, command.product_image_url, posting)
        if not await self.repo.take_place(space.id):
            raise MaxProductsReached(f"The space holds its maximum of {space.max_products} products.")
        post = SpaceProductPost(
            workspace_id=principal.workspace_id,
            space_id=space.id,
            user_id=member.user_id,
            product_title=command.product_title,
            product_currency_code=command.product_currency_code,
            product_price=command.product_price,
            product_sale_price=command.product_sale_price,
            product_url=command.product_url,
            product_product_id=command.product_product_id,
            product_sku_id=command.product_sku_id,
            product_variant_options=command.product_variant_options,
            product_linked_products=command.product_linked_products,
            product_desired_quantity=command.product_desired_quantity,
            product_image_url=command.product_image_url,
            notification_product_price=command.notification_product_price,
            image_media_id=media_id,
        )
        await self.repo.insert(post)
        if not posting.mail:
            return PostResult(post, email_config_missing=True, notified=0)
        recipients = [
            view
            for view in await self.repo.members(principal.workspace_id, space.id)
            if view.member.notify and view.active and view.member.user_id != member.user_id
        ]
        if not recipients:
            return PostResult(post, email_config_missing=False, notified=0)
        poster = (await self.repo.users([member.user_id])).get(member.user_id)
        mail = compose(
            PostMail(
                post=post,
                space_name=space.name,
                poster=_display_name(poster),
                image_url=await self._image_link(post, posting),
            )
        )
        mailer = MailService(uow)
        notified = 0
        for view in recipients:
            try:
                await mailer.queue(
                    principal.workspace_id,
                    kind=NOTIFICATION_KIND,
                    reference=str(post.id),
                    to=view.user.email,
                    subject=mail.subject,
                    text=mail.text,
                    html=mail.html,
                )
            except InvalidInput:
                # An address the mailer refuses (it writes nothing then) is that member's problem, not the post's.
                log.warning("space post %s: not notifying user %s, whose address is refused", post.id, view.user.id)
                continue
            notified += 1
        return PostResult(post, email_config_missing=False, notified=notified)

    async def _image_media(self, workspace_id: str, url: str | None, posting: Posting) -> str | None:
        """``productImageUrl``'s rule that needs the store: blank passes; a link to an image uploaded to this
        workspace (``upload_image``) names that file; anything else must be on the store's domain (the host of
        the ``store_url`` setting, else of the configured public URL; with neither there is no store domain)."""
        if not url or not url.strip():
            return None
        own = posting.public_base.rstrip("/") + PATH_PREFIX
        if url.startswith(own):
            try:
                signed = posting.urls.verify(url[len(own) :].split("?", 1)[0])
            except DomainError:
                signed = None
            if signed is not None and signed.workspace_id == workspace_id:
                media = await MediaRepository(self.session).get(workspace_id, signed.media_id)
                if media is not None:
                    return media.id
        settings = await StoreRepository(self.session).settings(workspace_id)
        store = host_of(settings.get(STORE_URL_KEY)) or host_of(posting.configured_public_url)
        if store is None:
            raise InvalidInput.field(
                "productImageUrl",
                "The store has no domain yet (set its url setting): only blank or an uploaded image's link is taken.",
                rule="store_domain",
            )
        if host_of(url) != store:
            raise InvalidInput.field(
                "productImageUrl",
                f"Must be on the store's domain ({store}): http(s)://{store}/...",
                rule="store_domain",
                params={"domain": store},
            )
        return None

    async def _image_link(self, post: SpaceProductPost, posting: Posting) -> str:
        """The image URL a notification shows: an uploaded image's link signed afresh for as long as links
        live (the one posted may expire before the mail is read), else ``productImageUrl`` as sent."""
        if post.image_media_id is not None:
            media = await MediaRepository(self.session).get(post.workspace_id, post.image_media_id)
            if media is not None:
                path = posting.urls.sign(media, ttl_seconds=MAX_TTL_SECONDS).path
                return posting.public_base.rstrip("/") + path
        return post.product_image_url or ""

    async def upload_image(self, principal: Principal, space_id: int, data: bytes, storage: MediaStorage) -> MediaFile:
        """Keep an image for a post (``MediaService.store_image``: it must decode as PNG, JPEG, WebP or GIF).
        Its problems are reported with the rule ``image``."""
        await self.member_of(principal, space_id)
        try:
            return await MediaService(self.session, storage).store_image(principal.workspace_id, data, field="file")
        except InvalidInput as exc:
            raise InvalidInput(errors=[replace(e, rule="image") for e in exc.field_errors]) from None

    def _require_uow(self) -> UnitOfWork:
        if self.uow is None:
            raise RuntimeError("posting needs a unit of work")
        return self.uow


def _display_name(user: User | None) -> str:
    if user is None:
        return "A member"
    name = " ".join(part for part in (user.first_name, user.last_name) if part)
    return name or user.email


__all__ = ["MEMBER", "OWNER", "MaxProductsReached", "NotSpaceMember", "PostResult", "Posting", "SpacesService"]
