"""Job kinds and the contract a job handler is written against.

Feature areas register their kinds with the composition root's ``JobRegistry``. A handler receives a
``JobContext`` (ids and params, never ORM objects from another session) and returns the job's result.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Any, Protocol

from domain.db import UnitOfWork
from domain.errors import DomainError


class JobCancelled(Exception):
    """Raised inside a handler (by ``JobContext.progress``) once cancellation was requested."""


class RetryableJobError(DomainError):
    """A transient failure: the job is queued again while attempts remain, then fails with this reason."""

    code = "retryable_error"


class JobContext(Protocol):
    job_id: str
    workspace_id: str
    kind: str
    params: dict[str, Any]
    attempt: int
    providers: Any

    async def progress(
        self, fraction: float, message: str | None = None, data: dict[str, Any] | None = None
    ) -> None: ...

    def unit_of_work(self) -> AbstractAsyncContextManager[UnitOfWork]: ...

    async def record_usage(self, prompt_tokens: int, completion_tokens: int) -> None: ...


JobHandler = Callable[[JobContext], Coroutine[Any, Any, dict[str, Any] | None]]


@dataclass(frozen=True)
class JobKind:
    name: str
    handler: JobHandler
    description: str = ""
    max_attempts: int | None = None


class JobRegistry:
    def __init__(self) -> None:
        self._kinds: dict[str, JobKind] = {}

    def register(self, kind: JobKind) -> None:
        if kind.name in self._kinds:
            raise ValueError(f"job kind {kind.name!r} registered twice")
        self._kinds[kind.name] = kind

    def get(self, name: str) -> JobKind | None:
        return self._kinds.get(name)

    def names(self) -> list[str]:
        return sorted(self._kinds)

    def __contains__(self, name: object) -> bool:
        return name in self._kinds
