"""The shape of a REST surface: one Starlette sub-app mounted at its prefix.

A surface is its operations (``Router``s of handlers declared with their permission, their typed query,
body and path models, and their documented response), its dialect (how errors, bad input, unknown paths and
refusals read), its auth (``Authorization: Bearer``, optionally ``x-api-key``) and its rate limits (per
route group, from settings). Every request goes through one pipeline:

    authenticate → rate-limit → check the permission → parse path, query and body → handler → response

and any ``DomainError`` on the way is answered in the surface's dialect; anything unexpected is logged and
answered as the dialect's 500, never with a stack trace. The OpenAPI 3.1 document is generated from the same
declarations (``resolvers.rest.openapi``) and served at ``<prefix>/openapi.json``.
"""

from __future__ import annotations

import inspect
import logging
import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal, TypeVar, get_type_hints

from pydantic import BaseModel, ValidationError
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route

from domain.accounts.principal import Principal
from domain.db import UnitOfWork
from domain.errors import DomainError, FieldError, InvalidInput, NotFound
from domain.validation import parse_now, text_problem
from resolvers.context import AppServices, RequestScope, bearer_token
from resolvers.jsonbody import MalformedJson, decode_json
from resolvers.jsonenc import JSONResponse
from resolvers.ratelimit import RateDecision
from resolvers.rest.limits import BodyLimitMiddleware

log = logging.getLogger(__name__)

T = TypeVar("T")

Method = Literal["GET", "POST", "PUT", "PATCH", "DELETE"]
_PATH_PARAM = re.compile(r"{([a-zA-Z_][a-zA-Z0-9_]*)(?::[a-z]+)?}")


LAST_RESORT = b'{"message": "Internal server error."}'


class TooManyRequests(DomainError, status=429, code="rate_limited"):
    """The caller's rate limit for the operation is used up."""


class RouteNotFound(DomainError, status=404, code="not_found"):
    """No operation of the surface has this path."""


class MethodNotAllowed(DomainError, status=405, code="method_not_allowed"):
    """The path takes other methods."""


class Dialect:
    """How a surface words its answers. Subclasses override ``render`` and describe their error body."""

    error_schema: ClassVar[dict[str, Any]] = {
        "type": "object",
        "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
        "required": ["code", "message"],
    }

    # The status of bad input (an ``InvalidInput`` that names no status of its own) in this dialect.
    invalid_input_status: ClassVar[int] = InvalidInput.status

    def status_of(self, error: DomainError) -> int:
        if isinstance(error, InvalidInput) and error.status == InvalidInput.status:
            return self.invalid_input_status
        return error.status

    def render(self, status: int, error: DomainError) -> Response:
        body: dict[str, Any] = {"code": error.code, "message": error.message}
        if isinstance(error, InvalidInput) and error.field_errors:
            body["errors"] = error.errors
        return JSONResponse(body, status_code=status)

    def route_error(self, status: int, request: Request | None = None, allowed: Sequence[str] = ()) -> Response:
        """An unknown path (404) or a method the path does not take (405; ``allowed``: the ones it takes)."""
        if status == 405:
            return self.render(405, MethodNotAllowed("This method is not allowed on this path."))
        if status == 404:
            return self.render(404, RouteNotFound("No such path."))
        error = DomainError("The request could not be handled.")
        error.status = status
        return self.render(status, error)

    def internal_error(self) -> Response:
        return self.render(500, DomainError("Internal server error.", code="internal_error"))


# --- operations --------------------------------------------------------------------------------------


