"""A small JSON-schema checker for the subset structured outputs use (type, properties, required, items,
enum, maxLength, minItems/maxItems, additionalProperties). Providers use it to refuse answers that do not
match the schema they asked for; it is not a general validator."""

from __future__ import annotations

from typing import Any

_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "null": (type(None),),
}


def _type_ok(value: Any, expected: str) -> bool:
    if expected in ("integer", "number") and isinstance(value, bool):
        return False
    return isinstance(value, _TYPES.get(expected, (object,)))


def schema_errors(value: Any, schema: dict[str, Any], path: str = "$", *, lengths: bool = True) -> list[str]:
    """The ways ``value`` breaks ``schema`` (empty when it matches).

    With ``lengths=False`` the size keywords (maxLength, minItems, maxItems) are not checked: providers use
    that, because a too-long answer is the guardrails' business (shorten, then cut, or warn), not a failure.
    """
    errors: list[str] = []
    expected = schema.get("type")
    if expected is not None:
        options = expected if isinstance(expected, list) else [expected]
        if not any(_type_ok(value, t) for t in options):
            return [f"{path}: expected {'/'.join(options)}, got {type(value).__name__}"]
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{path}: {value!r} is not one of {schema['enum']!r}")
    if lengths and isinstance(value, str) and "maxLength" in schema and len(value) > int(schema["maxLength"]):
        errors.append(f"{path}: longer than {schema['maxLength']} characters")
    if isinstance(value, list) and lengths:
        if "minItems" in schema and len(value) < int(schema["minItems"]):
            errors.append(f"{path}: fewer than {schema['minItems']} items")
        if "maxItems" in schema and len(value) > int(schema["maxItems"]):
            errors.append(f"{path}: more than {schema['maxItems']} items")
    if isinstance(value, list):
        items = schema.get("items")
        if isinstance(items, dict):
            for i, item in enumerate(value):
                errors.extend(schema_errors(item, items, f"{path}[{i}]", lengths=lengths))
    if isinstance(value, dict):
        properties: dict[str, Any] = schema.get("properties", {})
        for name in schema.get("required", []):
            if name not in value:
                errors.append(f"{path}: missing required property '{name}'")
        for name, item in value.items():
            if name in properties:
                errors.extend(schema_errors(item, properties[name], f"{path}.{name}", lengths=lengths))
            elif schema.get("additionalProperties") is False:
                errors.append(f"{path}: unexpected property '{name}'")
    return errors
