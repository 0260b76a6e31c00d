"""What a GraphQL document costs before it runs, and what it cost after: one measure for the per-request
maximum, the workspace's budget and ``extensions.cost`` (after Shopify's Admin API).

Requested cost, from the document:

- a scalar or enum field costs 0; a field that returns an object costs 1 plus what it selects;
- a mutation field costs ``MUTATION_COST`` (10) plus what it selects;
- a paged field (one that takes ``first`` or ``last``: a connection) costs ``CONNECTION_COST`` (2, the
  connection with its ``pageInfo`` and ``totalCount``) plus ``first`` times one item (what its ``edges``
  select; the edge itself is free). ``first`` counts for at most ``MAX_PAGE_SIZE``, because a list never
  answers more (a larger one is refused when the list runs); one given by a variable counts as its value;
- a list that is not paged (a product's categories, a workspace's members) has no size to multiply by: it
  counts as ``UNPAGED_LIST_SIZE`` (1) item when the document is measured, and as the items it answered in the
  actual cost;
- where fragments on object types narrow an interface (``node(id:)``), the dearest of them counts;
- introspection fields cost nothing and add no depth (GraphiQL's schema query must always run).

Fragments count wherever they are spread (a fragment spread twice costs twice), but each is measured once,
in dependency order, and its figures reused: the analysis is linear in the document's size however the
spreads fan out. Depth, the number of aliases and the number of fields selected once fragments are expanded
come out of the same pass. Numbers stop at ``CEILING``.

Scalars cost nothing, so a fan-out of fragments that only ever select scalars would cost 1 however large it
grows; ``Limits.max_fields`` refuses it by its expanded size instead.

Actual cost, from the answer: the same rules applied to what came back (a null object costs nothing, a
connection costs the items it answered, not ``first``; so does a list), at least 1 for any operation that
ran. It can exceed the requested cost only through lists that are not paged; the budget is never charged more
than was requested.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    NamedTypeNode,
    NullValueNode,
    OperationDefinitionNode,
    OperationType,
    SchemaMetaFieldDef,
    SelectionSetNode,
    TypeMetaFieldDef,
    Undefined,
    ValueNode,
    VariableNode,
    get_named_type,
    is_abstract_type,
    is_list_type,
)

from domain.paging import MAX_PAGE_SIZE

OBJECT_COST = 1
MUTATION_COST = 10
CONNECTION_COST = 2
UNPAGED_LIST_SIZE = 1
CEILING = 2_147_483_647  # the largest GraphQL Int: figures stay readable however a document fans out
PAGE_ARGUMENTS = ("first", "last")


@dataclass(frozen=True)
class Limits:
    """What one document may ask for (settings ``SHOPWRIGHT_GRAPHQL_*``)."""

    max_depth: int = 12
    max_aliases: int = 30
    max_fields: int = 10_000  # fields selected once fragments are expanded
    max_cost: int = 1000
    timeout_seconds: float = 30.0  # wall clock of one query or mutation


def _capped(value: int) -> int:
    return min(value, CEILING)


@dataclass(frozen=True)
class Figures:
    """What a selection set costs where it stands, what one item costs when it is a connection's (the cost
    of its list fields' selections), how deep it goes, how many aliases it holds and how many fields it
    selects once its fragments are expanded."""

    cost: int = 0
    per_item: int = 0
    depth: int = 0
    aliases: int = 0
    fields: int = 0

    def __add__(self, other: Figures) -> Figures:
        return Figures(
            _capped(self.cost + other.cost),
            _capped(self.per_item + other.per_item),
            max(self.depth, other.depth),
            _capped(self.aliases + other.aliases),
            _capped(self.fields + other.fields),
        )


NOTHING = Figures()


@dataclass(frozen=True)
class OperationFigures:
    name: str  # "anonymous" when the operation has none
    node: OperationDefinitionNode
    cost: int
    depth: int
    aliases: int
    fields: int


@dataclass(frozen=True)
class Analysis:
    """Every operation of a document, measured; ``running`` is the one the request asked for (None when
    that cannot be told, which execution refuses anyway)."""

    operations: list[OperationFigures]
    running: OperationFigures | None

    @property
    def aliases(self) -> int:
        return _capped(sum(o.aliases for o in self.operations))


def analyse(
    schema: GraphQLSchema,
    document: DocumentNode,
    variables: Mapping[str, Any] | None = None,
    operation_name: str | None = None,
) -> Analysis:
    """Cost, depth, aliases and expanded size of each operation of ``document``. Works on documents that do
    not validate (unknown fields cost as objects or scalars by their shape, unknown fragments cost nothing,
    cycles are cut), because it runs beside validation. Aliases are counted over the whole document."""
    measure = _Measure(schema, document, variables if isinstance(variables, Mapping) else {})
    operations = [
        OperationFigures(o.name.value if o.name else "anonymous", o, f.cost, f.depth, f.aliases, f.fields)
        for o, f in measure.operations()
    ]
    return Analysis(operations, _running(operations, operation_name))


def _running(operations: Sequence[OperationFigures], name: str | None) -> OperationFigures | None:
    if name is None:
        return operations[0] if len(operations) == 1 else None
    return next((o for o in operations if o.node.name and o.node.name.value == name), None)


def _fragments(document: DocumentNode) -> dict[str, FragmentDefinitionNode]:
    found: dict[str, FragmentDefinitionNode] = {}
    for definition in document.definitions:
        if isinstance(definition, FragmentDefinitionNode):
            found.setdefault(definition.name.value, definition)
    return found


def _spreads(selection_set: SelectionSetNode) -> list[str]:
    """The fragments spread anywhere inside ``selection_set``."""
    names: list[str] = []
    stack = [selection_set]
    while stack:
        for selection in reversed(stack.pop().selections):
            if isinstance(selection, FragmentSpreadNode):
                names.append(selection.name.value)
            elif isinstance(selection, FieldNode | InlineFragmentNode) and selection.selection_set is not None:
                stack.append(selection.selection_set)
    return names


def dependency_order(fragments: Mapping[str, FragmentDefinitionNode]) -> list[str]:
    """Fragments so that each comes after those it spreads (a cycle is cut where it closes). Iterative:
    a chain of hundreds of fragments must not exhaust the interpreter's stack."""
    order: list[str] = []
    seen: set[str] = set()
    for root in fragments:
        if root in seen:
            continue
        seen.add(root)
        stack = [(root, iter(_spreads(fragments[root].selection_set)))]
        while stack:
            name, pending = stack[-1]
            child = next((c for c in pending if c in fragments and c not in seen), None)
            if child is None:
                stack.pop()
                order.append(name)
            else:
                seen.add(child)
                stack.append((child, iter(_spreads(fragments[child].selection_set))))
    return order


