"""The structure of a ``content_config`` (the content-services document's "Content Config"), validated.

Unknown keys are refused everywhere except in ``style_guide`` (free-form text the prompt carries) and
``tone`` (free-form, indexed by brand): a typo in a rule name would otherwise silently switch a rule off.
Problems become ``InvalidConfiguration`` (``domain.content.documents``), each located by its path, such as
``("content_generation_params", "content_config", "content_types", "title", "character_limit")``.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, StringConstraints, field_validator, model_validator

from domain.content.documents import Document, InvalidConfiguration, parse_document
from domain.errors import Loc

NonEmpty = Annotated[str, StringConstraints(min_length=1)]
Family = Literal["title", "bullets", "string"]
CONTENT_TYPE_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,63}$")


class KeywordGroups(Document):
    """Names of the product's keyword groups (``product.keywords`` keys) and how each is used."""

    must: list[NonEmpty] | None = None
    should: list[NonEmpty] | None = None
    omit: list[NonEmpty] | None = None
    verbatim_must_claims: list[NonEmpty] | None = None
    non_verbatim_optional_claims: list[NonEmpty] | None = None


class ContentTypeConfig(Document):
    task: NonEmpty | None = None
    character_limit: Annotated[int, Field(gt=0)] | None = None
    guidelines: list[str] | None = None
    guidelines_shortener: list[str] | None = None
    restrictions: list[str] | None = None
    additions: dict[NonEmpty, str] | None = None
    keyword_groups: KeywordGroups | None = None


class ClientConfig(Document):
    prompt_attributes: list[NonEmpty] | None = None
    forbidden_words: list[NonEmpty] | None = None
    content_type_family_map: dict[NonEmpty, Family] | None = None
    field_map: dict[NonEmpty, NonEmpty] | None = None
    validation_entities: list[NonEmpty] | None = None
    false_words_entity_map: dict[NonEmpty, NonEmpty] | None = None
    review_attributes: list[NonEmpty] | None = None
    variant_data_fields: list[NonEmpty] | None = None
    style_guide_content_types: list[NonEmpty] | None = None
    tone_content_types: list[NonEmpty] | None = None
    skip_content_types: list[NonEmpty] | None = None


class StyleGuide(Document):
    model_config = ConfigDict(extra="allow", strict=True)

    tone_of_voice: str | None = None
    writing_style: str | None = None
    target_audience: str | None = None
    grammar: str | None = None
    emotional_tone: str | None = None
    punctuation: str | None = None
    language: str | None = None
    pitch: str | None = None
    choice_of_words: str | None = None
    use_of_emoticons: str | None = None
    pattern: str | None = None
    industry: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _text(cls, value: Any) -> Any:
        if isinstance(value, dict):
            for key, item in value.items():
                if item is not None and not isinstance(item, str):
                    raise ValueError(f"style_guide.{key} must be a string")
        return value


class ContentConfigBody(Document):
    guidelines: list[str] | None = None
    guidelines_shortener: list[str] | None = None
    restrictions: list[str] | None = None
    keyword_groups: KeywordGroups | None = None
    word_map: dict[NonEmpty, str] | None = None
    tone: dict[NonEmpty, dict[NonEmpty, str]] | None = None
    client: ClientConfig | None = None
    style_guide: StyleGuide | None = None
    content_types: dict[NonEmpty, ContentTypeConfig] | None = None

    @field_validator("content_types")
    @classmethod
    def _names(cls, value: dict[str, ContentTypeConfig] | None) -> dict[str, ContentTypeConfig] | None:
        for name in value or {}:
            if not CONTENT_TYPE_PATTERN.match(name):
                raise ValueError(f"content type '{name}' must match {CONTENT_TYPE_PATTERN.pattern}")
        return value

    def normalised(self) -> dict[str, Any]:
        """The configuration as stored and merged: what was given, without the fields left out."""
        return self.model_dump(exclude_none=True)


def parse_content_config(raw: Any, prefix: Loc = ("content_config",)) -> dict[str, Any]:
    """The normalised configuration (``None`` fields dropped), or ``InvalidConfiguration`` with a
    ``FieldError`` per problem, located under ``prefix``."""
    return parse_document(ContentConfigBody, raw, invalid=InvalidConfiguration, prefix=prefix).normalised()


def deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """``override`` on top of ``base``: objects merge key by key, anything else is replaced."""
    merged = dict(base)
    for key, value in override.items():
        current = merged.get(key)
        if isinstance(current, dict) and isinstance(value, dict):
            merged[key] = deep_merge(current, value)
        else:
            merged[key] = value
    return merged
