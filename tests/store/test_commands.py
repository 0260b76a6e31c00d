"""The store's commands and rules report structured problems: where, which rule, its parameters (the store
surface words them; see ``test_bad_input``), every problem of a command at once, unknown references included."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from domain.errors import FieldError, InvalidInput
from domain.store.article_categories import ArticleCategoryService
from domain.store.articles import ArticleService
from domain.store.commands import ArticleCategoryCommand, ArticleCommand, CleanCommand, CreateUserCommand
from domain.store.settings import read_changes
from domain.store.users import StoreUsersService
from domain.validation import parse, parse_now


class Known:
    """References that exist: ``{kind: ids}``."""

    def __init__(self, **ids: set[int]) -> None:
        self.ids = ids

    async def known(self, kind: str, ids: Sequence[int]) -> set[int]:
        return self.ids.get(kind, set()) & set(ids)


def rules(exc: pytest.ExceptionInfo[InvalidInput]) -> list[tuple[str, str]]:
    return [(e.field, e.rule) for e in exc.value.field_errors]


async def test_every_problem_of_a_command_at_once_in_declaration_order() -> None:
    body = {
        "title": "x" * 256,
        "slug": "%%%",
        "enabled": "maybe",
        "published_at": "yesterday",
        "product_category_id": 999,
        "article_categories": [1, "2", 3],
        "generate_ai_content": "perhaps",
        "generate_images": "often",
        "image_source": "camera",
    }
    with pytest.raises(InvalidInput) as exc:
        await parse(ArticleCommand, body, refs=Known(article_category={1}, category=set()))
    assert rules(exc) == [
        ("title", "max_length"),
        ("slug", "slug"),
        ("enabled", "boolean"),
        ("published_at", "date"),
        ("product_category_id", "exists"),
        ("article_categories.1", "exists"),
        ("article_categories.2", "exists"),
        ("generate_ai_content", "boolean"),
        ("generate_images", "image_slots"),
        ("image_source", "in"),
    ]
    assert exc.value.field_errors[0].params == {"max": 255}
    assert exc.value.field_errors[5].params == {"kind": "article_category"}
    assert all("The " not in e.message for e in exc.value.field_errors)  # no surface's words in the domain


async def test_content_fields_take_strings_for_numbers_booleans_and_dates() -> None:
    command = await parse(
        ArticleCommand,
        {
            "title": "  Spaced  ",
            "enabled": "false",
            "product_category_id": "7",
            "article_categories": ["3", 3, 4],
            "published_at": "2021-02-01",
            "slug": "Best Cameras!",
        },
        refs=Known(category={7}, article_category={3, 4}),
    )
    assert (command.title, command.enabled, command.product_category_id) == ("Spaced", False, 7)
    assert command.article_categories == [3, 4] and command.slug == "best-cameras"
    assert command.published_at is not None and command.published_at.isoformat() == "2021-02-01T00:00:00+00:00"
    category = await parse(ArticleCategoryCommand, {"sort_order": "3"}, partial=True, refs=Known())
    assert category.sent() == {"sort_order": 3}


async def test_a_create_needs_its_title_an_update_does_not_but_never_a_blank_one() -> None:
    with pytest.raises(InvalidInput) as exc:
        await parse(ArticleCommand, {}, refs=Known())
    assert rules(exc) == [("title", "required")]
    assert (await parse(ArticleCommand, {}, partial=True, refs=Known())).sent() == {}
    with pytest.raises(InvalidInput) as exc:
        await parse(ArticleCommand, {"title": " ", "article_categories": None}, partial=True, refs=Known())
    assert rules(exc) == [("title", "required"), ("article_categories", "not_null")]


def test_user_and_clean_commands_name_their_rules() -> None:
    with pytest.raises(InvalidInput) as exc:
        parse_now(CreateUserCommand, {"email": "nope", "roles": ["emperor"], "first_name": 7})
    assert rules(exc) == [("first_name", "string"), ("email", "email"), ("roles", "array_of")]
    assert exc.value.field_errors[2].params == {"values": ["owner", "admin", "staff", "viewer"]}
    assert parse_now(CreateUserCommand, {"email": " Jane@Example.COM "}).email == "jane@example.com"
    with pytest.raises(InvalidInput) as exc:
        parse_now(CleanCommand, {"operations": ["expired_offers", "everything"]})
    assert rules(exc) == [("operations", "in_each")]
    assert exc.value.field_errors[0].params["invalid"] == ["everything"]
    with pytest.raises(InvalidInput) as exc:
        parse_now(CleanCommand, {"operations": []})
    assert rules(exc) == [("operations", "array_of_strings")]


def test_settings_check_every_key_then_every_value() -> None:
    with pytest.raises(InvalidInput) as exc:
        read_changes({"store_live": "yes", "bogus": 1, "store_nope": 2})
    assert rules(exc) == [("bogus", "unknown_setting"), ("store_nope", "unknown_setting")]
    with pytest.raises(InvalidInput) as exc:
        read_changes({"store_live": "yes", "product_per_page": 0, "store_default_country": "XX", "store_name": 5})
    assert rules(exc) == [
        ("store_live", "boolean"),
        ("product_per_page", "between"),
        ("store_default_country", "one_of"),
        ("store_name", "string"),
    ]
    assert exc.value.field_errors[1].params == {"min": 1, "max": 100}
    with pytest.raises(InvalidInput) as exc:
        read_changes({"show_price": 1}, "offers")
    assert exc.value.field_errors == (FieldError(("offers_show_price",), "boolean", "Must be true or false."),)
    assert read_changes({"niche": "  tech ", "enabled_countries": ["us", "GB", "us"]}, "store") == {
        "store_niche": "tech",
        "store_enabled_countries": ["US", "GB"],
    }


async def test_rules_that_need_the_stored_state(services, workspace) -> None:
    principal = workspace.principal
    async with services.unit_of_work() as uow:
        categories = ArticleCategoryService(uow.session)
        parent = await categories.create(principal, ArticleCategoryCommand(title="Parent"))
        child = await categories.create(principal, ArticleCategoryCommand(title="Child", parent_id=parent.category.id))
        await ArticleService(uow.session).create(principal, ArticleCommand(title="Taken"))
    async with services.unit_of_work() as uow:
        with pytest.raises(InvalidInput) as exc:
            cycle = ArticleCategoryCommand(parent_id=child.category.id, slug="child")
            await ArticleCategoryService(uow.session).update(principal, parent.category.id, cycle)
        assert rules(exc) == [("parent_id", "not_descendant"), ("slug", "unique")]
        with pytest.raises(InvalidInput) as exc:
            await ArticleService(uow.session).create(principal, ArticleCommand(title="x", slug="taken"))
        assert rules(exc) == [("slug", "unique")]
        users = StoreUsersService(uow.session, services.tokens)
        with pytest.raises(InvalidInput) as exc:
            await users.login_token(principal, "nobody@example.com")
        assert rules(exc) == [("email", "exists")]
