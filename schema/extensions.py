"""Schema extensions (Strawberry's hook points) that give every operation its scope, its limits and its error
codes."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterator
from typing import Any

from graphql import (
    DocumentNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    OperationType,
    StringValueNode,
    ValidationRule,
)
from graphql import ExecutionResult as GraphQLExecutionResult
from starlette.responses import Response
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionResult, StreamExecutionResult

from domain.accounts.principal import Principal
from domain.errors import DomainError, Unauthenticated
from domain.validation import text_problem
from resolvers.graphql import Context
from resolvers.ratelimit import BucketState
from schema.cost import Analysis, Limits, OperationFigures, actual_cost, analyse, is_subscription
from schema.errors import to_graphql_error

log = logging.getLogger("shopwright.graphql")

INTERNAL = "Internal server error."
REFUSED = "The document could not be parsed or validated."


class OperationScope(SchemaExtension):
    """Opens the operation's ``RequestScope`` and DataLoaders before it runs and closes them after."""

    async def on_operation(self) -> AsyncIterator[None]:
        context = self.execution_context.context
        if not isinstance(context, Context):
            yield
            return
        operation, token = context.open_operation()
        try:
            yield
        finally:
            await context.close_operation(operation, token)


class SubscriptionsOverWebSocket(SchemaExtension):
    """A subscription sent over plain HTTP is refused with a 400 (Strawberry would otherwise try to run it)."""

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context.context
        if isinstance(context, Context) and not context.is_websocket:
            rules = list(self.execution_context.validation_rules)
            self.execution_context.validation_rules = (*rules, _refuse_subscriptions(context))
        yield


def _refuse_subscriptions(context: Context) -> type[ValidationRule]:
    class RefuseSubscriptions(ValidationRule):
        def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
            if node.operation is OperationType.SUBSCRIPTION:
                if isinstance(context.response, Response):
                    context.response.status_code = 400
                self.report_error(
                    GraphQLError(
                        "Subscriptions are served over WebSocket at /graphql.",
                        node,
                        extensions={"code": "BAD_REQUEST", "status": 400},
                    )
                )

    return RefuseSubscriptions


class TextOnly(SchemaExtension):
    """Strings in the document and in its variables must be text that can be stored: no NUL character, no
    unpaired surrogate (``domain.validation.text_problem``). Refused before anything runs, as bad input."""

    def on_validate(self) -> Iterator[None]:
        problem = _first_problem(self.execution_context.variables)
        rules = list(self.execution_context.validation_rules)
        self.execution_context.validation_rules = (*rules, _text_rule(problem))
        yield


def _first_problem(value: Any) -> str | None:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            problem = text_problem(item)
            if problem:
                return problem
        elif isinstance(item, dict):
            stack.extend([*item.keys(), *item.values()])
        elif isinstance(item, list):
            stack.extend(item)
    return None


def _text_rule(variables_problem: str | None) -> type[ValidationRule]:
    bad_input = {"code": "BAD_USER_INPUT"}

    class TextValues(ValidationRule):
        def enter_document(self, node: DocumentNode, *_: Any) -> None:
            if variables_problem:
                self.report_error(GraphQLError(f"Variables: {variables_problem}.", extensions=bad_input))

        def enter_string_value(self, node: StringValueNode, *_: Any) -> None:
            problem = text_problem(node.value)
            if problem:
                self.report_error(GraphQLError(problem.capitalize() + ".", node, extensions=bad_input))

    return TextValues


