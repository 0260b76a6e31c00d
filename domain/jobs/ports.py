"""What the jobs area needs from the outside, as protocols: the composition root supplies them."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import AbstractAsyncContextManager
from typing import Any, Protocol


def job_topic(job_id: str) -> str:
    return f"job:{job_id}"


def workspace_topic(workspace_id: str) -> str:
    return f"workspace:{workspace_id}"


class EventBus(Protocol):
    """Fan-out of job events. ``subscribe`` is active once its context is entered."""

    async def publish(self, message: dict[str, Any]) -> None: ...

    async def publish_many(self, messages: Sequence[dict[str, Any]]) -> None:
        """``messages`` in order, as ``publish`` would one by one (a bus may send them together)."""
        ...

    def subscribe(self, topic: str) -> AbstractAsyncContextManager[AsyncIterator[dict[str, Any]]]: ...

    async def ping(self) -> bool: ...

    async def close(self) -> None: ...


class JobQueue(Protocol):
    async def enqueue(self, job_id: str) -> None: ...

    async def enqueue_delivery(self, delivery_id: int) -> None: ...
