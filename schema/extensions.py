"""Schema extensions (Strawberry's hook points) that give every operation its scope and its error codes."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from typing import Any

from graphql import DocumentNode, GraphQLError, OperationDefinitionNode, OperationType, StringValueNode, ValidationRule
from graphql import ExecutionResult as GraphQLExecutionResult
from starlette.responses import Response
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionResult, StreamExecutionResult

from domain.errors import DomainError
from domain.validation import text_problem
from resolvers.graphql import Context
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