class OperationLimits(SchemaExtension):
    """What one document may ask for, measured in one linear pass beside validation (``schema.cost``): its depth,
    its aliases, its cost and its expanded size, refused before anything runs (``MAX_COST_EXCEEDED`` for the
    last two). Then, for a query or mutation of an authenticated caller, the workspace's cost bucket must hold
    the requested cost (else ``THROTTLED``, HTTP 429); what the answer did not use is given back. A query or
    mutation is stopped after ``timeout_seconds`` (``TIMEOUT``). ``extensions.cost`` reports it all, like
    Shopify's Admin API. Subscriptions are held to the depth, aliases and cost of their document only."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.analysis: Analysis | None = None
        self.schema: GraphQLSchema | None = None  # graphql-core's, as validation saw it
        self.actual: int | None = None
        self.bucket: BucketState | None = None

    def on_validate(self) -> Iterator[None]:
        rules = list(self.execution_context.validation_rules)
        self.execution_context.validation_rules = (*rules, _limits_rule(self))
        yield

    async def on_execute(self) -> AsyncIterator[None]:
        context = self.execution_context.context
        running = self.analysis.running if self.analysis else None
        if not isinstance(context, Context) or running is None or is_subscription(running.node):
            yield
            return
        caller = await _caller(context)
        bucket = context.services.cost_bucket
        if caller is not None:
            self.bucket = await bucket.take(caller.workspace_id, running.cost)
            if not self.bucket.allowed:
                self._throttled(context, self.bucket.retry_after(running.cost))
                yield
                return
        timed_out = False
        try:
            async with asyncio.timeout(self.limits.timeout_seconds):
                yield
        except TimeoutError:
            timed_out = True
        self.actual = running.cost if timed_out else self._actual(running)
        if caller is not None:
            self.bucket = await bucket.give_back(caller.workspace_id, running.cost - self.actual)
        if timed_out:
            seconds = f"{self.limits.timeout_seconds:g}"
            raise GraphQLError(f"The operation ran longer than {seconds} s and was stopped.", extensions=TIMEOUT)

    def _throttled(self, context: Context, retry_after: int) -> None:
        error = GraphQLError("Throttled: the workspace's cost budget is spent for now.", extensions=THROTTLED)
        self.execution_context.result = GraphQLExecutionResult(data=None, errors=[error])
        if isinstance(context.response, Response):
            context.response.status_code = 429
            context.response.headers["Retry-After"] = str(retry_after)

    def _actual(self, running: OperationFigures) -> int:
        document = self.execution_context.graphql_document
        data = getattr(self.execution_context.result, "data", None)
        if document is None or self.schema is None:
            return running.cost
        return actual_cost(self.schema, document, running.node, data)

    def get_results(self) -> dict[str, Any]:
        running = self.analysis.running if self.analysis else None
        if running is None or is_subscription(running.node):
            return {}
        cost: dict[str, Any] = {"requestedQueryCost": running.cost, "actualQueryCost": self.actual}
        if self.bucket is not None:
            cost["throttleStatus"] = {
                "maximumAvailable": float(self.bucket.capacity),
                "currentlyAvailable": int(self.bucket.available),
                "restoreRate": float(self.bucket.restore_rate),
            }
        return {"cost": cost}


TIMEOUT = {"code": "TIMEOUT"}
THROTTLED = {"code": "THROTTLED"}


async def _caller(context: Context) -> Principal | None:
    """The authenticated caller, or None: an operation without valid credentials has no budget of its own (the
    fields that need a caller answer UNAUTHENTICATED), only the per-request maximum."""
    try:
        return await context.principal()
    except Unauthenticated:
        return None


def _limits_rule(extension: OperationLimits) -> type[ValidationRule]:
    class DocumentLimits(ValidationRule):
        def enter_document(self, node: DocumentNode, *_: Any) -> None:
            execution = extension.execution_context
            limits = extension.limits
            analysis = analyse(self.context.schema, node, execution.variables, execution.operation_name)
            extension.analysis, extension.schema = analysis, self.context.schema
            for operation in analysis.operations:
                if operation.depth > limits.max_depth:
                    message = f"'{operation.name}' exceeds maximum operation depth of {limits.max_depth}"
                    self.report_error(GraphQLError(message, operation.node))
            if analysis.aliases > limits.max_aliases:
                self.report_error(GraphQLError(f"{analysis.aliases} aliases found. Allowed: {limits.max_aliases}"))
            running = analysis.running
            if running is None:
                return
            if running.cost > limits.max_cost:
                message = (
                    f"Query cost is {running.cost}, which exceeds the single query max cost limit ({limits.max_cost})."
                )
                extensions = {"code": "MAX_COST_EXCEEDED", "cost": running.cost, "maxCost": limits.max_cost}
                self.report_error(GraphQLError(message, running.node, extensions=extensions))
            elif running.fields > limits.max_fields:
                message = (
                    f"The document selects {running.fields} fields once its fragments are expanded, more than the "
                    f"{limits.max_fields} a request may select."
                )
                extensions = {"code": "MAX_COST_EXCEEDED", "fields": running.fields, "maxFields": limits.max_fields}
                self.report_error(GraphQLError(message, running.node, extensions=extensions))

    return DocumentLimits


class ErrorCodes(SchemaExtension):
    """Every error gets an ``extensions.code``: a domain error its own (``NOT_FOUND``, ``FORBIDDEN`` ...);
    a document that does not parse ``GRAPHQL_PARSE_FAILED``; one that does not validate
    ``GRAPHQL_VALIDATION_FAILED``; variables that do not fit their types ``BAD_USER_INPUT``; anything else
    raised while resolving is unexpected: logged with its stack, answered as ``INTERNAL_SERVER_ERROR``
    with a fixed message."""

    def __init__(self) -> None:
        self.phase = "parse"

    def on_parse(self) -> Iterator[None]:
        self.phase = "parse"
        yield

    def on_validate(self) -> Iterator[None]:
        self.phase = "validate"
        yield

    def on_execute(self) -> Iterator[None]:
        self.phase = "execute"
        yield

    def on_operation(self) -> Iterator[None]:
        self.phase = "parse"
        yield
        result = self.execution_context.result
        if isinstance(result, GraphQLExecutionResult | ExecutionResult) and result.errors:
            result.errors = [self._coded(e) for e in result.errors]

    def on_stream_result(self, result: StreamExecutionResult) -> Iterator[None]:
        # Subscription events: an error raised inside the stream gets its code like any other.
        errors = getattr(result, "errors", None)
        if errors:
            result.errors = [self._coded(e) for e in errors]  # type: ignore[union-attr]
        yield

    def _coded(self, error: GraphQLError) -> GraphQLError:
        original = error.original_error
        if isinstance(original, DomainError):
            return to_graphql_error(original, original=error)
        if isinstance(original, GraphQLError) and original is not error:
            # Raised as a GraphQLError by a resolver: its message and extensions, the place it was raised.
            inner = self._coded(original)
            return _copy(error, inner.message, inner.extensions or {})
        if (error.extensions or {}).get("code"):
            return error
        return _copy(error, *coded(error, self.phase))


def coded(error: GraphQLError, phase: str) -> tuple[str, dict[str, Any]]:
    """The message and extensions an uncoded error answers with, by the phase it came from. A document or its
    variables that were refused say why; an exception nobody raised on purpose is logged and says nothing
    of itself (its text could carry internals)."""
    unexpected = error.original_error is not None and not isinstance(error.original_error, GraphQLError)
    if unexpected:
        log.error("unexpected GraphQL error (%s)", phase, exc_info=error.original_error)
    if phase == "parse":
        code, message = "GRAPHQL_PARSE_FAILED", REFUSED if unexpected else error.message
    elif phase == "validate":
        code, message = "GRAPHQL_VALIDATION_FAILED", REFUSED if unexpected else error.message
    elif error.path is None and not unexpected:
        code, message = "BAD_USER_INPUT", error.message
    else:
        code, message = "INTERNAL_SERVER_ERROR", INTERNAL
    return message, {**(error.extensions or {}), "code": code}


def _copy(error: GraphQLError, message: str, extensions: dict[str, Any]) -> GraphQLError:
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        extensions=extensions,
    )
