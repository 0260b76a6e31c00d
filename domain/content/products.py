"""Products as content generation reads them: the document's product shape, from a request or the catalog.

``ProductData`` is what the prompt builder, the offline composer and the guardrails look at. Attribute
display names go through the client's ``field_map`` (``long_product_name`` -> "Long Product Name"), so that
``prompt_attributes``, ``variant_data_fields`` and ``false_words_entity_map`` can name attributes either way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser
from typing import Any

from domain.catalog.models import Product
from domain.content.request import ProductIn
from domain.validation import is_number

_SEPARATORS = re.compile(r"[\s_\-]+")


@lru_cache(maxsize=4096)
def norm(name: str) -> str:
    """Attribute names compare without case, spaces, dashes or underscores (names repeat: each normalised once)."""
    return _SEPARATORS.sub("", name).lower()


@lru_cache(maxsize=256)
def _aliases(field_map: tuple[tuple[str, str], ...]) -> dict[str, str]:
    """``field_map`` with both sides normalised (read-only: cached per map)."""
    return {norm(k): norm(v) for k, v in field_map}


def text_of(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(text_of(v) for v in value if text_of(v))
    return str(value).strip()


@dataclass
class ProductData:
    product_id: str
    name: str
    description: str
    brand: str
    market: str
    language: str
    variant_group_id: str | None  # None: a catalog product of no variant group, which stands alone
    keywords: dict[str, list[str]] = field(default_factory=dict)
    reviews: list[dict[str, Any]] = field(default_factory=list)
    attributes: list[dict[str, Any]] = field(default_factory=list)

    def document(self) -> dict[str, Any]:
        """The product in the document's shape (the ``product`` of a result entry); ``variant_group_id`` only
        when the product has one (none is invented for a catalog product that stands alone)."""
        doc: dict[str, Any] = {
            "product_id": self.product_id,
            "product_name": self.name,
            "product_description": self.description,
            "brand": self.brand,
            "market": self.market,
            "language": self.language,
            "variant_group_id": self.variant_group_id,
            "keywords": self.keywords,
            "reviews": self.reviews,
            "attributes": self.attributes,
        }
        if self.variant_group_id is None:
            del doc["variant_group_id"]
        return doc

    def attribute(self, name: str, field_map: dict[str, str] | None = None) -> str:
        """An attribute's value by its name or its display name (through ``field_map``); '' when absent."""
        wanted = norm(name)
        aliases = _aliases(tuple(field_map.items())) if field_map else {}
        for attr in self.attributes:
            raw = norm(str(attr.get("name", "")))
            if raw == wanted or (raw in aliases and aliases[raw] == wanted):
                value = attr.get("value")
                return value.strip() if type(value) is str else text_of(value)  # (text_of, for a string)
        for key, value in (("brand", self.brand), ("productname", self.name), ("productdescription", self.description)):
            if wanted == key or (key in aliases and aliases[key] == wanted):
                return value
        return ""

    def attribute_values(self) -> dict[str, str]:
        """Every attribute by its raw name (for ``{{attr.x}}`` templates)."""
        out = {"brand": self.brand, "product_name": self.name}
        for attr in self.attributes:
            value = text_of(attr.get("value"))
            if value:
                out[str(attr.get("name"))] = value
        return out

    def keyword_groups(self, names: list[str] | None) -> list[str]:
        """The product's keywords of the named groups, in order, without duplicates."""
        if not names:
            return []
        if not names[1:]:  # one group
            return list(dict.fromkeys(filter(None, self.keywords.get(names[0], []))))
        out: list[str] = []
        for group in names:
            for keyword in self.keywords.get(group, []):
                if keyword and keyword not in out:
                    out.append(keyword)
        return out


def from_request(product: ProductIn) -> ProductData:
    return ProductData(
        product_id=product.product_id,
        name=product.product_name,
        description=product.product_description,
        brand=product.brand,
        market=product.market,
        language=product.language,
        variant_group_id=product.variant_group_id,
        keywords={k: list(v) for k, v in (product.keywords or {}).items()},
        reviews=[r.model_dump(mode="json") for r in product.reviews or []],
        attributes=[a.model_dump(mode="json") for a in product.attributes],
    )


