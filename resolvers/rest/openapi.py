"""OpenAPI 3.1 documents for the REST surfaces, generated from their operation declarations: paths and
methods from the routes, parameters and request bodies from the query, path and body models, success
bodies from each operation's ``response`` type, error bodies from the surface's dialect. JSON Schemas come
from pydantic (draft 2020-12, which OpenAPI 3.1 uses as is)."""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter
from pydantic.json_schema import GenerateJsonSchema

from resolvers.rest.surface import Operation, Surface

REF = "#/components/schemas/{model}"

_REASONS = {
    400: "Bad request",
    401: "Missing or invalid credentials",
    402: "Not enough credits",
    403: "The credentials lack the permission",
    404: "Not found (also another workspace's object)",
    405: "Method not allowed",
    409: "Conflict",
    413: "Request body too large",
    422: "Invalid input",
    429: "Rate limit exceeded",
    501: "Not available yet",
    503: "Needs a configured provider",
}


class _Schemas:
    """Collects JSON schemas and their shared definitions (``components.schemas``)."""

    def __init__(self) -> None:
        self.components: dict[str, Any] = {}

    def of(self, annotation: Any, *, mode: str = "serialization") -> dict[str, Any]:
        adapter = TypeAdapter(annotation)
        schema = adapter.json_schema(ref_template=REF, mode=mode, schema_generator=GenerateJsonSchema)  # type: ignore[arg-type]
        for name, definition in schema.pop("$defs", {}).items():
            self.components.setdefault(name, definition)
        title = schema.get("title")
        if isinstance(annotation, type) and title and "properties" in schema:
            # Named object types become components, so documents refer to them by name.
            self.components.setdefault(title, schema)
            return {"$ref": REF.format(model=title)}
        return schema


def _parameters(op: Operation, schemas: _Schemas) -> list[dict[str, Any]]:
    params: list[dict[str, Any]] = []
    path_fields = op.path_model.model_fields if op.path_model is not None else {}
    for name in op.path_params:
        info = path_fields.get(name)
        schema = schemas.of(info.annotation, mode="validation") if info is not None else {"type": "string"}
        entry: dict[str, Any] = {"name": name, "in": "path", "required": True, "schema": schema}
        if info is not None and info.description:
            entry["description"] = info.description
        params.append(entry)
    if op.query is not None:
        model_schema = TypeAdapter(op.query).json_schema(ref_template=REF, mode="validation")
        for name, definition in model_schema.pop("$defs", {}).items():
            schemas.components.setdefault(name, definition)
        required = set(model_schema.get("required", []))
        for name, prop in model_schema.get("properties", {}).items():
            description = prop.pop("description", None)
            prop.pop("title", None)
            entry = {"name": name, "in": "query", "required": name in required, "schema": prop}
            if description:
                entry["description"] = description
            params.append(entry)
    return params


def _responses(surface: Surface, op: Operation, schemas: _Schemas) -> dict[str, Any]:
    error = {"content": {"application/json": {"schema": {"$ref": REF.format(model=f"{_title(surface)}Error")}}}}
    out: dict[str, Any] = {}
    success: dict[str, Any] = {"description": op.summary or "Success"}
    if op.response is not None:
        success["content"] = {"application/json": {"schema": schemas.of(op.response)}}
    out[str(op.status)] = success
    statuses = dict(op.responses)
    if not op.public:
        statuses.setdefault(401, _REASONS[401])
        if op.permission:
            statuses.setdefault(403, _REASONS[403])
        if any(rule.covers(op.path) for rule in surface.rate_limits):
            statuses.setdefault(429, _REASONS[429])
    if op.path_params:
        statuses.setdefault(404, _REASONS[404])
    if op.query is not None or op.body_kind != "none":
        statuses.setdefault(surface.dialect.invalid_input_status, _REASONS[422])
    if op.body_kind != "none":
        statuses.setdefault(413, _REASONS[413])
    for status in sorted(statuses):
        out[str(status)] = {"description": statuses[status], **error}
    return out


def _title(surface: Surface) -> str:
    return "".join(part.capitalize() for part in surface.name.replace("-", "_").split("_"))


def _operation(surface: Surface, op: Operation, schemas: _Schemas) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "operationId": op.handler.__name__,
        "summary": op.summary,
    }
    description = op.description
    if description and description.split("\n")[0] != op.summary:
        entry["description"] = description
    elif "\n" in description:
        entry["description"] = description.split("\n", 1)[1].strip()
    if op.tags:
        entry["tags"] = list(op.tags)
    params = _parameters(op, schemas)
    if params:
        entry["parameters"] = params
    if op.body_kind != "none":
        if op.body is not None:
            body_schema = schemas.of(op.body, mode="validation")
        elif op.body_kind == "object":
            body_schema = {"type": "object"}
        else:
            body_schema = {}
        entry["requestBody"] = {"required": op.body_required, "content": {"application/json": {"schema": body_schema}}}
    entry["responses"] = _responses(surface, op, schemas)
    if op.public:
        entry["security"] = []
    if op.permission:
        entry["x-permission"] = op.permission
    return entry


def document(surface: Surface) -> dict[str, Any]:
    """The surface's OpenAPI 3.1 document."""
    schemas = _Schemas()
    paths: dict[str, dict[str, Any]] = {}
    for op in surface.operations:
        item = paths.setdefault(surface.prefix + op.path, {})
        item[op.method.lower()] = _operation(surface, op, schemas)
    schemas.components[f"{_title(surface)}Error"] = surface.dialect.error_schema
    security_schemes: dict[str, Any] = {"bearer": {"type": "http", "scheme": "bearer"}}
    security: list[dict[str, list[str]]] = [{"bearer": []}]
    if surface.allow_x_api_key:
        security_schemes["apiKey"] = {"type": "apiKey", "in": "header", "name": "x-api-key"}
        security.append({"apiKey": []})
    info: dict[str, Any] = {"title": surface.title, "version": surface.version}
    if surface.description:
        info["description"] = surface.description
    return {
        "openapi": "3.1.0",
        "info": info,
        "paths": paths,
        "components": {"schemas": dict(sorted(schemas.components.items())), "securitySchemes": security_schemes},
        "security": security,
    }