class _Measure:
    def __init__(self, schema: GraphQLSchema, document: DocumentNode, variables: Mapping[str, Any]) -> None:
        self.schema = schema
        self.document = document
        self.variables = variables
        self.defaults = _variable_defaults(document)
        self.fragments = _fragments(document)
        self.measured: dict[str, tuple[GraphQLNamedType | None, Figures]] = {}
        for name in dependency_order(self.fragments):
            definition = self.fragments[name]
            condition = self._named(definition.type_condition)
            self.measured[name] = (condition, self.selection_set(definition.selection_set, condition))

    def operations(self) -> Iterable[tuple[OperationDefinitionNode, Figures]]:
        for definition in self.document.definitions:
            if isinstance(definition, OperationDefinitionNode):
                root = self.schema.get_root_type(definition.operation)
                yield definition, self.selection_set(definition.selection_set, root)

    def _named(self, node: NamedTypeNode | None) -> GraphQLNamedType | None:
        return self.schema.get_type(node.name.value) if node is not None else None

    def selection_set(self, node: SelectionSetNode, parent: GraphQLNamedType | None) -> Figures:
        total = NOTHING
        branches: dict[str, Figures] = {}  # by object type, where fragments narrow an abstract parent
        for selection in node.selections:
            if isinstance(selection, FieldNode):
                total += self.field(selection, parent)
                continue
            if isinstance(selection, InlineFragmentNode):
                condition = self._named(selection.type_condition) if selection.type_condition else parent
                figures = self.selection_set(selection.selection_set, condition)
            elif isinstance(selection, FragmentSpreadNode):
                condition, figures = self.measured.get(selection.name.value, (None, NOTHING))
            else:
                continue
            branch = _branch(parent, condition)
            if branch is None:
                total += figures
            else:
                branches[branch] = branches.get(branch, NOTHING) + figures
        if branches:
            values = branches.values()
            total += Figures(
                max(f.cost for f in values),
                max(f.per_item for f in values),
                max(f.depth for f in values),
                _capped(sum(f.aliases for f in values)),
                _capped(sum(f.fields for f in values)),
            )
        return total

    def field(self, node: FieldNode, parent: GraphQLNamedType | None) -> Figures:
        aliases = 1 if node.alias else 0
        if node.selection_set is None:
            return Figures(aliases=aliases, fields=1)
        definition = _definition(parent, node.name.value)
        named = get_named_type(definition.type) if definition is not None else None
        inner = self.selection_set(node.selection_set, named)
        aliases = _capped(aliases + inner.aliases)
        fields = _capped(1 + inner.fields)
        if node.name.value.startswith("__"):
            return Figures(aliases=aliases, fields=fields)
        listed = definition is not None and _is_list(definition)
        size = self.page_size(node, definition)
        if size is not None:
            cost = CONNECTION_COST + size * inner.per_item
        else:
            base = MUTATION_COST if _is_mutation(self.schema, parent) else OBJECT_COST
            cost = (UNPAGED_LIST_SIZE if listed else 1) * (base + inner.cost)
        # Inside a connection, what its list fields select is what one item costs.
        per_item = inner.cost if listed else 0
        return Figures(_capped(cost), _capped(per_item), inner.depth + 1, aliases, fields)

    def page_size(self, node: FieldNode, definition: GraphQLField | None) -> int | None:
        """How many items a paged field can answer, or None when the field is not paged."""
        if definition is None or not any(a in definition.args for a in PAGE_ARGUMENTS):
            return None
        given = {a.name.value: a.value for a in node.arguments or ()}
        sizes = [
            size
            for name in PAGE_ARGUMENTS
            if name in definition.args
            and (size := self._size(given.get(name), definition.args[name].default_value)) is not None
        ]
        return max(sizes, default=MAX_PAGE_SIZE)

    def _size(self, value: ValueNode | None, default: Any) -> int | None:
        """The size an argument asks for; None when it asks for none (left out without a default, or null)."""
        if value is None:
            raw = default
        elif isinstance(value, VariableNode):
            name = value.name.value
            raw = self.variables[name] if name in self.variables else self.defaults.get(name, default)
        elif isinstance(value, IntValueNode):
            raw = int(value.value)
        elif isinstance(value, NullValueNode):
            return None
        else:
            return MAX_PAGE_SIZE  # a literal of another type: validation refuses it
        if raw is None or raw is Undefined:
            return None
        if isinstance(raw, float) and raw.is_integer():  # JSON's 10.0 is the Int 10
            raw = int(raw)
        if not isinstance(raw, int) or isinstance(raw, bool):
            return MAX_PAGE_SIZE  # not a number: refused before the list runs; until then, the most it answers
        return max(0, min(raw, MAX_PAGE_SIZE))


