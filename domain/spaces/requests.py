"""What the spaces take: the space product post (``POST /swm/rs/v1/spaces/{spaceId}/products`` and GraphQL's
``postProductToSpace``) in the document's field names, with every rule the document states, and the space
management commands. Every problem of a body is reported at once, each on its field, with a stable rule name
the REST surface turns into its ``400.x`` codes.

The one rule that needs the current state (``productImageUrl`` on the store's domain) is the service's.
"""

from __future__ import annotations

import math
import re
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import BeforeValidator, ConfigDict, Field

from domain.spaces.models import MEMBER, ROLES
from domain.validation import INT_MAX, REQUIRED, Command, rule_error, text_problem

DEFAULT_CURRENCY = "USD"
MAX_TEXT = 1000  # productVariantOptions, productLinkedProducts
NOTIFICATION_PRICE_MIN = 2
NOTIFICATION_PRICE_MAX = 30
MAX_QUANTITY = INT_MAX
MAX_SPACE_NAME = 255
DEFAULT_MAX_PRODUCTS = 100
MAX_PRODUCTS_LIMIT = 100_000
_CURRENCY = re.compile(r"^[A-Za-z0-9]{3}$")
_DECIMAL = re.compile(r"^[0-9]{1,12}(\.[0-9]{1,6})?$")


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise rule_error("string", "Must be a string.")
    problem = text_problem(value)
    if problem:
        raise rule_error("string", problem.capitalize() + ".")
    return value


def _required_text(value: Any) -> str:
    """Required, and not blank."""
    if value is None:
        raise rule_error("required", "This field is required.")
    text = _text(value)
    if not text.strip():
        raise rule_error("required", "This field is required and must not be blank.")
    return text


def _text_may_be_blank(value: Any) -> str:
    """Required, but a blank value is a value."""
    if value is None:
        raise rule_error("required", "This field is required (it may be blank).")
    return _text(value)


def _limited(max_length: int) -> BeforeValidator:
    def check(value: Any) -> str:
        text = _text_may_be_blank(value)
        if len(text) > max_length:
            raise rule_error("max_length", f"Must be at most {max_length} characters.", max=max_length)
        return text

    return BeforeValidator(check)


def _optional_limited(max_length: int) -> BeforeValidator:
    def check(value: Any) -> str | None:
        if value is None:
            return None
        text = _text(value)
        if len(text) > max_length:
            raise rule_error("max_length", f"Must be at most {max_length} characters.", max=max_length)
        return text

    return BeforeValidator(check)


def _currency(value: Any) -> str:
    text = _text(value)
    if not text.strip():
        raise rule_error("blank", "Must not be blank: leave it out for the default, USD.")
    if not _CURRENCY.match(text):
        raise rule_error("pattern", "Must be three letters or digits (A-Z, a-z, 0-9), such as USD.", length=3)
    return text


def _notification_price(value: Any) -> str:
    text = _text(value)
    if not text.strip():
        raise rule_error("blank", "Must not be blank or empty: leave it out for no price in the notification.")
    if len(text) < NOTIFICATION_PRICE_MIN:
        raise rule_error(
            "min_length", f"Must be at least {NOTIFICATION_PRICE_MIN} characters.", min=NOTIFICATION_PRICE_MIN
        )
    if len(text) > NOTIFICATION_PRICE_MAX:
        raise rule_error(
            "max_length", f"Must be at most {NOTIFICATION_PRICE_MAX} characters.", max=NOTIFICATION_PRICE_MAX
        )
    return text


