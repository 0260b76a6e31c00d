"""The merchant operations' input, as the store document defines it (types and sizes here; the rules that need the
database, the store's settings or another field are the service's, reported with these in one 422)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, Field

from domain.merchants.ports import API_NAMES
from domain.validation import REQUIRED, Command, IdList, LaxBool, Present, rule_error

MAX_LINKS = 100
MAX_FILL_CATEGORIES = 50
MAX_QUANTITY = 50
DEFAULT_QUANTITY = 5


def _links(value: Any) -> list[str]:
    if not isinstance(value, list) or not value:
        raise rule_error("array_of_strings", "Must be a non-empty array of strings.")
    if len(value) > MAX_LINKS:
        raise rule_error("max_items", f"At most {MAX_LINKS} links.", max=MAX_LINKS)
    if any(not isinstance(v, str) for v in value):
        raise rule_error("array_of_strings", "Must be a non-empty array of strings.")
    return list(value)


def _categories(maximum: int | None) -> BeforeValidator:
    def check(value: Any) -> Any:
        if maximum is not None and isinstance(value, list) and len(value) > maximum:
            raise rule_error("max_items", f"At most {maximum} categories.", max=maximum)
        return value

    return BeforeValidator(check)


def _name(value: Any) -> str:
    if not isinstance(value, str):
        raise rule_error("string", "Must be a string.")
    return value.strip().lower()


def _quantity(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise rule_error("integer", "Must be an integer.")
    if not 1 <= value <= MAX_QUANTITY:
        raise rule_error("between", f"Must be between 1 and {MAX_QUANTITY}.", min=1, max=MAX_QUANTITY)
    return value


class ImportLinksCommand(Command):
    links: Annotated[list[str], REQUIRED, BeforeValidator(_links), Present] = Field(
        default_factory=list,
        description=f"Amazon product URLs (any marketplace) or bare ASINs; at most {MAX_LINKS}.",
        json_schema_extra={"maxItems": MAX_LINKS},
    )
    categories: Annotated[IdList | None, _categories(None)] = Field(
        default=None, description="Category ids to put every imported product in."
    )
    # Not in the store document (fill has it): off by default, so a documented request imports only.
    generate_content: LaxBool = Field(
        default=False, description="Write AI content for the imported products (billed per product)."
    )


class FillCategoriesCommand(Command):
    categories: Annotated[IdList | None, _categories(MAX_FILL_CATEGORIES)] = Field(
        default=None,
        description=f"Category ids (at most {MAX_FILL_CATEGORIES}); omitted: every category of the store.",
        json_schema_extra={"maxItems": MAX_FILL_CATEGORIES},
    )
    api_name: Annotated[str, REQUIRED, BeforeValidator(_name), Present] = Field(
        default="", description=f"The merchant to search: {', '.join(API_NAMES)}."
    )
    locale: Annotated[str, REQUIRED, BeforeValidator(_name), Present] = Field(
        default="", description="The merchant's country locale (us, gb, de, ...)."
    )
    quantity: Annotated[int, BeforeValidator(_quantity)] = Field(
        default=DEFAULT_QUANTITY, description=f"Products per category (1-{MAX_QUANTITY})."
    )
    generate_content: LaxBool = Field(default=True, description="Write AI content for the imported products.")
    ai_relevance_check: LaxBool = Field(
        default=True, description="Ask the AI model whether each item fits the category before importing it."
    )
