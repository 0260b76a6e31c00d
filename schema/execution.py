"""The executor every operation runs with: Strawberry's (graphql-core's), with two short ways through the
fields that make up most of an answer. Both give the same answers and the same errors as the long way.

- **Plain scalar fields**: a field without a resolver (Strawberry's "basic" fields: the value is an
  attribute of the object), without arguments and of a scalar or enum type. graphql-core builds a resolve
  info for each, calls Strawberry's default resolver, checks twice whether the value is awaitable and walks
  ``complete_value`` to the scalar's ``coerce_output_value``; here the attribute is read and coerced. A
  field whose value is not a plain value, is missing where the type is non-null, or fails to coerce takes the
  long way (the same error, with its path and locations).
- **Values an object already holds**: an object whose type has a private ``held`` field (a dict keyed by
  Python field name: ``HELD``) may be handed the values of resolver fields beforehand, for instance a
  product's brand, categories and offers loaded for a whole page at once. Such a field (without arguments)
  completes the held value without calling its resolver: no coroutine, no DataLoader future, no gather. An
  object without the value (``held`` is ``None`` or lacks the name) calls the resolver as before.

- **Whole objects built at once**: when every field of an object's selection takes one of the ways above, or
  is a plain attribute whose value is an object or a list (a connection's ``edges``, an edge's ``node``), and
  so on down every sub-selection, the object's answer is built in one pass by a function generated once per
  selection (``_compile``: the fields read in order and answered as one dict display): no resolve info, no
  ``complete_value`` chain, no awaitable checks, no call per field. The first thing such a pass
  does not expect (a value that is not plain, a null where the type is non-null, an object its type's
  ``is_type_of`` refuses, a missing held value, a scalar that does not coerce) abandons the pass, which had
  no effects, and the object goes the field-by-field way above: errors are graphql-core's, as before.

Besides, ``complete_value`` dispatches on the exact class of a type and an object with nothing deferred goes
from its ``is_type_of`` check straight to ``execute_fields``; a list field without directives is not searched
for ``@stream``.

Neither short way applies when field middleware is installed (a Strawberry extension with ``resolve``): the
middleware would not see the fields.
"""

from __future__ import annotations

import dataclasses
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping
from datetime import date, datetime
from enum import Enum
from keyword import iskeyword
from math import isfinite
from typing import Any
from weakref import WeakKeyDictionary

from graphql import (
    GRAPHQL_MAX_INT,
    GRAPHQL_MIN_INT,
    BooleanValueNode,
    FieldNode,
    FragmentSpreadNode,
    GraphQLBoolean,
    GraphQLField,
    GraphQLFloat,
    GraphQLID,
    GraphQLInt,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    GraphQLString,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionNode,
    Undefined,
    VariableNode,
    is_leaf_type,
)
from graphql.execution.collect_fields import FieldDetails
from graphql.execution.executor import invalid_return_type_error
from graphql.pyutils import Path, gather_with_cancel
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.field import StrawberryField

HELD = "held"  # the private field of a type whose objects may hold resolver fields' values

# Exact types (not subclasses) of values that are neither awaitable nor exceptions: the plain scalar values.
_PLAIN: frozenset[type] = frozenset({str, int, float, bool, datetime, date, dict, list})
_SKIP_INCLUDE = frozenset({"skip", "include"})


@dataclasses.dataclass(frozen=True, slots=True)
class _Scalar:
    """A plain scalar field: ``complete(read(source, name))`` (``_leaf``: the value as it is or coerced by the
    type; ``_Abandon`` for anything the long way must answer or locate)."""

    read: Callable[[Any, str], Any]
    name: str
    coerce: Callable[[Any], Any]
    complete: Callable[[Any], Any]


@dataclasses.dataclass(frozen=True, slots=True)
class _Holdable:
    """A resolver field whose value an object may hold (under ``name`` in its ``held`` dict)."""

    name: str
    field: GraphQLField