def _catalog_keywords(raw: Any) -> dict[str, list[str]]:
    """Catalog keywords as groups: a mapping is used as is; a flat list becomes the ``generic`` group;
    a list of ``{"group"|"name", "keywords"|"values"}`` objects becomes one group each."""
    if isinstance(raw, dict):
        return {str(k): [text_of(x) for x in (v if isinstance(v, list) else [v])] for k, v in raw.items()}
    groups: dict[str, list[str]] = {}
    for item in raw or []:
        if isinstance(item, dict):
            name = str(item.get("group") or item.get("name") or "generic")
            values = item.get("keywords", item.get("values", []))
            groups.setdefault(name, []).extend(text_of(x) for x in (values if isinstance(values, list) else [values]))
        elif text_of(item):
            groups.setdefault("generic", []).append(text_of(item))
    return groups


def _catalog_attributes(raw: Any) -> list[dict[str, Any]]:
    if isinstance(raw, dict):
        return [{"name": str(k), "value": v} for k, v in raw.items()]
    return [a for a in (raw or []) if isinstance(a, dict) and "name" in a]


def _catalog_reviews(raw: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for item in raw or []:
        if isinstance(item, dict) and (item.get("review_text") or item.get("text")):
            out.append(
                {
                    "review_id": str(item.get("review_id") or item.get("id") or ""),
                    "review_text": str(item.get("review_text") or item.get("text")),
                    "cust": str(item.get("cust") or item.get("author") or ""),
                }
            )
        elif isinstance(item, str) and item.strip():
            out.append({"review_id": "", "review_text": item.strip(), "cust": ""})
    return out


class _TextOfHtml(HTMLParser):
    """The readable text of an HTML fragment: entities decoded, tags dropped, script and style skipped, and
    each block (paragraph, list item, heading, table cell, line break) a sentence of its own."""

    BLOCKS = frozenset(
        "address article aside blockquote br dd div dl dt figcaption footer h1 h2 h3 h4 h5 h6 header hr li main "
        "nav ol p pre section table td th tr ul".split()
    )
    SKIPPED = frozenset({"script", "style", "template", "head", "title", "noscript"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self._current: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIPPED:
            self._skipping += 1
        elif tag in self.BLOCKS:
            self._end_block()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.BLOCKS:
            self._end_block()

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIPPED:
            self._skipping = max(0, self._skipping - 1)
        elif tag in self.BLOCKS:
            self._end_block()

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self._current.append(data)

    def _end_block(self) -> None:
        text = " ".join("".join(self._current).split())
        self._current = []
        if text:
            self.blocks.append(text)

    def text(self) -> str:
        self.close()
        self._end_block()
        if len(self.blocks) <= 1:
            return self.blocks[0] if self.blocks else ""
        # Blocks become sentences: a block that does not end a sentence gets a full stop.
        return " ".join(b if b[-1] in ".!?:;" else f"{b}." for b in self.blocks)


def text_of_html(value: str) -> str:
    """The text of a catalog field that may hold HTML (the store API's ``content`` does); plain text stays as
    it is, apart from its whitespace."""
    parser = _TextOfHtml()
    parser.feed(value)
    return parser.text()


def _catalog_description(product: Product) -> str:
    for value in (product.content, product.summary, product.subtitle):
        text = text_of_html(value) if value else ""
        if text:
            return text
    return product.title


def from_catalog(product: Product, brand: str | None, *, market: str, language: str) -> ProductData:
    """A catalog product in the document's shape; the request's market/language fill what it lacks. A
    description held as HTML is read as its text; a product of no variant group stands alone."""
    return ProductData(
        product_id=str(product.id),
        name=product.title,
        description=_catalog_description(product),
        brand=brand or _attribute_brand(product.attributes),
        market=product.market or market,
        language=product.language or language,
        variant_group_id=product.variant_group_id or None,
        keywords=_catalog_keywords(product.keywords),
        reviews=_catalog_reviews(product.reviews),
        attributes=_catalog_attributes(product.attributes),
    )


def _attribute_brand(attributes: Any) -> str:
    """A catalog product without a brand row may still name its brand among its attributes."""
    if isinstance(attributes, dict):
        for key, value in attributes.items():
            if str(key).strip().lower() == "brand" and isinstance(value, str):
                return value.strip()
    return ""


def catalog_id(raw: str) -> int | None:
    """A ``product_ids`` entry as a catalog id (``123`` or ``prod_123``), or None when it cannot be one."""
    value = raw.removeprefix("prod_")
    return int(value) if is_number(value) and len(value) < 18 else None
