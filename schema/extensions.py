"""Schema extensions (Strawberry's hook points) that give every operation its scope, its limits and its error
codes."""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import AsyncIterator, Hashable, Iterator, Mapping
from contextvars import ContextVar
from functools import lru_cache
from typing import Any

from graphql import (
    DocumentNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    OperationType,
    StringValueNode,
    ValidationRule,
    parse,
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

DOCUMENTS_CACHED = 256  # distinct document texts kept parsed (and, once valid, known valid), least recent out


@lru_cache(maxsize=DOCUMENTS_CACHED)
def _parsed(query: str, options: tuple[tuple[str, Any], ...]) -> DocumentNode:
    return parse(query, **dict(options))


class DocumentCache(SchemaExtension):
    """Parses each document text once: the parsed document (an immutable tree) is kept in a bounded LRU keyed
    by the text and the parse options (the token limit). A text that does not parse is not kept: Strawberry
    parses it again and answers the error as always. Validation is cached in ``OperationLimits``."""

    def on_parse(self) -> Iterator[None]:
        execution = self.execution_context
        if execution.graphql_document is None and execution.query:
            try:
                execution.graphql_document = _parsed(execution.query, tuple(sorted(execution.parse_options.items())))
            except GraphQLError:
                pass
        yield


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
        if not isinstance(context, Context) or context.is_websocket:
            yield
            return
        self.execution_context.validation_rules = (*self.execution_context.validation_rules, RefuseSubscriptions)
        token = _VALIDATING.set(context)
        try:
            yield
        finally:
            _VALIDATING.reset(token)


# What the validation rules below need of the request being validated (rules are classes that graphql-core
# makes for each validation: set around it, instead of a class made for every request).
_VALIDATING: ContextVar[Context | None] = ContextVar("shopwright_validating", default=None)
_VARIABLES_PROBLEM: ContextVar[str | None] = ContextVar("shopwright_variables_problem", default=None)


class RefuseSubscriptions(ValidationRule):
    def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
        if node.operation is OperationType.SUBSCRIPTION:
            context = _VALIDATING.get()
            if context is not None and isinstance(context.response, Response):
                context.response.status_code = 400
            self.report_error(
                GraphQLError(
                    "Subscriptions are served over WebSocket at /graphql.",
                    node,
                    extensions={"code": "BAD_REQUEST", "status": 400},
                )
            )


class TextOnly(SchemaExtension):
    """Strings in the document and in its variables must be text that can be stored: no NUL character, no
    unpaired surrogate (``domain.validation.text_problem``). Refused before anything runs, as bad input."""

    def on_validate(self) -> Iterator[None]:
        self.execution_context.validation_rules = (*self.execution_context.validation_rules, TextValues)
        token = _VARIABLES_PROBLEM.set(_first_problem(self.execution_context.variables))
        try:
            yield
        finally:
            _VARIABLES_PROBLEM.reset(token)


class TextValues(ValidationRule):
    def enter_document(self, node: DocumentNode, *_: Any) -> None:
        problem = _VARIABLES_PROBLEM.get()
        if problem:
            self.report_error(_variables_error(problem))

    def enter_string_value(self, node: StringValueNode, *_: Any) -> None:
        problem = text_problem(node.value)
        if problem:
            self.report_error(GraphQLError(problem.capitalize() + ".", node, extensions={"code": "BAD_USER_INPUT"}))


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


def _variables_error(problem: str) -> GraphQLError:
    return GraphQLError(f"Variables: {problem}.", extensions={"code": "BAD_USER_INPUT"})


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
        execution = self.execution_context
        key = _validation_key(execution)
        if key is not None and key in _VALID:
            # Every rule that reads only the document passed before: what is left to check reads the variables
            # (their text, the cost of the sizes they give), and is exactly what the rules below would report.
            _VALID.move_to_end(key)
            schema = execution.schema._schema
            document = execution.graphql_document
            assert document is not None
            self.analysis, self.schema = _analysis(schema, document, execution), schema
            problem = _first_problem(execution.variables)
            errors = [_variables_error(problem)] if problem else []
            execution.pre_execution_errors = errors + limit_errors(self.analysis, self.limits)
            yield
            return
        rules = list(execution.validation_rules)
        execution.validation_rules = (*rules, _limits_rule(self))
        yield
        if key is not None and execution.pre_execution_errors == []:
            _VALID[key] = None
            if len(_VALID) > DOCUMENTS_CACHED:
                _VALID.popitem(last=False)

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
            schema = self.context.schema
            extension.analysis = _analysis(schema, node, extension.execution_context)
            extension.schema = schema
            for error in limit_errors(extension.analysis, extension.limits):
                self.report_error(error)

    return DocumentLimits


def limit_errors(analysis: Analysis, limits: Limits) -> list[GraphQLError]:
    """What ``analysis`` breaks of ``limits``, in the order the document is refused for it."""
    errors: list[GraphQLError] = []
    for operation in analysis.operations:
        if operation.depth > limits.max_depth:
            message = f"'{operation.name}' exceeds maximum operation depth of {limits.max_depth}"
            errors.append(GraphQLError(message, operation.node))
    if analysis.aliases > limits.max_aliases:
        errors.append(GraphQLError(f"{analysis.aliases} aliases found. Allowed: {limits.max_aliases}"))
    running = analysis.running
    if running is None:
        return errors
    if running.cost > limits.max_cost:
        message = f"Query cost is {running.cost}, which exceeds the single query max cost limit ({limits.max_cost})."
        extensions = {"code": "MAX_COST_EXCEEDED", "cost": running.cost, "maxCost": limits.max_cost}
        errors.append(GraphQLError(message, running.node, extensions=extensions))
    elif running.fields > limits.max_fields:
        message = (
            f"The document selects {running.fields} fields once its fragments are expanded, more than the "
            f"{limits.max_fields} a request may select."
        )
        extensions = {"code": "MAX_COST_EXCEEDED", "fields": running.fields, "maxFields": limits.max_fields}
        errors.append(GraphQLError(message, running.node, extensions=extensions))
    return errors


# --- what is kept between requests -----------------------------------------------------------------------
#
# Validation depends on the schema and the document only, except for three rules of ours: subscriptions are
# refused over HTTP (so the transport is part of the key), variables must be storable text, and the cost of
# page sizes given by variables. A document that once passed every rule passes every rule that reads the
# document alone; each later request only re-checks what reads its variables (``OperationLimits``).
# The cost analysis is kept per document, operation and the variables it can read (their scalar values).

_VALID: OrderedDict[tuple[Hashable, ...], None] = OrderedDict()
_ANALYSES: OrderedDict[tuple[Hashable, ...], Analysis] = OrderedDict()


def _validation_key(execution: Any) -> tuple[Hashable, ...] | None:
    if execution.graphql_document is None or not execution.query:
        return None
    context = execution.context
    refuses_subscriptions = isinstance(context, Context) and not context.is_websocket
    return (execution.schema._schema, execution.query, refuses_subscriptions)


def _variables_key(variables: Any) -> tuple[Hashable, ...] | None:
    """What the cost analysis can read of the variables: a number's type and value, else only its presence
    (anything that is not a number counts as the largest page, whatever it holds)."""
    if variables is None:
        return ()
    if not isinstance(variables, Mapping):
        return None
    key: list[Hashable] = []
    for name, value in variables.items():
        if value is None or isinstance(value, int | float):
            key.append((name, type(value).__name__, value))
        else:
            key.append((name, "other"))
    return tuple(sorted(key, key=repr))


def _analysis(schema: GraphQLSchema, document: DocumentNode, execution: Any) -> Analysis:
    variables = _variables_key(execution.variables)
    if variables is None or not execution.query:
        return analyse(schema, document, execution.variables, execution.operation_name)
    key = (schema, id(document), execution.query, execution.operation_name, variables)
    found = _ANALYSES.get(key)
    if found is None:
        found = analyse(schema, document, execution.variables, execution.operation_name)
        _ANALYSES[key] = found
        if len(_ANALYSES) > DOCUMENTS_CACHED * 4:
            _ANALYSES.popitem(last=False)
    else:
        _ANALYSES.move_to_end(key)
    return found


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