def _variable_defaults(document: DocumentNode) -> dict[str, int]:
    """Integer defaults of the document's variables (the largest where operations disagree): fragments are
    measured once for every operation that spreads them."""
    defaults: dict[str, int] = {}
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            for variable in definition.variable_definitions or ():
                if isinstance(variable.default_value, IntValueNode):
                    name = variable.variable.name.value
                    defaults[name] = max(defaults.get(name, 0), int(variable.default_value.value))
    return defaults


def _definition(parent: GraphQLNamedType | None, name: str) -> GraphQLField | None:
    if name == "__schema":
        return SchemaMetaFieldDef
    if name == "__type":
        return TypeMetaFieldDef
    if isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
        found: GraphQLField | None = parent.fields.get(name)
        return found
    return None


def _is_list(definition: GraphQLField) -> bool:
    kind = definition.type
    return is_list_type(kind.of_type if isinstance(kind, GraphQLNonNull) else kind)


def _is_mutation(schema: GraphQLSchema, parent: GraphQLNamedType | None) -> bool:
    return parent is not None and parent is schema.mutation_type


def _branch(parent: GraphQLNamedType | None, condition: GraphQLNamedType | None) -> str | None:
    """The object type a fragment narrows an abstract parent to (it applies to those objects only), if any."""
    if parent is None or condition is None or condition is parent:
        return None
    return condition.name if is_abstract_type(parent) and isinstance(condition, GraphQLObjectType) else None


