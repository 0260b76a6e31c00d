"""What the store's AI operations take: commands with the document's rules (``freshstore-api.txt``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field

from domain.store.ai_ops.texts import BY_KEY
from domain.store.commands import Stripped
from domain.validation import REQUIRED, Command, Present, Str, parse_lax_int, rule_error

NICHE_MAX = 255


def _between(low: int, high: int) -> Callable[[Any], Any]:
    """A whole number from ``low`` to ``high`` (also as a string of digits, as the store API takes numbers);
    null: the default."""

    def check(value: Any) -> Any:
        if value is None:
            return None
        number = parse_lax_int(value)
        if number is None:
            raise rule_error("integer", "Must be an integer.")
        if not low <= number <= high:
            raise rule_error("between", f"Must be between {low} and {high}.", min=low, max=high)
        return number

    return check


Niche = Annotated[Str | None, REQUIRED, Present, Field(max_length=NICHE_MAX), Stripped]
OptionalNiche = Annotated[Str | None, Field(max_length=NICHE_MAX), Stripped]


class GenerateCategoryListCommand(Command):
    niche: Niche = Field(default=None, description='The store\'s niche (e.g. "vintage cameras").')
    max_categories: Annotated[int | None, BeforeValidator(_between(1, 20))] = Field(
        default=None, description="Main categories: 1 to 20, default 5."
    )
    max_subcategories: Annotated[int | None, BeforeValidator(_between(0, 10))] = Field(
        default=None, description="Subcategories per main category: 0 to 10, default 5."
    )

    @property
    def categories(self) -> int:
        return 5 if self.max_categories is None else self.max_categories

    @property
    def subcategories(self) -> int:
        return 5 if self.max_subcategories is None else self.max_subcategories


class CleanBrandsCommand(Command):
    niche: OptionalNiche = Field(default=None, description="Free-text niche: the first test of a brand's fit.")
    keep_top: Annotated[int | None, BeforeValidator(_between(1, 50))] = Field(
        default=None, description="1 to 50: at most this many approved brands stay enabled (by product count)."
    )


class NicheCommand(Command):
    """``pick-logo-icon`` and ``generate-logo``: the niche steers the choice."""

    niche: Niche = Field(default=None, description="Free-text niche, e.g. indoor herb gardening (max 255).")


class ArticleTopicsCommand(Command):
    count: Annotated[int | None, BeforeValidator(_between(1, 10))] = Field(
        default=None, description="Topics wanted: 1 to 10, default 3."
    )

    @property
    def wanted(self) -> int:
        return 3 if self.count is None else self.count


def _text_key(value: str) -> str:
    if value not in BY_KEY:
        raise rule_error("in", "Unknown text key.", values=list(BY_KEY))
    return value


class SetTextCommand(Command):
    """A customer's own text for a template row (``regenerate-stock-texts`` never overwrites it)."""

    key: Annotated[Str, AfterValidator(_text_key)]
    value: Annotated[Str | None, REQUIRED, Present, Field(max_length=1000), Stripped] = None