@dataclass
class Call:
    """What a handler receives: the request, its scope (caller, session, writes) and its surface.
    ``read(fn)`` / ``write(fn)`` run ``fn(session or uow, caller)`` (``RequestScope.read_as_caller``)."""

    request: Request
    scope: RequestScope
    surface: Surface

    async def principal(self) -> Principal:
        return await self.scope.principal()

    async def read(self, fn: Callable[[AsyncSession, Principal], Awaitable[T]]) -> T:
        return await self.scope.read_as_caller(fn)

    async def write(self, fn: Callable[[UnitOfWork, Principal], Awaitable[T]], *, retry_unique: bool = False) -> T:
        return await self.scope.write_as_caller(fn, retry_unique=retry_unique)

    @property
    def base_url(self) -> str:
        """The request's own base URL (scheme, host, root path), without a trailing slash."""
        return str(self.request.base_url).rstrip("/")


Handler = Callable[..., Awaitable[Response]]
BodyKind = Literal["none", "model", "object", "json"]
Lookup = Callable[[AsyncSession, Principal, Any], Awaitable[object]]


@dataclass
class Operation:
    method: Method
    path: str  # relative to the surface's prefix, Starlette syntax: "/products/{id}"
    handler: Handler
    permission: str | None
    public: bool
    summary: str
    response: Any  # a type whose JSON schema documents the success body (None: no body)
    status: int
    query: type[BaseModel] | None
    path_model: type[BaseModel] | None
    body: type[BaseModel] | None
    body_kind: BodyKind
    body_required: bool
    partial: bool
    tags: tuple[str, ...]
    responses: Mapping[int, str]  # other documented statuses and what they mean
    lookup: Lookup | None = None
    parse_body: Callable[[Any], BaseModel] | None = None
    read_body_first: bool = False
    deprecated: bool = False

    @property
    def path_params(self) -> list[str]:
        return _PATH_PARAM.findall(self.path)

    @property
    def description(self) -> str:
        return inspect.getdoc(self.handler) or ""


class Router:
    """A group of operations, declared with decorators: ``@router.get("/products", permission=...)``.

    A handler takes ``call: Call`` and, by name, ``query`` (a model parsed from the query string), ``path``
    (a model parsed from the path; one that does not parse names nothing: 404) and ``body``: a model (the JSON
    body parsed with ``RequestScope.parse``, so referenced ids are checked), ``dict[str, Any]`` (a JSON
    object) or ``Any`` (any JSON value; ``None`` when the body is empty).

    Three options keep the order in which an existing API answered, where clients may depend on it:
    ``lookup(session, caller, path)`` loads the object the path names before the body is parsed (a missing
    one answers 404 before the body's problems, as Laravel binds route models before it validates);
    ``parse_body(json)`` parses the body with the surface's own document parser instead of
    ``RequestScope.parse``; ``read_body_first`` reads the JSON before the permission is checked (malformed
    JSON is answered before a missing permission).
    """

    def __init__(self, *, tags: Sequence[str] = ()) -> None:
        self.tags = tuple(tags)
        self.operations: list[Operation] = []

    def route(
        self,
        method: Method,
        path: str,
        *,
        permission: str | None = None,
        public: bool = False,
        summary: str = "",
        response: Any = None,
        status: int = 200,
        partial: bool | None = None,
        body_required: bool = True,
        responses: Mapping[int, str] | None = None,
        tags: Sequence[str] = (),
        lookup: Lookup | None = None,
        parse_body: Callable[[Any], BaseModel] | None = None,
        read_body_first: bool = False,
    ) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            hints = get_type_hints(handler)
            params = inspect.signature(handler).parameters
            query = _model(hints.get("query")) if "query" in params else None
            path_model = _model(hints.get("path")) if "path" in params else None
            body: type[BaseModel] | None = None
            body_kind: BodyKind = "none"
            if "body" in params:
                body = _model(hints.get("body"))
                if body is not None:
                    body_kind = "model"
                else:
                    body_kind = "object" if _is_object(hints.get("body")) else "json"
            self.operations.append(
                Operation(
                    method=method,
                    path=path,
                    handler=handler,
                    permission=permission,
                    public=public,
                    summary=summary or _first_line(handler),
                    response=response,
                    status=status,
                    query=query,
                    path_model=path_model,
                    body=body,
                    body_kind=body_kind,
                    body_required=body_required,
                    partial=(method == "PATCH") if partial is None else partial,
                    tags=tuple(tags) or self.tags,
                    responses=dict(responses or {}),
                    lookup=lookup,
                    parse_body=parse_body,
                    read_body_first=read_body_first,
                )
            )
            return handler

        return register

    def get(self, path: str, **options: Any) -> Callable[[Handler], Handler]:
        return self.route("GET", path, **options)

    def post(self, path: str, **options: Any) -> Callable[[Handler], Handler]:
        return self.route("POST", path, **options)

    def put(self, path: str, **options: Any) -> Callable[[Handler], Handler]:
        return self.route("PUT", path, **options)

    def patch(self, path: str, **options: Any) -> Callable[[Handler], Handler]:
        return self.route("PATCH", path, **options)

    def delete(self, path: str, **options: Any) -> Callable[[Handler], Handler]:
        return self.route("DELETE", path, **options)