# --- actual cost ---------------------------------------------------------------------------------------


def actual_cost(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, data: Any) -> int:
    """The cost of what ``operation`` answered with ``data``, by the same rules (at least 1)."""
    if not isinstance(data, dict):
        return 1
    kept = _SPENT.get(id(document))
    if kept is not None and kept[0] is document and kept[1] is schema:
        spent = kept[2]
    else:
        spent = _Spent(schema, _fragments(document))
        if len(_SPENT) >= SPENT_KEPT:
            _SPENT.pop(next(iter(_SPENT)))
        _SPENT[id(document)] = (document, schema, spent)
    root = schema.get_root_type(operation.operation)
    return max(1, _capped(spent.selection(spent.root(operation), root, data)))


# A document's walker (what it worked out per selection), per parsed document: the document cache hands the same
# one to every request with its text. Keyed by id, with the document kept so that the id is not reused.
_SPENT: dict[int, tuple[DocumentNode, GraphQLSchema, _Spent]] = {}
SPENT_KEPT = 256

Collected = dict[str, tuple[list[FieldNode], GraphQLNamedType | None]]

_FREE, _PAGED, _OBJECT = 0, 1, 2  # how a collected field costs (an introspection field costs nothing)


@dataclass(slots=True)
class _Walk:
    """A collected field that selects something, with what walking its value needs (worked out once)."""

    key: str
    sets: tuple[SelectionSetNode, ...]
    named: GraphQLNamedType | None
    kind: int
    base: int
    nested: bool = True  # whether its values may be lists of lists (known from its type: then flattened)
    below: tuple[_Walk, ...] | None = None  # the walks of its own selection, kept once worked out (``_below``)


