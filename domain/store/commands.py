"""What the store's content, users and clean-up take as input: pydantic commands (``domain.validation``), the
list filters, and the columns each list sorts by.

Fields are declared in the order their problems are reported. The content fields take what the store API has
always taken: integers and booleans also as strings ("3", "true"), dates as ISO 8601 text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal, Protocol

from pydantic import AfterValidator, BeforeValidator, Field

from domain.accounts.permissions import ROLES
from domain.accounts.service import normalise_email
from domain.catalog.maintenance import CLEAN_OPERATIONS
from domain.errors import InvalidInput
from domain.filters import TitleFilter, TreeFilter
from domain.paging import SortSpec
from domain.slugs import slugify
from domain.validation import (
    REQUIRED,
    Command,
    IsoDateTime,
    LaxBool,
    LaxIdList,
    LaxInt,
    NotNull,
    Present,
    Ref,
    Str,
    Unique,
    parse_lax_bool,
    rule_error,
)

# --- field types --------------------------------------------------------------------------------------


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _slug(value: str | None) -> str | None:
    """The slug as stored; one that keeps no letter or digit is refused. Empty: make one from the title."""
    if not value:
        return None
    slug = slugify(value)
    if not slug:
        raise rule_error("slug", "Must contain letters or digits.")
    return slug


def _none_if_empty(value: str | None) -> str | None:
    return value or None


Stripped = AfterValidator(_strip)  # after the length check: the length counts what was sent

Title = Annotated[Str | None, REQUIRED, Present, Field(max_length=255), Stripped]
Line = Annotated[Str | None, Field(max_length=255), Stripped]
Url = Annotated[Str | None, Field(max_length=2048), Stripped]
Text = Annotated[Str | None, Field(max_length=65_535)]
LongText = Annotated[Str | None, Field(max_length=1_000_000)]
Slug = Annotated[Str | None, Field(max_length=255), Stripped, AfterValidator(_slug)]
TAKEN = "This slug is taken."
Flag = Annotated[LaxBool, NotNull]

IMAGE_SLOTS = ("listing", "hero", "social")


def _image_slots(value: Any) -> bool | list[str]:
    if value is None:
        return False
    flag = parse_lax_bool(value)
    if flag is not None:
        return flag
    if isinstance(value, list) and all(v in IMAGE_SLOTS for v in value):
        return list(value)
    raise rule_error("image_slots", "Must be a boolean or an array of image slots.", values=list(IMAGE_SLOTS))


ImageSlots = Annotated[bool | list[str], BeforeValidator(_image_slots)]
ImageSource = Literal["auto", "stock", "ai"]  # as the template_image_source setting

AI_FLAGS = ("generate_ai_content", "generate_images", "image_source")


class AiFlags(Protocol):
    """A store write that may ask for AI-written content or images (articles, pages, categories)."""

    generate_ai_content: bool
    generate_images: bool | list[str]
    image_source: ImageSource | None


def ai_requested(command: AiFlags) -> list[str]:
    """The AI flags a command asks for (they arrive with the AI-driven store operations)."""
    asked = {
        "generate_ai_content": command.generate_ai_content,
        "generate_images": bool(command.generate_images),
        "image_source": command.image_source is not None,
    }
    return [flag for flag in AI_FLAGS if asked[flag]]


# --- content -------------------------------------------------------------------------------------------


class ArticleCommand(Command):
    title: Title = None
    slug: Annotated[Slug, Unique("article.slug", TAKEN)] = None
    content: LongText = None
    subtitle: Line = None
    link_title: Line = None
    meta_title: Line = None
    meta_keywords: Line = None
    meta_description: Text = None
    enabled: Flag = True
    published_at: IsoDateTime | None = None
    product_category_id: Annotated[LaxInt | None, Ref("category")] = None
    article_categories: Annotated[LaxIdList, NotNull, Ref("article_category")] = Field(default_factory=list)
    generate_seo_keyword: Line = None  # only meaningful for AI generation: checked, never stored
    hero_image_url: Url = None
    listing_image_url: Url = None
    social_image_url: Url = None
    generate_ai_content: LaxBool = False
    generate_images: ImageSlots = False
    image_source: ImageSource | None = None


class ArticleCategoryCommand(Command):
    title: Title = None
    slug: Annotated[Slug, Unique("article_category.slug", TAKEN)] = None
    parent_id: Annotated[LaxInt | None, Ref("article_category", cycle="A category cannot be its own ancestor.")] = None
    content_top: LongText = None
    content_bottom: LongText = None
    subtitle: Line = None
    link_title: Line = None
    meta_title: Line = None
    meta_keywords: Line = None
    meta_description: Text = None
    enabled: Flag = True
    sort_order: Annotated[LaxInt, NotNull] = 0


class PageCommand(Command):
    title: Title = None
    key: Annotated[Line, AfterValidator(_none_if_empty), Unique("page.key", "This key is taken.")] = Field(
        default=None, description="Stable identifier of a system page (homepage, about...); empty: none."
    )
    slug: Annotated[Slug, Unique("page.slug", TAKEN)] = None
    content: LongText = None
    subtitle: Line = None
    link_title: Line = None
    meta_title: Line = None
    meta_keywords: Line = None
    meta_description: Text = None
    enabled: Flag = True
    generate_ai_content: LaxBool = False
    generate_images: ImageSlots = False
    image_source: ImageSource | None = None


# The columns a command writes as they are (the others are the service's: slug, links, AI flags).
NOT_COLUMNS = ("slug", "article_categories", "generate_seo_keyword", *AI_FLAGS)


@dataclass(frozen=True)
class ArticleFilter(TitleFilter):
    generated: bool | None = None
    article_category_id: int | None = None


@dataclass(frozen=True)
class ArticleCategoryFilter(TreeFilter):
    """A list of article categories."""


@dataclass(frozen=True)
class PageFilter(TitleFilter):
    key: str | None = None


_COMMON_SORT = ("id", "title", "slug", "enabled", "created_at", "updated_at")
ARTICLE_SORT = SortSpec.of((*_COMMON_SORT, "generated", "published_at"), "created_at", descending=True)
ARTICLE_CATEGORY_SORT = SortSpec.of((*_COMMON_SORT, "sort_order"), "created_at", descending=True)
PAGE_SORT = SortSpec.of((*_COMMON_SORT, "key"), "created_at", descending=True)


# --- users ---------------------------------------------------------------------------------------------

EMAIL_MAX = 255


def _email(value: str) -> str:
    """Compared and stored in lower case."""
    try:
        return normalise_email(value)
    except InvalidInput:
        raise rule_error("email", f"Must be a valid email address of at most {EMAIL_MAX} characters.") from None


def _roles(value: Any) -> list[str] | None:
    if value is None:
        return None
    if not isinstance(value, list) or not value or any(r not in ROLES for r in value):
        raise rule_error("array_of", "Must be a non-empty array of roles.", values=list(ROLES))
    return value


Email = Annotated[Str, AfterValidator(_email)]


class CreateUserCommand(Command):
    """A known email names the existing user; the other fields then change nothing."""

    password: Annotated[Str | None, Field(max_length=255)] = None
    first_name: Line = None
    last_name: Line = None
    newsletter: Flag = True
    email: Annotated[Email, REQUIRED, Present] = ""
    roles: Annotated[list[str] | None, BeforeValidator(_roles)] = None


class UpdateUserCommand(Command):
    first_name: Line = None
    last_name: Line = None
    newsletter: Flag = True
    email: Annotated[
        Str, NotNull, Field(max_length=EMAIL_MAX), AfterValidator(_email), Unique("user.email", "This email is taken.")
    ] = ""


# --- clean-up ------------------------------------------------------------------------------------------


def _operations(value: Any) -> list[str] | None:
    if value is None:
        return None
    if not isinstance(value, list) or not value or any(not isinstance(o, str) for o in value):
        raise rule_error("array_of_strings", "Must be a non-empty array of strings.")
    unknown = [o for o in value if o not in CLEAN_OPERATIONS]
    if unknown:
        raise rule_error("in_each", "Some operations are unknown.", invalid=unknown, values=list(CLEAN_OPERATIONS))
    return value


class CleanCommand(Command):
    operations: Annotated[list[str] | None, BeforeValidator(_operations)] = Field(
        default=None, description="What to clean (default: everything but out-of-stock offers)."
    )
