"""The product classification bodies, as the content-services document defines them.

- ``POST /content-analysis/product-classification`` takes the product itself (``product_name``,
  ``product_description``, ``product_attributes``) and answers the GPC classification. It also takes
  ``channel`` and ``locale`` (not in the document, which classifies this way for GPC only), so Google
  categories can be asked for synchronously too.
- ``POST /content-analysis/product-classification/jobs`` takes ``{"product", "channel", "locale",
  "external_tracking_id", "callback_url"}``.

Limits are the document's: a name of 1 to 128 characters, a description of 1 to 512, 1 to 16 attributes. The
locale is one of the document's language codes with an optional market (``en-GB``, ``en_us``), in English:
the shipped taxonomies are English.
"""

from __future__ import annotations

from typing import Annotated, Any

from babel import Locale as BabelLocale
from babel import UnknownLocaleError
from pydantic import AfterValidator, BaseModel, StringConstraints
from pydantic import Field as F

from domain.content.classification.taxonomy import Channel
from domain.content.documents import Document, parse_document
from domain.content.locales import language_of
from domain.content.request import CallbackUrl, TrackingId
from domain.validation import rule_error

MAX_NAME = 128
MAX_DESCRIPTION = 512
MAX_ATTRIBUTES = 16

DEFAULT_LOCALES: dict[str, str] = {"gpc": "en-GB", "google": "en-US"}  # the document's example answers en-GB
SUPPORTED_LANGUAGES = ("en",)


def canonical_locale(value: str) -> str:
    """A locale of the document's languages and markets (``en_GB``, ``en-gb``, ``en_uk``) written as a BCP 47
    tag (``en-GB``); one whose language has no shipped taxonomy (only English) is refused."""
    language = language_of(value)
    if language is None:
        raise rule_error("locale", f"'{value}' is not a known locale such as en-GB or en-US.")
    if language not in SUPPORTED_LANGUAGES:
        raise rule_error(
            "locale",
            f"Locale '{value}' is not supported: the taxonomies are available in English (en, en-GB, en-US, ...).",
        )
    try:
        return str(BabelLocale.parse(value.strip().replace("-", "_"))).replace("_", "-")
    except (ValueError, UnknownLocaleError):  # a market CLDR has no English locale for (en-SV): as written
        head, _, territory = value.strip().replace("_", "-").partition("-")
        return f"{head.lower()}-{territory.upper()}" if territory else head.lower()


Locale = Annotated[str, StringConstraints(min_length=1, max_length=35), AfterValidator(canonical_locale)]
Name = Annotated[str, StringConstraints(min_length=1, max_length=MAX_NAME)]
Description = Annotated[str, StringConstraints(min_length=1, max_length=MAX_DESCRIPTION)]


class ProductAttribute(Document):
    name: Annotated[str, StringConstraints(min_length=1, max_length=MAX_NAME)]
    value: Annotated[str, StringConstraints(min_length=1, max_length=MAX_DESCRIPTION)] | int | float | bool

    @property
    def text(self) -> str:
        return self.value if isinstance(self.value, str) else str(self.value).lower()


class ClassificationProduct(Document):
    """The document's "Product Classification - Product"."""

    product_name: Name
    product_description: Description
    product_attributes: Annotated[list[ProductAttribute], F(min_length=1, max_length=MAX_ATTRIBUTES)]


class ClassifyRequest(ClassificationProduct):
    """The synchronous body: the product, and (our addition) the channel and locale."""

    channel: Channel = "gpc"
    locale: Locale | None = None

    def product(self) -> ClassificationProduct:
        return ClassificationProduct.model_validate(self.model_dump(include=set(ClassificationProduct.model_fields)))


class ClassificationJobRequest(Document):
    """The job's submit body."""

    external_tracking_id: TrackingId | None = None
    product: ClassificationProduct
    channel: Channel = "gpc"
    locale: Locale | None = None
    callback_url: CallbackUrl | None = None


def parse_classify_request(data: Any) -> ClassifyRequest:
    return parse_document(ClassifyRequest, data)


def parse_job_request(data: Any) -> ClassificationJobRequest:
    return parse_document(ClassificationJobRequest, data)


class ClassificationJobParams(BaseModel):
    """What a ``content.analysis.product_classification`` job runs with (the locale resolved)."""

    product: ClassificationProduct
    channel: Channel
    locale: str


def resolved_locale(channel: Channel, locale: str | None) -> str:
    return locale or DEFAULT_LOCALES[channel]
