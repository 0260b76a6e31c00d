"""What a post request takes: the storefront document's query parameters as one typed command
(``PostRequest``, camelCase on the wire), and the job's parameters (``PostJobParams``) made from it.

Every problem is reported at once, each on its parameter, with the allowed values or the range named. Whether
the product is the workspace's is the service's question (another workspace's product is a 404)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from domain.validation import Command, LaxBool, LaxInt, Str, rule_error

IMAGE_TYPES = ("post", "story")
ART_STYLES = ("hero", "negative_space", "depth", "lifestyle")
MOODS = ("luxury", "soft_feminine", "modern", "medical_clean")
BACKGROUNDS = ("gradient", "surface_backdrop", "pastel", "auto")
COMPOSITIONS = ("single_hero", "grouped", "side_layout")
BOLDNESS = ("low", "medium", "high")

MAX_POSTS = 3
# Pixel sizes: Instagram's square feed post and its 9:16 story.
IMAGE_SIZES: dict[str, tuple[int, int]] = {"post": (1080, 1080), "story": (1080, 1920)}


def _one_of(values: tuple[str, ...], what: str, default: str) -> BeforeValidator:
    def check(value: Any) -> str:
        if value is None or value == "":
            return default
        if not isinstance(value, str) or value not in values:
            shown = value if isinstance(value, str) and len(value) <= 64 else "that value"
            raise rule_error("in", f"Unknown {what} '{shown}'. Use one of: {', '.join(values)}.", values=list(values))
        return value

    return BeforeValidator(check)


class PostOptions(BaseModel):
    """The structured inputs, as the job stores them (checked again when it runs)."""

    model_config = ConfigDict(extra="forbid")

    posts_count: int = Field(default=MAX_POSTS, ge=1, le=MAX_POSTS)
    generate_images: bool = False
    use_product_images: bool = False
    image_prompt: str | None = Field(default=None, max_length=2000)
    ad_type: str | None = Field(default=None, max_length=100)
    tone: str | None = Field(default=None, max_length=100)
    focus_points: str | None = Field(default=None, max_length=1000)
    target_audience: str | None = Field(default=None, max_length=500)
    image_type: str = "post"
    art_style: str = "hero"
    mood: str = "modern"
    background: str = "auto"
    product_composition: str = "single_hero"
    visual_boldness: str = "medium"

    @property
    def image_size(self) -> tuple[int, int]:
        return IMAGE_SIZES[self.image_type]


class PostJobParams(PostOptions):
    product_id: int = Field(gt=0)


class PostRequest(Command):
    """``POST .../storefront/products/{productId}/generate-post``'s query parameters (no body)."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    generate_images: Annotated[
        LaxBool, Field(alias="generateImages", description="Compose one image per post (default false).")
    ] = False
    posts_count: Annotated[
        LaxInt, Field(alias="postsCount", ge=1, le=MAX_POSTS, description="How many distinct posts: 1-3 (default 3).")
    ] = MAX_POSTS
    use_product_images: Annotated[
        LaxBool,
        Field(
            alias="useProductImages",
            description="Analyse the product's images: with a provider a vision call, offline the palette and "
            "the product's place in the picture.",
        ),
    ] = False
    image_prompt: Annotated[
        Str | None,
        Field(
            alias="imagePrompt",
            max_length=2000,
            description="Advanced image prompt; overrides the structured inputs (see docs/marketing-posts.md).",
        ),
    ] = None
    ad_type: Annotated[
        Str | None, Field(alias="adType", max_length=100, description="The kind of ad, e.g. launch, sale.")
    ] = None
    tone: Annotated[Str | None, Field(max_length=100, description="Writing tone, e.g. playful.")] = None
    focus_points: Annotated[
        Str | None, Field(alias="focusPoints", max_length=1000, description="Key selling points, comma-separated.")
    ] = None
    target_audience: Annotated[
        Str | None, Field(alias="targetAudience", max_length=500, description="Who the post speaks to.")
    ] = None
    image_type: Annotated[
        str,
        _one_of(IMAGE_TYPES, "imageType", "post"),
        Field(alias="imageType", description="post (1080x1080) or story (1080x1920)."),
    ] = "post"
    art_style: Annotated[
        str, _one_of(ART_STYLES, "artStyle", "hero"), Field(alias="artStyle", description=", ".join(ART_STYLES))
    ] = "hero"
    mood: Annotated[str, _one_of(MOODS, "mood", "modern"), Field(description=", ".join(MOODS))] = "modern"
    background: Annotated[
        str, _one_of(BACKGROUNDS, "background", "auto"), Field(description=", ".join(BACKGROUNDS))
    ] = "auto"
    product_composition: Annotated[
        str,
        _one_of(COMPOSITIONS, "productComposition", "single_hero"),
        Field(alias="productComposition", description=", ".join(COMPOSITIONS)),
    ] = "single_hero"
    visual_boldness: Annotated[
        str,
        _one_of(BOLDNESS, "visualBoldness", "medium"),
        Field(alias="visualBoldness", description=", ".join(BOLDNESS)),
    ] = "medium"

    def options(self) -> PostOptions:
        return PostOptions.model_validate(self.model_dump(by_alias=False))
