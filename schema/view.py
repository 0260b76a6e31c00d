"""The GraphQL endpoint (HTTP and WebSocket) with Shopwright's context and status codes."""

from __future__ import annotations

import json
from typing import Any, cast

from cross_web import AsyncHTTPRequestAdapter, HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError, MissingQueryError
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL, GRAPHQL_WS_PROTOCOL
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType

from domain.errors import DomainError
from resolvers.context import AppServices, RequestContext
from resolvers.loaders import build_loaders
from resolvers.rest.common import Surface
from schema.errors import code_for


def graphql_error_response(status: int, error: DomainError) -> Response:
    """A request refused before any operation ran (body too large, not JSON ...), in GraphQL's shape."""
    extensions = {"code": code_for(error), "status": status}
    return JSONResponse({"data": None, "errors": [{"message": error.message, "extensions": extensions}]}, status)


# For the body-size limit (resolvers.rest.limits): /graphql answers in GraphQL's dialect too.
GRAPHQL_SURFACE = Surface(name="graphql", prefix="/graphql", render_error=graphql_error_response)


class GraphQLView(GraphQL[RequestContext, None]):
    def __init__(self, schema: Any, services: AppServices) -> None:
        super().__init__(
            schema,
            graphql_ide="graphiql",
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL, GRAPHQL_WS_PROTOCOL),
            keep_alive=True,
            keep_alive_interval=15,
        )
        self.services = services

    async def get_context(self, request: Request | WebSocket, response: Response | WebSocket) -> RequestContext:
        context = RequestContext(self.services, request.headers, request=request, response=response)
        context.loaders = build_loaders(self.services)
        return context

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        try:
            response = await self.run(Request(scope=scope, receive=receive))
        except HTTPException as exc:
            # Strawberry answers these in plain text; a client of /graphql gets a GraphQL error body instead.
            error = DomainError(exc.reason, code="bad_request")
            response = graphql_error_response(exc.status_code, error)
        await response(scope, receive, send)

    async def execute_single(
        self,
        request: Request,
        request_adapter: AsyncHTTPRequestAdapter,
        sub_response: Response,
        context: RequestContext,
        root_value: None,
        request_data: GraphQLRequestData,
    ) -> ExecutionResult:
        """As strawberry's, except that a subscription over plain HTTP is refused with a 400.

        (Strawberry would run the subscription field as a query and fail with an internal error.)
        """
        allowed = OperationType.from_http(request_adapter.method) - {OperationType.SUBSCRIPTION}
        if not self.allow_queries_via_get and request_adapter.method == "GET":
            allowed -= {OperationType.QUERY}
        try:
            return await self.schema.execute(
                request_data.query,
                root_value=root_value,
                variable_values=request_data.variables,
                context_value=context,
                operation_name=request_data.operation_name,
                allowed_operation_types=allowed,
                operation_extensions=request_data.extensions,
            )
        except CannotGetOperationTypeError as exc:
            raise HTTPException(400, exc.as_http_error_reason()) from None
        except InvalidOperationTypeError as exc:
            if exc.operation_type is OperationType.SUBSCRIPTION:
                raise HTTPException(400, "Subscriptions are served over WebSocket at /graphql.") from None
            raise HTTPException(400, exc.as_http_error_reason(request_adapter.method)) from None
        except MissingQueryError:
            raise HTTPException(400, "No GraphQL query found in the request.") from None

    def parse_json(self, data: str | bytes) -> Any:
        try:
            value = self.decode_json(data)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise HTTPException(400, f"Malformed JSON: {exc}") from None
        if not isinstance(value, dict | list):  # lists are batches, which strawberry refuses itself
            raise HTTPException(400, "The request body must be a JSON object with a `query`.")
        return value

    async def process_result(self, request: Request, result: ExecutionResult) -> GraphQLHTTPResponse:
        for error in result.errors or []:
            if not (error.extensions or {}).get("code"):
                error.extensions = {**(error.extensions or {}), "code": _code_for_uncoded(error.message, error.path)}
        return await super().process_result(request, result)

    async def on_ws_connect(self, context: RequestContext) -> Any:
        # Credentials given at connection time must be valid; none at all is allowed and each
        # operation then answers UNAUTHENTICATED.
        try:
            if context.token():
                await context.principal()
        except DomainError:
            raise ConnectionRejectionError({"message": "Invalid credentials."}) from None
        return await super().on_ws_connect(context)

    def create_response(
        self, response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse], sub_response: Response
    ) -> Response:
        if isinstance(response_data, dict) and sub_response.status_code is None:
            status = _status_for(response_data)
            if status is not None:
                sub_response.status_code = status
        return super().create_response(response_data, sub_response)


# graphql-core's messages when a variable's value does not fit its declared type (vs. a document error).
_COERCION_FAILURES = (" got invalid value", " has invalid value", " was not provided", " must not be null")


def _code_for_uncoded(message: str, path: Any) -> str:
    """A code for errors graphql-core and strawberry raise without one (domain errors carry their own)."""
    if path is None:  # the operation never ran: the document or its variables were refused
        if message.startswith("Syntax Error"):
            return "GRAPHQL_PARSE_FAILED"
        if message.startswith("Variable '$") and any(part in message for part in _COERCION_FAILURES):
            return "BAD_USER_INPUT"
        return "GRAPHQL_VALIDATION_FAILED"
    return "INTERNAL_SERVER_ERROR"  # raised while resolving, yet not a domain error: unexpected (masked)


def _status_for(data: GraphQLHTTPResponse) -> int | None:
    """401 / 403 when authentication or permission stopped the whole operation (nothing resolved)."""
    errors = data.get("errors") or []
    payload = data.get("data")
    nothing_resolved = payload is None or all(v is None for v in payload.values())
    if not errors or not nothing_resolved:
        return None
    codes = {(cast(dict[str, Any], e).get("extensions") or {}).get("code") for e in errors}
    if "UNAUTHENTICATED" in codes:
        return 401
    if "FORBIDDEN" in codes:
        return 403
    return None
