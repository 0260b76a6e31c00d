"""One execution per event for every subscriber that asked the same thing.

The bus hands the same (read-only) message to every local subscriber of a topic. ``shared`` turns it into one
event object per audience (the caller's workspace and permissions): every subscriber of that audience gets the
very same object. ``SharedEventExecution`` then executes a subscription's selection on such an object once
per operation and variables, and gives every subscriber of that operation the same result (its ``data`` is
one dict, which ``schema.view`` encodes once for all of them). Whatever is not shared (an event built for one
subscriber, a snapshot) runs as before.

Both keep a bounded number of recent entries, with the objects themselves (so an ``id`` is never reused
while its entry lives); a subscriber that falls further behind than that simply executes its own copy.
"""

from __future__ import annotations

import asyncio
import json
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from graphql import OperationDefinitionNode, OperationType

from domain.accounts.principal import Principal
from schema.execution import Execution
from workers.bus import MEMBER

KEPT = 512  # recent events (and results) kept for the subscribers still to be served

E = TypeVar("E")


class _Recent(OrderedDict[Hashable, Any]):
    def remember(self, key: Hashable, value: Any) -> None:
        self[key] = value
        if len(self) > KEPT:
            self.popitem(last=False)


_EVENTS = _Recent()  # (id(message), audience) -> (message, event)
_RESULTS = _Recent()  # id(event) -> (event, {(id(operation), variables): (operation, result)})


def shared(message: dict[str, Any], principal: Principal, build: Callable[[dict[str, Any]], E]) -> E:
    """``build(message)``, the same object for every subscriber of the same audience."""
    key = (id(message), principal.workspace_id, principal.permissions)
    found = _EVENTS.get(key)
    if found is not None and found[0] is message:
        event: E = found[1]
        return event
    event = build(message)
    _EVENTS.remember(key, (message, event))
    _RESULTS.remember(id(event), (event, {}))
    return event


def share(principal: Principal) -> None:
    """Called by a subscription resolver before it subscribes to the bus, when its stream is the same for every
    subscriber of the same document, variables and audience (the same filtering, the same events): the bus may
    then run one such subscriber's pipeline per message and replay its frame to the others
    (``workers.bus.deliver``, ``schema.view.Sink``). Without a member (an HTTP request, the legacy protocol)
    nothing changes."""
    member = MEMBER.get()
    joining = getattr(member, "share", None)
    if joining is not None:
        joining((principal.workspace_id, principal.permissions))


def _variables(values: Any) -> str:
    return json.dumps(getattr(values, "coerced", values), sort_keys=True, default=repr)


class SharedEventExecution(Execution):
    """Strawberry's executor, except that a subscription event made by ``shared`` is executed once per
    operation and variables."""

    def execute_operation(self, serially: bool | None = None) -> Any:
        operation: OperationDefinitionNode = self.operation
        found = _RESULTS.get(id(self.root_value)) if operation.operation is OperationType.SUBSCRIPTION else None
        if found is None or found[0] is not self.root_value:
            return super().execute_operation(serially)
        results: dict[tuple[int, str], tuple[OperationDefinitionNode, Any]] = found[1]
        key = (id(operation), _variables(self.variable_values))
        done = results.get(key)
        if done is not None and done[0] is operation:
            return done[1]
        result = super().execute_operation(serially)
        if self.is_awaitable(result):
            result = asyncio.ensure_future(result)  # awaited by every subscriber of the operation
        results[key] = (operation, result)
        return result