class _Spent:
    """Walks the answer with the document's selections. Fields are collected per selection the way execution
    collects them (a fragment spread again in the same selection adds nothing), once per shape, and what each
    needs (its definition, type and rule) is worked out then, not per value walked."""

    def __init__(self, schema: GraphQLSchema, fragments: Mapping[str, FragmentDefinitionNode]) -> None:
        self.schema = schema
        self.fragments = fragments
        self.collected: dict[tuple[tuple[int, ...], str | None], Collected] = {}
        # id(sets) -> (sets, parent, walks): the sets of one field are one tuple, kept alive here
        self.walks: dict[int, tuple[Sequence[SelectionSetNode], GraphQLNamedType | None, tuple[_Walk, ...]]] = {}
        self.roots: dict[int, tuple[OperationDefinitionNode, tuple[SelectionSetNode, ...]]] = {}

    def root(self, operation: OperationDefinitionNode) -> tuple[SelectionSetNode, ...]:
        """The operation's selection as the sets a walk starts from: one tuple per operation, so that what is
        worked out below it (keyed by the sets) is found again by the next request."""
        found = self.roots.get(id(operation))
        if found is None or found[0] is not operation:
            found = self.roots[id(operation)] = (operation, (operation.selection_set,))
        return found[1]

    def selection(self, sets: Sequence[SelectionSetNode], parent: GraphQLNamedType | None, value: Any) -> int:
        return self._over(self._walks(sets, parent), value)

    def _over(self, walks: tuple[_Walk, ...], value: Any) -> int:
        """What ``value`` cost, walked with these walks (a selection's)."""
        if not isinstance(value, dict):
            return 0
        total = 0
        for walk in walks:
            if walk.key in value:
                total = min(total + self.field(walk, value[walk.key]), CEILING)
        return total

    def field(self, walk: _Walk, value: Any) -> int:
        if value is None or walk.kind == _FREE:
            return 0
        if walk.kind == _PAGED:
            return min(CONNECTION_COST + self._items(walk, value), CEILING)
        base = walk.base
        below = walk.below
        if below is None:
            below = self._below(walk)
        if not below:  # nothing below costs: each object costs its base
            if isinstance(value, list):
                if not walk.nested:
                    return min(base * (len(value) - value.count(None)), CEILING)
                return min(base * sum(1 for item in _flat(value) if item is not None), CEILING)
            return min(base, CEILING)
        if isinstance(value, list):
            items = _flat(value) if walk.nested else value
            return min(sum(base + self._over(below, item) for item in items if item is not None), CEILING)
        return min(base + self._over(below, value), CEILING)

    def _items(self, connection: _Walk, value: Any) -> int:
        """What a connection's list fields answered: each item's selection (the edge itself is free)."""
        if not isinstance(value, dict):
            return 0
        total = 0
        for walk in self._below(connection):
            items = value.get(walk.key)
            if isinstance(items, list):
                below = self._below(walk)
                total += sum(self._over(below, item) for item in (_flat(items) if walk.nested else items))
        return _capped(total)

    def _below(self, walk: _Walk) -> tuple[_Walk, ...]:
        below = walk.below
        if below is None:
            below = walk.below = self._walks(walk.sets, walk.named)
        return below

    def _walks(self, sets: Sequence[SelectionSetNode], parent: GraphQLNamedType | None) -> tuple[_Walk, ...]:
        found = self.walks.get(id(sets))
        if found is not None and found[0] is sets and found[1] is parent:
            return found[2]
        walks = []
        for key, (nodes, owner) in self._collect(sets, parent).items():
            name = nodes[0].name.value
            inner = tuple(n.selection_set for n in nodes if n.selection_set is not None)
            definition = _definition(owner, name)
            named = get_named_type(definition.type) if definition is not None else None
            if name.startswith("__"):
                kind = _FREE
            elif definition is not None and any(a in definition.args for a in PAGE_ARGUMENTS):
                kind = _PAGED
            else:
                kind = _OBJECT
            base = MUTATION_COST if _is_mutation(self.schema, owner) else OBJECT_COST
            nested = definition is None or _lists_of_lists(definition.type)
            walks.append(_Walk(key, inner, named, kind, base, nested))
        result = tuple(walks)
        self.walks[id(sets)] = (sets, parent, result)
        return result

    def _collect(self, sets: Sequence[SelectionSetNode], parent: GraphQLNamedType | None) -> Collected:
        shape = (tuple(id(s) for s in sets), parent.name if parent is not None else None)
        found = self.collected.get(shape)
        if found is not None:
            return found
        found = {}
        visited: set[str] = set()
        pending: list[tuple[SelectionSetNode, GraphQLNamedType | None]] = [(s, parent) for s in sets]
        while pending:
            selection_set, owner = pending.pop()
            for selection in selection_set.selections:
                if isinstance(selection, FieldNode):
                    key = selection.alias.value if selection.alias else selection.name.value
                    found.setdefault(key, ([], owner))[0].append(selection)
                elif isinstance(selection, InlineFragmentNode):
                    condition = selection.type_condition
                    pending.append((selection.selection_set, self._named(condition) if condition else owner))
                elif isinstance(selection, FragmentSpreadNode) and selection.name.value not in visited:
                    visited.add(selection.name.value)
                    fragment = self.fragments.get(selection.name.value)
                    if fragment is not None:
                        pending.append((fragment.selection_set, self._named(fragment.type_condition)))
        # Scalars and enums cost nothing: only the fields that select something are walked.
        found = {k: v for k, v in found.items() if any(n.selection_set is not None for n in v[0])}
        self.collected[shape] = found
        return found

    def _named(self, node: NamedTypeNode) -> GraphQLNamedType | None:
        return self.schema.get_type(node.name.value)


def _lists_of_lists(field_type: GraphQLOutputType) -> bool:
    """Whether a field of this type answers lists whose items may be lists (``[[T]]``)."""
    inner = field_type.of_type if isinstance(field_type, GraphQLNonNull) else field_type
    if not isinstance(inner, GraphQLList):
        return False
    item = inner.of_type.of_type if isinstance(inner.of_type, GraphQLNonNull) else inner.of_type
    return isinstance(item, GraphQLList)


def _flat(items: list[Any]) -> Iterable[Any]:
    for item in items:
        if isinstance(item, list):
            yield from _flat(item)
        else:
            yield item


def is_subscription(operation: OperationDefinitionNode | None) -> bool:
    return operation is not None and operation.operation is OperationType.SUBSCRIPTION
