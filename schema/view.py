"""The GraphQL endpoint (HTTP and WebSocket) with Shopwright's context and status codes."""

from __future__ import annotations

import json
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Coroutine, Generator, Hashable, Mapping
from typing import Any, cast

from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState
from strawberry.asgi import ASGIWebSocketAdapter, GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http import GraphQLHTTPResponse
from strawberry.http.exceptions import WebSocketDisconnected
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL, GRAPHQL_WS_PROTOCOL
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import BaseGraphQLTransportWSHandler, Operation
from strawberry.types import ExecutionResult

from domain.errors import DomainError
from resolvers.context import AppServices, authenticate
from resolvers.graphiql import offline_page
from resolvers.graphql import Context
from resolvers.jsonbody import MalformedJson, decode_json
from resolvers.jsonenc import dumps
from resolvers.live_sessions import LiveSessions
from schema.errors import code_for
from schema.extensions import INTERNAL, coded
from workers.bus import MEMBER, SKIPPED

log = logging.getLogger("shopwright.graphql")


def graphql_error_response(status: int, error: DomainError) -> Response:
    """A request refused before any operation ran (body too large, not JSON ...), in GraphQL's shape."""
    extensions = {"code": code_for(error), "status": status}
    return JSONResponse({"data": None, "errors": [{"message": error.message, "extensions": extensions}]}, status)


class _WebSocketAdapter(ASGIWebSocketAdapter):
    def __init__(self, view: Any, request: WebSocket, response: WebSocket) -> None:
        super().__init__(view, request, response)
        self.sinks: dict[str, Sink] = {}  # the connection's graphql-transport-ws operations, by id

    async def send_json(self, message: Mapping[str, object]) -> None:
        # Closed by this side (access ended, a protocol error) while operations still run: what they send
        # now is dropped, not raised as an error, and the closing handler cancels them.
        if self.ws.application_state == WebSocketState.DISCONNECTED:
            return
        shared = _shared_frame(message)
        sink = self.sinks.get(cast(str, message.get("id"))) if self.sinks else None
        if sink is not None:
            sink.sent(shared[1] if shared is not None and message.get("type") == "next" else None)
        if shared is None:
            await super().send_json(message)
            return
        try:
            await self.ws.send_text(shared[0])
        except WebSocketDisconnect as exc:
            raise WebSocketDisconnected from exc


class Sink:
    """A graphql-transport-ws operation as a member of the bus's fan-out (``workers.bus.Member``): the frames
    its pipeline wrote for the message it took, and the same payload written under its own id for another
    operation of its group (the same document, operation name and variables, and the same audience, set by
    the subscription resolver through ``schema.fanout.share``)."""

    __slots__ = ("adapter", "handler", "key", "made", "operation", "prefix", "request")

    def __init__(self, handler: Any, operation: Any, adapter: _WebSocketAdapter) -> None:
        self.handler, self.operation, self.adapter = handler, operation, adapter
        variables = json.dumps(operation.variables, sort_keys=True, default=repr)
        self.request = (operation.query, operation.operation_name, variables)
        self.key: Hashable | None = None
        self.prefix = encode({"id": operation.id, "type": "next"})[:-1] + ',"payload":'
        self.made: object = SKIPPED

    def share(self, audience: Hashable) -> None:
        self.key = (self.request, audience)

    def taking(self) -> None:
        self.made = SKIPPED

    def sent(self, payload: str | None) -> None:
        # One shareable ``next`` frame for the message is replayable; anything else (errors, a second frame,
        # ``complete``) is not.
        self.made = payload if self.made is SKIPPED else None

    def outcome(self) -> object:
        return self.made

    def replay(self, outcome: object) -> Awaitable[None] | None:
        operation = self.operation
        if (
            self.handler.operations.get(operation.id) is not operation
            or operation.completed
            or self.adapter.ws.application_state == WebSocketState.DISCONNECTED
        ):
            return None  # ended (completed, cancelled, closed): its own pipeline would send nothing either
        return eagerly(self.adapter.ws.send_text(f"{self.prefix}{outcome}}}"))


def eagerly(coroutine: Coroutine[Any, Any, None]) -> Awaitable[None] | None:
    """Run ``coroutine`` now, up to its first suspension: None when it finished (a socket write that did not
    have to wait), else what resumes it (awaited by a task)."""
    try:
        first = coroutine.send(None)
    except StopIteration:
        return None
    return _Resumed(coroutine, first)


class _Resumed:
    """The rest of a coroutine that ``eagerly`` started, for a task to run: it hands the task what the
    coroutine waits on, as the coroutine would have itself."""

    __slots__ = ("coroutine", "first")

    def __init__(self, coroutine: Coroutine[Any, Any, None], first: Any) -> None:
        self.coroutine, self.first = coroutine, first

    def __await__(self) -> Generator[Any, Any, None]:
        coroutine, waiting = self.coroutine, self.first
        while True:
            try:
                sent = yield waiting
            except BaseException as exc:  # thrown in by the task (a cancellation): the coroutine's to handle
                try:
                    waiting = coroutine.throw(exc)
                except StopIteration:
                    return
            else:
                try:
                    waiting = coroutine.send(sent)
                except StopIteration:
                    return


class _TransportWSHandler(BaseGraphQLTransportWSHandler[Context, None]):
    async def run_operation(self, operation: Operation[Context, None]) -> None:
        adapter = self.websocket
        if not isinstance(adapter, _WebSocketAdapter):
            await super().run_operation(operation)
            return
        sink = adapter.sinks[operation.id] = Sink(self, operation, adapter)
        MEMBER.set(sink)  # the operation's own task: its subscription finds it (``schema.fanout.share``)
        try:
            await super().run_operation(operation)
        finally:
            if adapter.sinks.get(operation.id) is sink:
                del adapter.sinks[operation.id]


