"""The content area's documents (the bodies the content-services API defines) and their bad input, as
structured errors that say which document was wrong.

A submit or feedback body that breaks its schema raises ``InvalidRequest``; a content configuration that
breaks its schema (a saved one, or a job's ``content_config``) raises ``InvalidConfiguration``. Both are
``InvalidInput`` (every problem as a ``FieldError``, with the rule names of ``domain.validation``); a surface
words them as it likes (the content-services API prefixes its summary with the document's name). Other
``InvalidInput``s of the area (a saved configuration that does not exist, a body that is not an object) are
single problems whose plain summary is their message.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, model_validator

from domain.errors import FieldError, InvalidInput, Loc
from domain.validation import parse_now, rule_error

M = TypeVar("M", bound=BaseModel)

NOT_AN_OBJECT = "The request body must be a JSON object."


class Document(BaseModel):
    """A part of a document: strict JSON types, unknown fields refused."""

    model_config = ConfigDict(extra="forbid", strict=True)

    @model_validator(mode="before")
    @classmethod
    def _json_object(cls, value: Any) -> Any:
        # pydantic's own words name the class ("... or instance of GenerationParams"): the caller sent JSON.
        if not isinstance(value, dict | cls):
            raise rule_error("object", "Input should be a valid dictionary")
        return value


class InvalidRequest(InvalidInput):
    """A submit or feedback body that breaks its schema."""


class InvalidConfiguration(InvalidInput):
    """A content configuration that breaks its schema."""


def parse_document(
    model: type[M],
    data: Any,
    *,
    invalid: type[InvalidInput] = InvalidRequest,
    partial: bool = False,
    prefix: Loc = (),
    reword: Mapping[str, str] | None = None,
    unknown_fields: Literal["sent", "first", "last"] = "sent",
) -> M:
    """``data`` as ``model``, or ``invalid`` with every problem.

    ``reword`` gives a top-level problem this document's own sentence, by rule or by field and rule:
    ``{"unknown": "Unknown field.", "content_config:required": "Required."}``. Unknown top-level fields are
    reported where pydantic finds them (``sent``: last, in the order sent), or by name ``first`` or ``last``.
    """
    if not isinstance(data, dict):
        if prefix:
            raise invalid(errors=[FieldError(prefix, "object", "Must be a JSON object.")])
        raise InvalidInput.field("body", NOT_AN_OBJECT, rule="object")
    try:
        return parse_now(model, data, partial=partial, prefix=prefix)
    except InvalidInput as exc:
        errors = [_reworded(e, reword or {}, len(prefix)) for e in exc.field_errors]
        if unknown_fields != "sent":
            unknown = sorted((e for e in errors if _unknown(e, prefix)), key=lambda e: str(e.loc[-1]))
            known = [e for e in errors if not _unknown(e, prefix)]
            errors = unknown + known if unknown_fields == "first" else known + unknown
        raise invalid(errors=errors) from None


def _unknown(error: FieldError, prefix: Loc) -> bool:
    return error.rule == "unknown" and len(error.loc) == len(prefix) + 1


def _reworded(error: FieldError, reword: Mapping[str, str], depth: int) -> FieldError:
    if len(error.loc) != depth + 1:
        return error
    message = reword.get(f"{error.loc[depth]}:{error.rule}", reword.get(error.rule))
    return replace(error, message=message) if message is not None else error
