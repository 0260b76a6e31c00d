"""The one parser every surface uses (``domain.validation.parse``) reports the state rules with the shape
checks: references, values another object holds (``Unique``, with the object an update changes as its
``subject``), a parent that is the subject or its descendant, and a field that an alias may stand in for."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from domain.catalog.commands import BrandCommand, CategoryCommand, OfferCommand, ProductCommand
from domain.errors import InvalidInput
from domain.store.commands import PageCommand, UpdateUserCommand
from domain.validation import StateRules, parse, parse_now


class Store:
    """A workspace in memory: live ids per kind, taken values per unique kind (value → owner), parents."""

    def __init__(self) -> None:
        self.ids: dict[str, set[int]] = {"brand": {1}, "category": {1, 2, 3}}
        self.values: dict[str, dict[str, int]] = {"brand.slug": {"acme": 1}, "product.slug": {"gadget": 7},
                                                  "page.key": {"homepage": 1}, "user.email": {"joe@example.com": 2},
                                                  "category.slug": {"root": 1}}  # fmt: skip
        self.parents: dict[int, int | None] = {1: None, 2: 1, 3: 2}
        self.asked: list[tuple[str, str, int | None]] = []

    async def known(self, kind: str, ids: Sequence[int]) -> set[int]:
        return self.ids.get(kind, set()) & set(ids)

    async def taken(self, kind: str, value: str, subject: int | None) -> bool:
        self.asked.append((kind, value, subject))
        owner = self.values.get(kind, {}).get(value)
        return owner is not None and owner != subject

    async def makes_cycle(self, kind: str, subject: int, parent_id: int) -> bool:
        node: int | None = parent_id
        while node is not None:
            if node == subject:
                return True
            node = self.parents.get(node)
        return False


class OnlyIds:
    async def known(self, kind: str, ids: Sequence[int]) -> set[int]:
        return set()


def rules(exc: pytest.ExceptionInfo[InvalidInput]) -> list[tuple[str, str]]:
    return [(e.field, e.rule) for e in exc.value.field_errors]


def test_the_store_answers_the_state_rules() -> None:
    assert isinstance(Store(), StateRules) and not isinstance(OnlyIds(), StateRules)


async def test_state_rules_run_whatever_else_is_wrong_and_skip_what_did_not_parse() -> None:
    store = Store()
    with pytest.raises(InvalidInput) as exc:
        await parse(ProductCommand, {"title": "x" * 300, "slug": " Gadget ", "brand_id": 9}, refs=store)
    assert rules(exc) == [("title", "max_length"), ("slug", "unique"), ("brand_id", "exists")]
    assert store.asked == [("product.slug", "gadget", None)]  # the value as stored: made a slug
    assert exc.value.field_errors[1].params == {"kind": "product.slug"}
    store.asked.clear()
    with pytest.raises(InvalidInput) as exc:
        await parse(ProductCommand, {"title": "ok", "slug": "s" * 300, "brand_id": "1"}, refs=store)
    assert rules(exc) == [("slug", "max_length"), ("brand_id", "integer")]
    assert store.asked == []  # a slug that did not parse is not looked up


async def test_an_update_leaves_its_own_values_alone_and_without_a_subject_leaves_them_to_the_service() -> None:
    store = Store()
    assert (await parse(BrandCommand, {"slug": "ACME"}, partial=True, refs=store, subject=1)).slug == "ACME"
    with pytest.raises(InvalidInput) as exc:
        await parse(BrandCommand, {"slug": "ACME", "enabled": 2}, partial=True, refs=store, subject=5)
    assert rules(exc) == [("slug", "unique"), ("enabled", "boolean")]
    store.asked.clear()
    await parse(BrandCommand, {"slug": "acme"}, partial=True, refs=store)  # which brand is changed? unknown here
    assert store.asked == []
    # References that only know ids leave uniqueness to the services; parse_now knows no state at all.
    assert (await parse(BrandCommand, {"title": "T", "slug": "acme"}, refs=OnlyIds())).slug == "acme"
    assert parse_now(BrandCommand, {"title": "T", "slug": "acme"}).slug == "acme"


async def test_a_parent_that_is_the_subject_or_below_it() -> None:
    store = Store()
    for parent in (1, 3):
        with pytest.raises(InvalidInput) as exc:
            await parse(CategoryCommand, {"parent_id": parent, "slug": "root"}, partial=True, refs=store, subject=1)
        assert rules(exc) == [("parent_id", "not_descendant")]  # its own slug is no problem
        assert exc.value.code == "category_cycle"
    with pytest.raises(InvalidInput) as exc:
        await parse(CategoryCommand, {"parent_id": 1, "slug": "root", "title": ""}, partial=True, refs=store, subject=3)
    assert rules(exc) == [("title", "required"), ("slug", "unique")]  # moving 3 under 1 is fine
    assert exc.value.code == "invalid_input"
    assert (await parse(CategoryCommand, {"parent_id": 2}, partial=True, refs=store, subject=3)).parent_id == 2
    create = await parse(CategoryCommand, {"title": "New", "parent_id": 3}, refs=store)  # no subject: no cycle
    assert create.parent_id == 3


async def test_a_field_its_alias_stands_in_for() -> None:
    store = Store()
    base = {"merchant": "m", "title": "t", "url_detail": "https://a.example/x"}
    with pytest.raises(InvalidInput) as exc:
        await parse(OfferCommand, {**base, "merchant_product_id": ""}, refs=store)
    assert rules(exc) == [("merchant_offer_id", "required")]
    assert (await parse(OfferCommand, {**base, "merchant_product_id": "B0"}, refs=store)).merchant_offer_id == "B0"
    assert (await parse(OfferCommand, {**base, "merchant_offer_id": "B1"}, refs=store)).merchant_offer_id == "B1"
    # An update: leaving both out keeps the id; sending it blank empties it, unless the alias carries one.
    assert (await parse(OfferCommand, {"price": 1}, partial=True, refs=store)).sent() == {"price": 1.0}
    for body in ({"merchant_offer_id": None}, {"merchant_offer_id": " ", "merchant_product_id": None}):
        with pytest.raises(InvalidInput) as exc:
            await parse(OfferCommand, body, partial=True, refs=store)
        assert rules(exc) == [("merchant_offer_id", "required")]
    alias = {"merchant_offer_id": "", "merchant_product_id": "B2"}
    assert (await parse(OfferCommand, alias, partial=True, refs=store)).merchant_offer_id == "B2"
    # A wrong alias is its own problem, not also a missing id.
    with pytest.raises(InvalidInput) as exc:
        await parse(OfferCommand, {**base, "merchant_product_id": 5}, refs=store)
    assert rules(exc) == [("merchant_product_id", "string")]


async def test_store_unique_fields() -> None:
    store = Store()
    with pytest.raises(InvalidInput) as exc:
        await parse(PageCommand, {"title": "T", "key": "homepage"}, refs=store)
    assert rules(exc) == [("key", "unique")]
    assert (await parse(PageCommand, {"title": "T", "key": ""}, refs=store)).key is None  # blank: no key
    with pytest.raises(InvalidInput) as exc:
        await parse(UpdateUserCommand, {"email": " JOE@example.com "}, partial=True, refs=store, subject=1)
    assert rules(exc) == [("email", "unique")]
    command = await parse(UpdateUserCommand, {"email": "joe@example.com"}, partial=True, refs=store, subject=2)
    assert command.email == "joe@example.com"