def _model(hint: Any) -> type[BaseModel] | None:
    return hint if isinstance(hint, type) and issubclass(hint, BaseModel) else None


def _is_object(hint: Any) -> bool:
    return hint is dict or getattr(hint, "__origin__", None) is dict


def _first_line(handler: Handler) -> str:
    return (inspect.getdoc(handler) or handler.__name__.replace("_", " ").capitalize()).split("\n")[0]


# --- rate limits ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RateLimit:
    """``per_minute`` requests for the operations whose path starts with one of ``paths`` (every operation
    when empty), counted per caller (``per="credential"``: per API key or member) or per workspace.
    Settings override it as ``"<surface>.<group>"``."""

    group: str
    per_minute: int
    paths: tuple[str, ...] = ()

    def covers(self, path: str) -> bool:
        return not self.paths or any(path == p or path.startswith(p.rstrip("/") + "/") for p in self.paths)


# --- the surface ---------------------------------------------------------------------------------------


@dataclass
class Surface:
    name: str
    prefix: str
    title: str
    dialect: Dialect
    routers: Sequence[Router]
    version: str = "1.0.0"
    description: str = ""
    allow_x_api_key: bool = False
    rate_limits: Sequence[RateLimit] = ()
    rate_per: Literal["credential", "workspace"] = "credential"
    operations: list[Operation] = field(init=False)
    _openapi: bytes | None = field(init=False, default=None, repr=False)

    def __post_init__(self) -> None:
        self.operations = [op for router in self.routers for op in router.operations]

    def rate_limit_keys(self) -> set[str]:
        """The settings keys (``"<surface>.<group>"``) that set this surface's limits."""
        return {f"{self.name}.{rule.group}" for rule in self.rate_limits}

    # --- the sub-app ----------------------------------------------------------------------------

    def mount(self, services: AppServices) -> Mount:
        return Mount(self.prefix, app=self.app(services), name=self.name)

    def app(self, services: AppServices) -> Starlette:
        routes: list[Route] = [Route("/openapi.json", self._openapi_endpoint, methods=["GET"])]
        by_path: dict[str, list[Operation]] = {}
        for op in self.operations:
            by_path.setdefault(op.path, []).append(op)
        for path, ops in by_path.items():
            routes.append(Route(path, self._endpoint(services, ops), methods=[op.method for op in ops]))
        dialect = self.dialect

        async def unexpected(request: Request, exc: Exception) -> Response:
            # The last resort, for what escapes the pipeline (a middleware, say): logged, answered in dialect.
            log.error("unhandled error in %s %s", request.method, request.url.path, exc_info=exc)
            return self._render(None)

        async def http_error(request: Request, exc: Exception) -> Response:
            status = exc.status_code if isinstance(exc, HTTPException) else 500
            allow = (exc.headers or {}).get("Allow", "") if isinstance(exc, HTTPException) else ""
            allowed = sorted(m.strip() for m in allow.split(",") if m.strip() and m.strip() != "HEAD")
            response = dialect.route_error(status, request, allowed)
            if status == 405 and allowed:
                response.headers["Allow"] = ", ".join(allowed)  # RFC 9110: a 405 says what the path takes
            return response

        app = Starlette(
            routes=routes,
            middleware=[Middleware(BodyLimitMiddleware, max_bytes=services.max_body_bytes, render=dialect.render)],
            exception_handlers={HTTPException: http_error, Exception: unexpected},
        )
        return app

    def _limits(self, services: AppServices, op: Operation, override: int | None = None) -> list[tuple[RateLimit, int]]:
        """The operation's route groups and their limits; ``override`` (an API key's own limit, when it has
        one) replaces every group's limit. A limit of 0 is no limit."""
        out: list[tuple[RateLimit, int]] = []
        for rule in self.rate_limits:
            if rule.covers(op.path):
                if override is not None:
                    limit = override
                else:
                    limit = services.rate_limits.get(f"{self.name}.{rule.group}", rule.per_minute)
                if limit > 0:
                    out.append((rule, limit))
        return out

    def _endpoint(self, services: AppServices, ops: list[Operation]) -> Callable[[Request], Awaitable[Response]]:
        by_method = {op.method: op for op in ops}

        async def endpoint(request: Request) -> Response:
            op = by_method.get(request.method) or by_method["GET"]  # type: ignore[call-overload]  # (HEAD: GET)
            request.scope["route_template"] = self.prefix + op.path

            def token() -> str | None:
                return bearer_token(request.headers, allow_x_api_key=self.allow_x_api_key)

            async with RequestScope(services, token, authenticate_on_read=True) as scope:
                headers: dict[str, str] = {}
                try:
                    response = await self._run(Call(request, scope, self), op, services, headers)
                except DomainError as exc:
                    response = self._render(exc)
                except Exception:
                    log.exception("unhandled error in %s %s", request.method, request.url.path)
                    response = self._render(None)
                response.headers.update(headers)
                return response

        return endpoint

    async def _run(self, call: Call, op: Operation, services: AppServices, headers: dict[str, str]) -> Response:
        request = call.request
        raw: Any = None
        if op.read_body_first and op.body_kind != "none":
            raw = await read_json(request, required=op.body_required)
        if not op.public:
            principal = await call.principal()
            await self._rate_limit(services, op, principal, headers)
            if op.permission is not None:
                principal.require(op.permission)
        kwargs: dict[str, Any] = {}
        if op.path_model is not None:
            params = dict(request.path_params)
            if any(text_problem(str(v)) for v in params.values()):
                raise NotFound("No such object.")  # a path that no text names, nothing has
            try:
                kwargs["path"] = op.path_model.model_validate(params)
            except ValidationError:
                raise NotFound("No such object.") from None
        if op.body_kind != "none" and not op.read_body_first:
            raw = await read_json(request, required=op.body_required)  # malformed JSON: refused on its own
        if op.lookup is not None:
            lookup, path = op.lookup, kwargs.get("path")
            await call.read(lambda session, caller: lookup(session, caller, path))
        # Query and body problems are reported together.
        problems: list[FieldError] = []
        if op.query is not None:
            try:
                kwargs["query"] = parse_now(op.query, query_dict(request, op.query))
            except InvalidInput as exc:
                problems.extend(exc.field_errors)
        if op.body_kind != "none":
            try:
                kwargs["body"] = await self._body(call, op, raw, getattr(kwargs.get("path"), "id", None))
            except InvalidInput as exc:
                if exc.code == "invalid_json" or not exc.field_errors:
                    raise
                if problems:
                    problems.extend(exc.field_errors)
                else:
                    raise  # the surface's own document error, as it is
        if problems:
            raise InvalidInput(errors=problems)
        return await op.handler(call, **kwargs)

    @staticmethod
    async def _body(call: Call, op: Operation, raw: Any, subject: Any = None) -> Any:
        """The body as the operation takes it; ``subject``: the id the path names (an update's own values are
        not taken by another object)."""
        if op.body_kind == "json":
            return raw
        if raw is None and not op.body_required:
            raw = {}
        if op.parse_body is not None:
            return op.parse_body(raw)
        if not isinstance(raw, dict):
            raise InvalidInput("The request body must be a JSON object.", code="invalid_json")
        if op.body_kind == "object":
            return raw
        assert op.body is not None
        return await call.scope.parse(
            op.body, raw, partial=op.partial, subject=subject if isinstance(subject, int) else None
        )

    def _render(self, error: DomainError | None) -> Response:
        """The dialect's answer for ``error`` (None: the 500); if even that fails, a fixed 500 in JSON."""
        try:
            return (
                self.dialect.internal_error()
                if error is None
                else self.dialect.render(self.dialect.status_of(error), error)
            )
        except Exception:
            log.exception("the %s dialect could not render an error", self.name)
            return Response(LAST_RESORT, status_code=500, media_type="application/json")

    async def _rate_limit(
        self, services: AppServices, op: Operation, principal: Principal, headers: dict[str, str]
    ) -> None:
        limits = self._limits(services, op, principal.rate_limit_per_minute if principal.api_key_id else None)
        if not limits:
            return
        if self.rate_per == "workspace":
            caller = f"ws:{principal.workspace_id}"
        else:
            caller = principal.api_key_id or f"user:{principal.user_id}"
        tightest: RateDecision | None = None
        refused: RateDecision | None = None
        for rule, limit in limits:
            decision = await services.rate_limiter.hit(f"{self.name}:{rule.group}:{caller}", limit)
            if tightest is None or decision.remaining < tightest.remaining:
                tightest = decision
            if not decision.allowed and (refused is None or decision.reset_after > refused.reset_after):
                refused = decision
        chosen = refused or tightest
        if chosen is not None:
            headers.update(chosen.headers())
        if refused is not None:
            raise TooManyRequests("Too many requests; slow down and retry after the time in Retry-After.")

    async def _openapi_endpoint(self, request: Request) -> Response:
        if self._openapi is None:  # generated once: the document is public and takes a while to build
            from resolvers.rest.openapi import document

            self._openapi = bytes(JSONResponse(document(self)).body)
        return Response(self._openapi, media_type="application/json")