@dataclasses.dataclass(frozen=True, slots=True)
class _Attribute:
    """A field without a resolver whose value (``read(source, name)``) is an object or a list."""

    read: Callable[[Any, str], Any]
    name: str
    field: GraphQLField


_Short = _Scalar | _Holdable | _Attribute


# How a whole-object build reads one field (``Execution._field_read``; ``_compile`` writes the code).
@dataclasses.dataclass(frozen=True, slots=True)
class _TypeName:
    """``__typename``: the object type's name."""

    name: str


@dataclasses.dataclass(frozen=True, slots=True)
class _ObjectRead:
    """A field without a resolver whose value (``read(source, name)``) ``complete`` completes: an object or a list."""

    read: Callable[[Any, str], Any]
    name: str
    complete: Callable[[Any], Any]


@dataclasses.dataclass(frozen=True, slots=True)
class _HeldRead:
    """A value the object holds (``held[name]``), which ``complete`` completes; not held abandons the build."""

    name: str
    complete: Callable[[Any], Any]


_Read = _TypeName | _Scalar | _ObjectRead | _HeldRead  # a plain scalar: its short way, ``_Scalar``
_Step = tuple[str, list[FieldDetails], _Short | None]
_Build = Callable[[Any], dict[str, Any]]  # an object's whole answer, or raises _Abandon
_Complete = Callable[[Any], Any]  # a field's completed value, or raises _Abandon


class _Abandon(Exception):  # not an error: a whole-object build gives way to the long way
    """A whole-object build met something it does not expect."""