_JSON = "application/json"
_ENCODED: OrderedDict[int, tuple[object, str]] = OrderedDict()  # id(data) -> (data, its payload encoded)
ENCODED_KEPT = 512


def encode(value: object) -> str:
    """JSON as Strawberry's views write it (``BaseView.encode_json``)."""
    return json.dumps(value, separators=(",", ":"))


def _shared_frame(message: Mapping[str, object]) -> tuple[str, str] | None:
    """A subscription event's frame and its payload, the payload encoded once for every subscriber whose result
    is the same object (``schema.fanout``): byte for byte what encoding the whole message gives. None for any
    other message."""
    payload = message.get("payload")
    if message.get("type") not in ("next", "data") or not isinstance(payload, dict) or list(payload) != ["data"]:
        return None
    if list(message)[-1] != "payload":
        return None
    data = payload["data"]
    found = _ENCODED.get(id(data))
    if found is not None and found[0] is data:
        encoded = found[1]
    else:
        encoded = encode(payload)
        _ENCODED[id(data)] = (data, encoded)
        if len(_ENCODED) > ENCODED_KEPT:
            _ENCODED.popitem(last=False)
    head = encode({k: v for k, v in message.items() if k != "payload"})
    frame = f'{head[:-1]},"payload":{encoded}}}' if len(head) > 2 else f'{{"payload":{encoded}}}'
    return frame, encoded


class GraphQLView(GraphQL[Context, None]):
    websocket_adapter_class = _WebSocketAdapter
    graphql_transport_ws_handler_class = _TransportWSHandler

    def __init__(self, schema: Any, services: AppServices) -> None:
        super().__init__(
            schema,
            graphql_ide="graphiql",
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL, GRAPHQL_WS_PROTOCOL),
            keep_alive=True,
            keep_alive_interval=15,
        )
        self.services = services
        self.live_sessions = LiveSessions(services)  # checked by the app's lifespan (``LiveSessions.run``)

    async def get_context(self, request: Request | WebSocket, response: Response | WebSocket) -> Context:
        return Context(self.services, request, response)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            try:
                await super().__call__(scope, receive, send)
            finally:
                self.live_sessions.unregister(scope)
            return
        try:
            response = await self.run(Request(scope=scope, receive=receive))
        except HTTPException as exc:
            # Strawberry answers these in plain text; a client of /graphql gets a GraphQL error body instead.
            error = DomainError(exc.reason, code="bad_request")
            response = graphql_error_response(exc.status_code, error)
        except DomainError as exc:  # refused while reading the request (a body over the size limit)
            response = graphql_error_response(exc.status, exc)
        except Exception:
            # The last resort: logged (with the request id), answered in GraphQL's shape, never as plain text.
            log.exception("unhandled error on /graphql")
            response = graphql_error_response(500, DomainError(INTERNAL, code="internal_server_error"))
        await response(scope, receive, send)

    def parse_json(self, data: str | bytes) -> Any:
        try:
            value = decode_json(data)
        except MalformedJson as exc:
            raise HTTPException(400, f"Malformed JSON: {exc}") from None
        if not isinstance(value, dict | list):  # lists are batches, which strawberry refuses itself
            raise HTTPException(400, "The request body must be a JSON object with a `query`.")
        return value

    async def process_result(self, request: Request, result: ExecutionResult) -> GraphQLHTTPResponse:
        # An exception that escaped the operation's hooks (a validation rule that crashed on a document
        # referring to an undefined fragment, say) carries no code yet: the document was refused.
        for error in result.errors or []:
            if not (error.extensions or {}).get("code"):
                error.message, error.extensions = coded(error, "validate" if error.path is None else "execute")
        return await super().process_result(request, result)

    async def render_graphql_ide(self, request: Request) -> HTMLResponse:
        # Strawberry's page loads its scripts from a CDN; ours come from the app, so the IDE works offline.
        return HTMLResponse(offline_page(self.graphql_ide_html, request.scope.get("root_path", "")))

    async def on_ws_connect(self, context: Context) -> Any:
        # Credentials given at connection time must be valid; none at all is allowed and each
        # operation then answers UNAUTHENTICATED. A connection with credentials is watched, and closed
        # when its access ends (``LiveSessions``).
        try:
            token = context.token()
            principal = await authenticate(self.services, token) if token else None
        except DomainError:
            raise ConnectionRejectionError({"message": "Invalid credentials."}) from None
        if isinstance(context.request, WebSocket):
            if token and principal is not None:
                self.live_sessions.register(context.request, token, principal)
            else:
                self.live_sessions.unregister(context.request.scope)
        return await super().on_ws_connect(context)

    def create_response(
        self, response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse], sub_response: Response
    ) -> Response:
        """Strawberry's response (its headers, background and status kept), the body written by the REST
        surfaces' encoder (``resolvers.jsonenc.dumps``: orjson, compact UTF-8); WebSocket frames keep
        ``encode_json``."""
        if isinstance(response_data, dict) and sub_response.status_code is None:
            status = _status_for(response_data)
            if status is not None:
                sub_response.status_code = status
        response = Response(dumps(response_data), status_code=sub_response.status_code or 200, media_type=_JSON)
        response.headers.raw.extend(sub_response.headers.raw)
        if sub_response.background:
            response.background = sub_response.background
        return response


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