def _quantity(value: Any) -> float | None:
    """A non-negative number; blank (or null) is no quantity. A string holding a plain number is read as one."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    number: float | None = None
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
    elif isinstance(value, str) and _DECIMAL.match(value.strip()):
        number = float(value.strip())
    if number is None or not math.isfinite(number):
        raise rule_error("number", "Must be a number (or blank).")
    if number < 0:
        raise rule_error("min", "Must not be negative.", min=0)
    if number > MAX_QUANTITY:
        raise rule_error("max", f"Must be at most {MAX_QUANTITY}.", max=MAX_QUANTITY)
    return number


def _image_url(value: Any) -> str | None:
    """Blank passes through as blank; anything else an absolute http(s) URL (the domain is the service's)."""
    if value is None:
        return None
    text = _text(value)
    if not text.strip():
        return text
    if len(text) > 2048:
        raise rule_error("max_length", "Must be at most 2048 characters.", max=2048)
    parts = urlsplit(text.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or not parts.hostname:
        raise rule_error("url", "Must be an absolute URL with its protocol: http(s)://<store domain>/...")
    try:
        parts.port  # noqa: B018  (a port that is no number is no URL)
    except ValueError:
        raise rule_error("url", "Must be an absolute URL with its protocol: http(s)://<store domain>/...") from None
    return text.strip()


class SpaceCommand(Command):
    """The document's camelCase names on the wire; Python callers may use either."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)


class PostProduct(SpaceCommand):
    """A product post: every field of the document. Unknown fields are ignored."""

    product_title: Annotated[
        str | None, BeforeValidator(_required_text), REQUIRED, Field(alias="productTitle", description="A title.")
    ] = None
    product_currency_code: Annotated[
        str,
        BeforeValidator(_currency),
        Field(
            alias="productCurrencyCode",
            json_schema_extra={"pattern": "^[A-Za-z0-9]{3}$"},
            description="Three letters or digits; USD when left out; never blank.",
        ),
    ] = DEFAULT_CURRENCY
    product_price: Annotated[
        str | None,
        BeforeValidator(_required_text),
        REQUIRED,
        Field(alias="productPrice", description="The list price, free-form text."),
    ] = None
    product_sale_price: Annotated[
        str | None,
        BeforeValidator(_text_may_be_blank),
        REQUIRED,
        Field(alias="productSalePrice", description="The sale price, free-form text; blank: no sale price."),
    ] = None
    product_url: Annotated[
        str | None,
        BeforeValidator(_required_text),
        REQUIRED,
        Field(alias="productUrl", description="The product's page on the store."),
    ] = None
    product_product_id: Annotated[
        str | None,
        BeforeValidator(_required_text),
        REQUIRED,
        Field(alias="productProductId", description="The product id in the store's catalog."),
    ] = None
    product_sku_id: Annotated[
        str | None,
        BeforeValidator(_required_text),
        REQUIRED,
        Field(alias="productSkuId", description="The SKU id in the store's catalog."),
    ] = None
    product_variant_options: Annotated[
        str | None,
        _limited(MAX_TEXT),
        REQUIRED,
        Field(
            alias="productVariantOptions",
            json_schema_extra={"maxLength": MAX_TEXT},
            description=f"Text (any format), may be blank; at most {MAX_TEXT}.",
        ),
    ] = None
    product_linked_products: Annotated[
        str | None,
        _optional_limited(MAX_TEXT),
        Field(
            alias="productLinkedProducts",
            json_schema_extra={"maxLength": MAX_TEXT},
            description=f"Optional text (any format), may be blank; at most {MAX_TEXT}.",
        ),
    ] = None
    product_desired_quantity: Annotated[
        float | None,
        BeforeValidator(_quantity),
        Field(alias="productDesiredQuantity", description="Optional non-negative number; may be blank."),
    ] = None
    product_image_url: Annotated[
        str | None,
        BeforeValidator(_image_url),
        Field(
            alias="productImageUrl",
            description="Optional; blank passes through. Else an absolute http(s) URL on the store's domain, "
            "or the mediaUrl of an image uploaded to the space.",
        ),
    ] = None
    notification_product_price: Annotated[
        str | None,
        BeforeValidator(_notification_price),
        Field(
            alias="notificationProductPrice",
            json_schema_extra={
                "minLength": NOTIFICATION_PRICE_MIN,
                "maxLength": NOTIFICATION_PRICE_MAX,
                "pattern": "\\S",
            },
            description=f"Optional: {NOTIFICATION_PRICE_MIN} to {NOTIFICATION_PRICE_MAX} characters of any script, "
            "never blank.",
        ),
    ] = None


# --- managing spaces ---------------------------------------------------------------------------------------


def _space_name(value: Any) -> str:
    text = _required_text(value).strip()
    if len(text) > MAX_SPACE_NAME:
        raise rule_error("max_length", f"Must be at most {MAX_SPACE_NAME} characters.", max=MAX_SPACE_NAME)
    return text


def _max_products(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise rule_error("integer", "Must be an integer.")
    if not 1 <= value <= MAX_PRODUCTS_LIMIT:
        raise rule_error("between", f"Must be between 1 and {MAX_PRODUCTS_LIMIT}.", min=1, max=MAX_PRODUCTS_LIMIT)
    return value


def _role(value: Any) -> str:
    if value not in ROLES:
        raise rule_error("in", f"Must be one of: {', '.join(ROLES)}.", values=list(ROLES))
    return str(value)


def _email(value: Any) -> str:
    text = _required_text(value).strip().lower()
    if len(text) > 255 or "@" not in text:
        raise rule_error("email", "Must be an email address.")
    return text


class CreateSpace(SpaceCommand):
    name: Annotated[str | None, BeforeValidator(_space_name), REQUIRED] = None
    max_products: Annotated[int, BeforeValidator(_max_products), Field(alias="maxProducts")] = DEFAULT_MAX_PRODUCTS


class UpdateSpace(SpaceCommand):
    name: Annotated[str | None, BeforeValidator(_space_name)] = None
    max_products: Annotated[int | None, BeforeValidator(_max_products), Field(alias="maxProducts")] = None


class AddMember(SpaceCommand):
    """A workspace member, by user id or email (one of them)."""

    user_id: Annotated[int | None, Field(alias="userId", gt=0, le=INT_MAX)] = None
    email: Annotated[str | None, BeforeValidator(_email)] = None
    role: Annotated[str, BeforeValidator(_role)] = MEMBER
    notify: bool = False
