"""The GraphQL endpoint (HTTP and WebSocket) with Shopwright's context and status codes."""

from __future__ import annotations

from typing import Any, cast

from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http import GraphQLHTTPResponse
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL, GRAPHQL_WS_PROTOCOL

from domain.errors import DomainError
from resolvers.context import AppServices, RequestContext
from resolvers.loaders import build_loaders


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