class Execution(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's executor with the short ways above."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # id(grouped field set) -> (the set, its parent type, the steps); the set is kept so that its id is not
        # reused while the entry lives (graphql-core memoizes sets per selection, so a list's items share one).
        self._plans: dict[int, tuple[Mapping[str, Any], GraphQLObjectType, tuple[_Step, ...] | None]] = {}
        # the same for whole-object builds (``None``: the selection has a field no build can take)
        self._builds: dict[int, tuple[Mapping[str, Any], GraphQLObjectType, _Build | None]] = {}

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        grouped_field_set: Any,
        position_context: Any,
    ) -> Any:
        """graphql-core's ``execute_fields`` (the same results in the same order, the same handling of
        awaitables and errors), with the short ways for the fields that allow them."""
        if position_context is None:
            try:
                build = self._build_of(parent_type, grouped_field_set)
            except Exception:  # planning met an error (a condition's bad value, say): the long way locates it
                build = None
            if build is not None:
                try:
                    return build(source_value)
                except Exception:  # _Abandon, or anything the pass met: the long way answers or locates it
                    pass
        steps = self._steps(parent_type, grouped_field_set)
        if steps is None:
            return super().execute_fields(parent_type, source_value, path, grouped_field_set, position_context)
        results: dict[str, Any] = {}
        is_awaitable = self.is_awaitable
        awaitable_fields: list[str] = []
        try:
            for response_name, field_details_list, short in steps:
                if short.__class__ is _Scalar:
                    try:
                        results[response_name] = short.complete(short.read(source_value, short.name))
                        continue
                    except Exception:  # _Abandon, or an error the long way raises again, located
                        pass
                elif short.__class__ is _Holdable:
                    held = getattr(source_value, HELD, None)
                    if held is not None and short.name in held:
                        result = self._complete_held(
                            parent_type,
                            short.field,
                            field_details_list,
                            Path(path, response_name, parent_type.name),
                            held[short.name],
                            position_context,
                        )
                        results[response_name] = result
                        if is_awaitable(result):
                            awaitable_fields.append(response_name)
                        continue
                result = self.execute_field(
                    parent_type,
                    source_value,
                    field_details_list,
                    Path(path, response_name, parent_type.name),
                    position_context,
                )
                if result is not Undefined:
                    results[response_name] = result
                    if is_awaitable(result):
                        awaitable_fields.append(response_name)
        except Exception:
            if awaitable_fields:
                self.settle_in_background([results[field] for field in awaitable_fields])
            raise

        if not awaitable_fields:
            return results

        async def get_results() -> dict[str, Any]:
            if len(awaitable_fields) == 1:
                field = awaitable_fields[0]
                results[field] = await results[field]
            else:
                awaited = await gather_with_cancel(*(results[field] for field in awaitable_fields))
                results.update(zip(awaitable_fields, awaited, strict=True))
            return results

        return get_results()

    def complete_value(
        self,
        return_type: Any,
        field_details_list: list[FieldDetails],
        info: Any,
        path: Path,
        result: Any,
        position_context: Any,
    ) -> Any:
        """graphql-core's ``complete_value``, dispatching on the exact class of the type (non-null, object,
        list) instead of asking one predicate after another; any other type goes the usual way."""
        kind = return_type.__class__
        if kind is GraphQLNonNull:
            if isinstance(result, Exception):
                raise result
            args = (field_details_list, info, path, result, position_context)
            completed = self.complete_value(return_type.of_type, *args)
            if completed is None:
                msg = f"Cannot return null for non-nullable field {info.parent_type}.{info.field_name}."
                raise TypeError(msg)
            return completed
        if kind is GraphQLObjectType or kind is GraphQLList:
            if isinstance(result, Exception):
                raise result
            if result is None or result is Undefined:
                return None
            args = (field_details_list, info, path, result, position_context)
            if kind is GraphQLObjectType:
                return self._complete_object(return_type, *args)
            return self.complete_list_value(return_type, *args)
        return super().complete_value(return_type, field_details_list, info, path, result, position_context)

    def _complete_object(
        self,
        return_type: GraphQLObjectType,
        field_details_list: list[FieldDetails],
        info: Any,
        path: Path,
        result: Any,
        position_context: Any,
    ) -> Any:
        """graphql-core's ``complete_object_value``, going straight to ``execute_fields`` when nothing is
        deferred (what ``collect_and_execute_subfields`` and the incremental executor's
        ``execute_collected_subfields`` come down to then)."""
        is_type_of = return_type.is_type_of
        if is_type_of is not None:
            checked = is_type_of(result, info)
            if self.is_awaitable(checked):

                async def execute_subfields_async() -> Any:
                    if not await self.with_abort_signal(checked):
                        raise invalid_return_type_error(return_type, result, field_details_list)
                    sub_fields = self.collect_and_execute_subfields(
                        return_type, field_details_list, path, result, position_context
                    )
                    if self.is_awaitable(sub_fields):
                        return await sub_fields
                    return sub_fields

                return execute_subfields_async()
            if not checked:
                raise invalid_return_type_error(return_type, result, field_details_list)
        if position_context is None:
            grouped_field_set, new_defer_usages, _ = self.collect_subfields(return_type, field_details_list)
            if not new_defer_usages:
                return self.execute_fields(return_type, result, path, grouped_field_set, None)
        return self.collect_and_execute_subfields(return_type, field_details_list, path, result, position_context)

    def get_stream_usage(self, field_details_list: Any, path: Path) -> Any:
        """No ``@stream`` without a directive on the field (graphql-core reads only the first node's): one
        check instead of reading the directive's values for every list of an answer."""
        if not field_details_list[0].node.directives:
            return None
        return super().get_stream_usage(field_details_list, path)

    def _complete_held(
        self,
        parent_type: GraphQLObjectType,
        field_def: GraphQLField,
        field_details_list: list[FieldDetails],
        path: Path,
        result: Any,
        position_context: Any,
    ) -> Any:
        """``execute_field`` from the point where the resolver has answered ``result``."""
        return_type = field_def.type
        info = self.build_resolve_info(field_def, [d.node for d in field_details_list], parent_type, path)
        try:
            if self.is_awaitable(result):
                return self.complete_awaitable_value(
                    return_type, field_details_list, info, path, result, position_context
                )
            completed = self.complete_value(return_type, field_details_list, info, path, result, position_context)
            if self.is_awaitable(completed):
                return self._await_completed(completed, return_type, field_details_list, path)
        except Exception as raw_error:
            self.handle_field_error(raw_error, return_type, field_details_list, path)
            return None
        return completed

    async def _await_completed(
        self,
        completed: Awaitable[Any],
        return_type: GraphQLOutputType,
        field_details_list: list[FieldDetails],
        path: Path,
    ) -> Any:
        try:
            return await completed
        except Exception as raw_error:
            self.handle_field_error(raw_error, return_type, field_details_list, path)
            return None

    # --- plans ------------------------------------------------------------------------------------------

    def _steps(self, parent_type: GraphQLObjectType, grouped_field_set: Mapping[str, Any]) -> tuple[_Step, ...] | None:
        """Each field of the set with its short way (``None``: the long way); ``None`` when no field has one."""
        key = id(grouped_field_set)
        found = self._plans.get(key)
        if found is not None and found[0] is grouped_field_set and found[1] is parent_type:
            return found[2]
        steps = tuple(
            (name, details, self._short_way(parent_type, details)) for name, details in grouped_field_set.items()
        )
        plan = steps if any(short is not None for _, _, short in steps) else None
        self._plans[key] = (grouped_field_set, parent_type, plan)
        return plan

    def _short_way(self, parent_type: GraphQLObjectType, details: list[FieldDetails]) -> _Short | None:
        node = details[0].node
        field_def = self.schema.get_field(parent_type, node.name.value)
        if field_def is None or field_def.args or field_def.resolve is None:
            return None
        if any(d.node.arguments for d in details) or _other_directives(details):
            return None
        if self._middleware():
            return None
        field = (field_def.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
        if not isinstance(field, StrawberryField) or field.python_name is None:
            return None
        # Strawberry's resolver of a basic field: an attribute, no resolver and no field extensions (Strawberry also
        # marks a resolver-less field with extensions, a permission check say, as default: that one runs them).
        if getattr(field_def.resolve, "_is_default", False) and field.is_basic_field:
            output = field_def.type
            nullable = not isinstance(output, GraphQLNonNull)
            leaf = output.of_type if isinstance(output, GraphQLNonNull) else output
            if not is_leaf_type(leaf):
                return _Attribute(field.default_resolver, field.python_name, field_def)
            coerce = leaf.coerce_output_value
            return _Scalar(field.default_resolver, field.python_name, coerce, _leaf(coerce, nullable=nullable))
        if field.base_resolver is not None and not field.extensions and _holds(parent_type):
            return _Holdable(field.python_name, field_def)
        return None

    def _middleware(self) -> bool:
        """Whether field middleware wraps the resolvers (Strawberry always installs a manager; it wraps only when
        an extension resolves): then every field goes graphql-core's way, so that the middleware sees it."""
        manager = self.middleware_manager
        return manager is not None and manager.get_field_resolver(_probe) is not _probe

    # --- whole-object builds ----------------------------------------------------------------------------

    def _build_of(self, parent_type: GraphQLObjectType, grouped_field_set: Mapping[str, Any]) -> _Build | None:
        """The build of an object's whole answer for this selection (``None``: some field cannot take it)."""
        key = id(grouped_field_set)
        found = self._builds.get(key)
        if found is not None and found[0] is grouped_field_set and found[1] is parent_type:
            return found[2]
        shared = self._shared_key(parent_type, grouped_field_set)
        builds = _shared_builds(self.schema)
        if shared is not None:
            hit = builds.get(shared[0])
            if hit is not None:
                builds.move_to_end(shared[0])
                self._builds[key] = (grouped_field_set, parent_type, hit[1])
                return hit[1]
        build: _Build | None = None
        reads: list[tuple[str, _Read]] = []
        for response_name, details in grouped_field_set.items():
            read = self._field_read(parent_type, details)
            if read is None:
                reads = []
                break
            reads.append((response_name, read))
        if reads:
            build = _compile(parent_type, reads)

        self._builds[key] = (grouped_field_set, parent_type, build)
        if shared is not None:
            builds[shared[0]] = (shared[1], build)
            if len(builds) > SHARED_BUILDS_KEPT:
                builds.popitem(last=False)
        return build

    def _shared_key(
        self, parent_type: GraphQLObjectType, grouped_field_set: Mapping[str, Any]
    ) -> tuple[tuple[Any, ...], tuple[Any, ...]] | None:
        """The key under which operations share this selection's build, with what it keeps alive (so that the
        ids in the key are not reused while the entry lives); ``None`` when builds are not shared (field
        middleware, or a schema with ``@defer``, whose use can depend on variables).

        A build includes the builds of every selection below it, so the key names the selection's own field
        nodes and the variables (names and values) that the document's ``@skip``/``@include`` read: the same
        parsed document (``schema.extensions.DocumentCache`` keeps one per text) with the same conditions
        selects the same fields all the way down. A variable of one of those names whose value is not a boolean
        (another operation of the document declares it otherwise) keeps the selection's build to the operation."""
        if self._middleware():
            return None
        if self.schema.get_directive("defer") is not None:
            return None
        nodes = tuple(d.node for details in grouped_field_set.values() for d in details)
        conditions = _conditions(self.operation, self.fragments)
        if conditions is None:
            return None
        variables = _coerced(self.variable_values)
        values = tuple((name, variables.get(name)) for name in conditions)
        if any(value is not None and value.__class__ is not bool for _, value in values):
            return None  # a variable of that name is no condition in this operation: not shared
        key = (parent_type.name, tuple(grouped_field_set), tuple(map(id, nodes)), values)
        return key, (nodes, self.operation)

    def _field_read(self, parent_type: GraphQLObjectType, details: list[FieldDetails]) -> _Read | None:
        """How a whole-object build reads and completes one field of its object (``None``: it cannot)."""
        node = details[0].node
        if self._middleware():
            return None  # a field middleware sees every field, __typename included
        if node.name.value == "__typename" and not node.arguments and not _other_directives(details):
            return _TypeName(parent_type.name)  # graphql-core's resolver answers the object type's name
        short = self._short_way(parent_type, details)
        if short is None:
            return None
        if isinstance(short, _Scalar):
            return short
        completer = self._completer(short.field.type, details)
        if completer is None:
            return None
        if isinstance(short, _Attribute):
            return _ObjectRead(short.read, short.name, completer)
        return _HeldRead(short.name, completer)

    def _completer(self, return_type: GraphQLOutputType, details: list[FieldDetails]) -> _Complete | None:
        """How a value of the type completes in a whole-object build (``None``: it cannot)."""
        nullable = return_type.__class__ is not GraphQLNonNull
        inner: Any = return_type if nullable else return_type.of_type  # type: ignore[union-attr]
        kind = inner.__class__
        if kind is GraphQLObjectType:
            grouped_field_set, defer_usages, _ = self.collect_subfields(inner, details)
            definition = (inner.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
            if defer_usages or getattr(definition, "is_type_of", None):  # a type's own is_type_of may read info
                return None
            build = self._build_of(inner, grouped_field_set)
            if build is None:
                return None
            completers: tuple[_Complete, _Complete] = build.complete  # type: ignore[attr-defined]
            return completers[nullable]
        if kind is GraphQLList:
            item = self._completer(inner.of_type, details)
            if item is None:
                return None
            complete_item = item

            def complete_list(value: Any) -> Any:
                if value is None:
                    if nullable:
                        return None
                    raise _Abandon
                if value.__class__ is not list and value.__class__ is not tuple:
                    raise _Abandon
                return [complete_item(v) for v in value]

            return complete_list
        if is_leaf_type(inner):
            return _leaf(inner.coerce_output_value, nullable=nullable)
        return None


# Builds shared between operations, per schema (``Execution._shared_key``), least recently used dropped first.
# An entry keeps its operation's parsed document alive (the nodes of its key hold the source text), so the
# bound is a few documents' worth of selections more than the document cache's own: a few hundred entries.
_SharedBuilds = OrderedDict[tuple[Any, ...], tuple[tuple[Any, ...], "_Build | None"]]
_SHARED_BUILDS: WeakKeyDictionary[GraphQLSchema, _SharedBuilds] = WeakKeyDictionary()
SHARED_BUILDS_KEPT = 512


def _shared_builds(schema: GraphQLSchema) -> _SharedBuilds:
    found = _SHARED_BUILDS.get(schema)
    if found is None:
        found = _SHARED_BUILDS[schema] = OrderedDict()
    return found


_CONDITIONS: dict[int, tuple[OperationDefinitionNode, tuple[str, ...] | None]] = {}  # id(operation) -> its variables


def _conditions(operation: OperationDefinitionNode, fragments: Mapping[str, Any]) -> tuple[str, ...] | None:
    """The variables the operation's ``@skip``/``@include`` read, through its fragments (sorted); ``None`` when
    its fragments take variables of their own (graphql-core's experimental fragment arguments)."""
    found = _CONDITIONS.get(id(operation))
    if found is not None and found[0] is operation:
        return found[1]
    names: set[str] = set()
    # graphql-core's fragments: ``FragmentDetails`` (the definition and its variables' signatures) or definitions.
    definitions = [getattr(f, "definition", f) for f in fragments.values()]
    if any(getattr(f, "variable_signatures", None) for f in fragments.values()):
        _CONDITIONS[id(operation)] = (operation, None)  # experimental fragment arguments: builds not shared
        return None
    pending: list[Any] = [operation.selection_set, *(d.selection_set for d in definitions)]
    while pending:
        selection_set = pending.pop()
        for selection in selection_set.selections:
            for directive in selection.directives or ():
                if directive.name.value in _SKIP_INCLUDE:
                    names.update(a.value.name.value for a in directive.arguments if isinstance(a.value, VariableNode))
            if getattr(selection, "selection_set", None) is not None:
                pending.append(selection.selection_set)
    if len(_CONDITIONS) >= SHARED_BUILDS_KEPT:
        _CONDITIONS.clear()
    result = tuple(sorted(names))
    _CONDITIONS[id(operation)] = (operation, result)
    return result


def _probe(*_: Any) -> None:
    """A resolver that field middleware would wrap (``MiddlewareManager.get_field_resolver``)."""


def _other_directives(details: list[FieldDetails]) -> bool:
    """Whether a field carries a directive besides ``@skip``/``@include`` (which collection already applied)."""
    return any(x.name.value not in _SKIP_INCLUDE for d in details for x in d.node.directives or ())


def _coerced(values: Any) -> Mapping[str, Any]:
    """The operation's variable values by name (graphql-core's ``VariableValues.coerced``, or the dict itself)."""
    found = getattr(values, "coerced", values)
    return found if isinstance(found, Mapping) else {}


def _leaf(coerce: Callable[[Any], Any], *, nullable: bool) -> _Complete:
    """A scalar's or enum's completion in a whole-object build: the values the short way takes, and enum members,
    coerced by the type (what ``complete_leaf_value`` does); anything else abandons the build. A value of the
    exact class a built-in scalar answers unchanged (a ``str`` for ``String``, an ``int`` in range for ``Int``...)
    is answered as it is, which is what the scalar's ``coerce_output_value`` returns for it."""

    def general(raw: Any) -> Any:
        if raw.__class__ in _PLAIN or isinstance(raw, Enum):
            value = coerce(raw)
            if value is None or value is Undefined:
                raise _Abandon
            return value
        if raw is None and nullable:
            return None
        raise _Abandon

    same = _AS_IS.get(coerce)
    if same is int:
        return lambda raw: raw if raw.__class__ is int and _INT_MIN <= raw <= _INT_MAX else general(raw)
    if same is float:
        return lambda raw: raw if raw.__class__ is float and isfinite(raw) else general(raw)
    if same is not None:
        return lambda raw: raw if raw.__class__ is same else general(raw)
    return general


def _compile(parent_type: GraphQLObjectType, reads: list[tuple[str, _Read]]) -> _Build:
    """The whole-object build of one selection as one generated function, and its completers.

    ``build(s)`` reads each field of ``s`` in the selection's order (an attribute with Strawberry's default
    resolver, ``getattr``, is read as ``s.name``), checks a built-in scalar's value against the class it is
    answered as (anything else goes through ``_leaf``'s coercion) and returns the answer as one dict display:
    no call per field, where the per-field closures it replaces made three. ``build.complete`` holds the
    completers of a value of the type (nullable and not): the null check and the type's ``is_type_of``
    (skipped for an object of one of the type's own classes, ``own_classes``, that ``strawberry.cast`` did not
    mark), then the same body. Only names are written into the code: response names as string literals,
    attribute names as ``s.name`` where they are identifiers (else read through the resolver); every value is in
    the namespace."""
    names: dict[str, Any] = {"Abandon": _Abandon, "MIN": _INT_MIN, "MAX": _INT_MAX, "isfinite": isfinite}
    body: list[str] = []
    answer: list[str] = []
    held = False
    for i, (response_name, read) in enumerate(reads):
        value = f"x{i}"
        if isinstance(read, _TypeName):
            names[f"t{i}"] = read.name
            answer.append(f"{response_name!r}: t{i}")
            continue
        if isinstance(read, _HeldRead):
            if not held:
                body.append(f"h = getattr(s, {HELD!r}, None)")
                body.append("if h is None: raise Abandon")
                held = True
            names[f"n{i}"], names[f"c{i}"] = read.name, read.complete
            body.append(f"if n{i} not in h: raise Abandon")
            body.append(f"{value} = c{i}(h[n{i}])")
        else:
            if read.read is getattr and read.name.isidentifier() and not iskeyword(read.name):
                body.append(f"{value} = s.{read.name}")
            else:
                names[f"r{i}"], names[f"n{i}"] = read.read, read.name
                body.append(f"{value} = r{i}(s, n{i})")
            if isinstance(read, _ObjectRead):
                names[f"c{i}"] = read.complete
                body.append(f"{value} = c{i}({value})")
            else:
                names[f"g{i}"] = read.complete
                same, x, coerce = _AS_IS.get(read.coerce), value, f"{value} = g{i}({value})"
                if same is int:
                    body.append(f"if {x}.__class__ is not int or not MIN <= {x} <= MAX: {coerce}")
                elif same is float:
                    body.append(f"if {x}.__class__ is not float or not isfinite({x}): {coerce}")
                elif same is not None:
                    names[f"k{i}"] = same
                    body.append(f"if {x}.__class__ is not k{i}: {coerce}")
                else:
                    body.append(coerce)
        answer.append(f"{response_name!r}: {value}")
    fields = "".join(f"    {line}\n" for line in body) + f"    return {{{', '.join(answer)}}}\n"
    definition = (parent_type.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
    origin = getattr(definition, "origin", None)
    names["own"], names["is_type_of"] = own_classes(origin) if origin is not None else set(), parent_type.is_type_of
    checked = ""
    if parent_type.is_type_of is not None:  # Strawberry's: the cast mark, then an isinstance check
        checked = (
            "    if v.__class__ not in own or getattr(v, '__as_strawberry_type__', None) is not None:\n"
            "        if is_type_of(v, None) is not True: raise Abandon\n"
        )
    code = (
        f"def build(s):\n{fields}"
        f"def complete_nullable(v):\n    if v is None: return None\n{checked}    s = v\n{fields}"
        f"def complete_required(v):\n    if v is None: raise Abandon\n{checked}    s = v\n{fields}"
    )
    exec(compile(code, f"<build {parent_type.name}>", "exec"), names)
    build: _Build = names["build"]
    build.complete = (names["complete_required"], names["complete_nullable"])  # type: ignore[attr-defined]
    return build


# Each Strawberry type's own classes: the type, and the subclasses made for objects backed by plain rows
# (``schema.from_model``), which are the type for ``is_type_of`` (an ``isinstance`` check) in every way.
_OWN: dict[type, set[type]] = {}


def own_classes(cls: type) -> set[type]:
    """The classes whose objects are of ``cls``'s type without asking its ``is_type_of`` (a set the builds keep
    and see grow)."""
    found = _OWN.get(cls)
    if found is None:
        found = _OWN[cls] = {cls}
    return found


# The built-in scalars' output coercions, and the exact class of the values each answers unchanged.
_AS_IS: dict[Callable[[Any], Any], type] = {
    GraphQLString.coerce_output_value: str,
    GraphQLID.coerce_output_value: str,
    GraphQLBoolean.coerce_output_value: bool,
    GraphQLInt.coerce_output_value: int,
    GraphQLFloat.coerce_output_value: float,
}
_INT_MIN, _INT_MAX = GRAPHQL_MIN_INT, GRAPHQL_MAX_INT


def _holds(parent_type: GraphQLObjectType) -> bool:
    """Whether objects of the type may hold fields' values (its Strawberry type has the private ``held``)."""
    definition = (parent_type.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
    origin = getattr(definition, "origin", None)
    return (
        isinstance(origin, type)
        and dataclasses.is_dataclass(origin)
        and any(f.name == HELD for f in dataclasses.fields(origin))
    )


# --- what a field's selection asks for ------------------------------------------------------------------


def selected(info: Any, *path: str) -> frozenset[str]:
    """The names of the fields selected at ``path`` under the resolving field (``selected(info, "edges",
    "node")`` of a connection: the node's fields), through fragments and aliases; a selection that
    ``@skip``/``@include`` leaves out is not counted. ``info`` is Strawberry's."""
    raw = info._raw_info
    fragments, variables = raw.fragments, _coerced(raw.variable_values)
    nodes: list[FieldNode] = list(raw.field_nodes)
    for step in path:
        nodes = [f for f in _subfields(nodes, fragments, variables) if f.name.value == step]
    return frozenset(f.name.value for f in _subfields(nodes, fragments, variables))


def _subfields(nodes: list[FieldNode], fragments: Mapping[str, Any], variables: Mapping[str, Any]) -> list[FieldNode]:
    found: list[FieldNode] = []
    for node in nodes:
        if node.selection_set is not None:
            _collect(node.selection_set.selections, fragments, variables, found, set())
    return found


def _collect(
    selections: tuple[SelectionNode, ...] | list[SelectionNode],
    fragments: Mapping[str, Any],
    variables: Mapping[str, Any],
    found: list[FieldNode],
    spread: set[str],
) -> None:
    for selection in selections:
        if not _included(selection, variables):
            continue
        if isinstance(selection, FieldNode):
            found.append(selection)
        elif isinstance(selection, InlineFragmentNode):
            _collect(selection.selection_set.selections, fragments, variables, found, spread)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            fragment = fragments.get(name)
            if fragment is not None and name not in spread:
                spread.add(name)
                _collect(fragment.selection_set.selections, fragments, variables, found, spread)


def _included(selection: SelectionNode, variables: Mapping[str, Any]) -> bool:
    """graphql-core's ``@skip``/``@include`` rule; a condition it cannot read counts as included."""
    for directive in getattr(selection, "directives", None) or ():
        name = directive.name.value
        if name not in _SKIP_INCLUDE:
            continue
        condition: bool | None = None
        for argument in directive.arguments or ():
            if argument.name.value == "if":
                value = argument.value
                if isinstance(value, BooleanValueNode):
                    condition = value.value
                elif isinstance(value, VariableNode) and isinstance(variables.get(value.name.value), bool):
                    condition = variables[value.name.value]
        if condition is not None and condition == (name == "skip"):
            return False
    return True


__all__ = ["HELD", "Execution", "selected"]