# --- request parsing -----------------------------------------------------------------------------------


def query_dict(request: Request, model: type[BaseModel]) -> dict[str, Any]:
    """The query string for ``model``: list fields take every value of their key, others the last one. A
    value that is no text (a NUL character) is refused here, as a problem of its parameter."""
    params = request.query_params
    out: dict[str, Any] = {}
    problems: list[FieldError] = []
    for name, info in model.model_fields.items():
        key = info.alias or name
        if key not in params:
            continue
        values = params.getlist(key)
        for value in values:
            problem = text_problem(value)
            if problem:
                problems.append(FieldError((key,), "text", problem.capitalize() + "."))
                break
        out[key] = values if _is_list(info.annotation) else params[key]
    if problems:
        raise InvalidInput(errors=problems)
    return out


def _is_list(annotation: Any) -> bool:
    origin = getattr(annotation, "__origin__", None)
    if origin is list:
        return True
    return any(_is_list(arg) for arg in getattr(annotation, "__args__", ()) if arg is not type(None))


async def read_json(request: Request, *, required: bool = True) -> Any:
    """The parsed JSON body (``None`` when empty and not required). The size limit is the middleware's."""
    raw = await request.body()
    if not raw.strip():
        if required:
            raise InvalidInput("A JSON request body is required.", code="invalid_json")
        return None
    content_type = request.headers.get("content-type", "application/json").split(";")[0].strip().lower()
    if content_type and content_type != "application/json" and not content_type.endswith("+json"):
        raise InvalidInput("The request body must be application/json.", code="invalid_json")
    try:
        return decode_json(raw)
    except MalformedJson as exc:
        raise InvalidInput(f"Malformed JSON: {exc}", code="invalid_json") from None
