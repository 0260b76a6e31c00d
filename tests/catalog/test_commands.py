"""The catalog's input rules in the domain's own terms: every problem as a ``FieldError`` with a stable rule name
(surfaces word them), all of them at once, the ids a command names checked against the caller's workspace."""

from __future__ import annotations

import math

import pytest
from pydantic import TypeAdapter, ValidationError

from domain.catalog.commands import BrandCommand, CategoryCommand, OfferCommand, ProductCommand
from domain.catalog.taxonomy import BrandService, CategoryService
from domain.errors import InvalidInput
from domain.validation import parse_now
from resolvers.rest.store.params import ProductIncludes, read_includes
from tests.catalog import helpers


def rules(exc: InvalidInput) -> dict[str, str]:
    return {e.field: e.rule for e in exc.field_errors}


async def test_every_field_problem_is_reported_with_its_rule(services, workspace, other_workspace):
    foreign = await helpers.brand(services, other_workspace)
    body = {
        "title": 12,
        "subtitle": ["a"],
        "highlights": "fast",
        "meta_title": "m" * 256,
        "review_quantity": 1.5,
        "review_score": math.nan,
        "enabled": "yes",
        "in_sitemap": None,
        "brand_id": foreign.id,
        "upc": "1" * 65,
        "attributes": [],
    }
    with pytest.raises(InvalidInput) as caught:
        await helpers.command(services, workspace, ProductCommand, body)
    assert rules(caught.value) == {
        "title": "string",
        "subtitle": "string",
        "highlights": "array",
        "meta_title": "max_length",
        "review_quantity": "integer",
        "review_score": "number",
        "enabled": "boolean",
        "in_sitemap": "not_null",
        "brand_id": "exists",
        "upc": "max_length",
        "attributes": "object",
    }
    assert [e.field for e in caught.value.field_errors] == list(body)  # in the order the command declares them
    assert next(e for e in caught.value.field_errors if e.field == "meta_title").params == {"max": 255}


async def test_required_fields_and_integer_ranges(services, workspace):
    with pytest.raises(InvalidInput) as caught:
        await helpers.command(services, workspace, OfferCommand, {"title": "  ", "price": True})
    assert rules(caught.value) == {
        "merchant": "required",
        "title": "required",
        "price": "number",
        "merchant_offer_id": "required",  # or its alias merchant_product_id: with the others, not after them
        "url_detail": "required",
    }
    with pytest.raises(InvalidInput) as caught:
        await helpers.command(
            services, workspace, CategoryCommand, {"title": "T", "parent_id": 2**31, "sort_order": "1"}
        )
    assert rules(caught.value) == {"parent_id": "between", "sort_order": "integer"}
    # Booleans are true/false or 1/0; nothing else.
    assert parse_now(BrandCommand, {"title": "T", "enabled": 0}).enabled is False
    with pytest.raises(InvalidInput):
        parse_now(BrandCommand, {"title": "T", "enabled": "0"})


async def test_an_update_changes_only_what_was_sent(services, workspace):
    body = {"price": 5, "merchant_product_id": "M-1"}
    command = await helpers.command(services, workspace, OfferCommand, body, partial=True)
    assert command.sent() == {"price": 5.0, "merchant_offer_id": "M-1"}  # the deprecated alias names the id


async def test_slug_rules_need_the_workspace(services, workspace):
    await helpers.brand(services, workspace, title="Acme")
    async with services.unit_of_work() as uow:
        svc = BrandService(uow.session)
        for slug, rule in (("ACME", "unique"), ("!!!", "slug")):
            with pytest.raises(InvalidInput) as caught:
                await svc.create(workspace.principal, BrandCommand.model_construct(title="Other", slug=slug))
            assert rules(caught.value) == {"slug": rule}
    # Parsing reports both with the body's other problems (the service keeps checking them where it writes).
    for slug, rule in (("ACME", "unique"), ("!!!", "slug")):
        with pytest.raises(InvalidInput) as caught:
            await helpers.command(services, workspace, BrandCommand, {"title": "x" * 256, "slug": slug})
        assert rules(caught.value) == {"title": "max_length", "slug": rule}


async def test_a_category_cannot_move_under_itself_or_a_descendant(services, workspace):
    root = await helpers.category(services, workspace, title="Root")
    child = await helpers.category(services, workspace, title="Child", parent_id=root.id)
    for parent in (root, child):
        async with services.unit_of_work() as uow:
            with pytest.raises(InvalidInput) as caught:
                command = CategoryCommand.model_validate({"parent_id": parent.id})
                await CategoryService(uow.session).update(workspace.principal, root.id, command)
        assert rules(caught.value) == {"parent_id": "not_descendant"}
        assert caught.value.code == "category_cycle"


def test_includes_name_known_relations_only():
    assert read_includes(" brand, offers ,") == frozenset({"brand", "offers"})
    assert read_includes(None) == frozenset()
    with pytest.raises(ValidationError) as caught:
        TypeAdapter(ProductIncludes).validate_python("brand,reviews")
    error = caught.value.errors()[0]
    assert error["type"] == "include"
    assert error["ctx"] == {"name": "reviews", "allowed": ["brand", "offers", "categories"]}


def test_strings_that_are_no_storable_text_break_the_text_rule():
    """Whatever surface a command comes from, a NUL or an unpaired surrogate never reaches the database."""
    with pytest.raises(InvalidInput) as caught:
        parse_now(BrandCommand, {"title": "a\u0000b", "subtitle": "x\ud800", "content": "fine 😀"})
    assert rules(caught.value) == {"title": "text", "subtitle": "text"}
