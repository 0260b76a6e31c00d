"""Job kinds and the contract a job handler is written against.

A kind declares a pydantic model for its parameters: ``JobService.create`` validates them when the job is
enqueued and stores their JSON; the runner validates the stored JSON again before the handler runs, so a
handler receives ``JobContext[P]`` whose ``params`` is the model, never a dict. Feature areas register their
kinds with the composition root's ``JobRegistry``. A handler gets ids and params, never ORM objects from
another session, and returns the job's result.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from pydantic import BaseModel

from domain.db import UnitOfWork
from domain.errors import DomainError

P = TypeVar("P", bound=BaseModel)
P_co = TypeVar("P_co", bound=BaseModel, covariant=True)


class JobCancelled(Exception):
    """Raised inside a handler (by ``JobContext.progress``) once cancellation was requested."""


class RetryableJobError(DomainError, code="retryable_error"):
    """A transient failure: the job is queued again while attempts remain, then fails with this reason."""


class JobContext(Protocol[P_co]):
    job_id: str
    workspace_id: str
    kind: str
    attempt: int
    providers: Any

    @property
    def params(self) -> P_co:
        """The job's parameters, validated with its kind's model."""
        ...

    async def progress(self, fraction: float, message: str | None = None, data: dict[str, Any] | None = None) -> None:
        """Records a progress event; returns once it is committed. Concurrent reports (from tasks of one
        handler) are recorded in the order they were made; raises ``JobCancelled`` once cancellation was
        requested."""
        ...

    def unit_of_work(self) -> AbstractAsyncContextManager[UnitOfWork]: ...

    async def record_usage(self, prompt_tokens: int, completion_tokens: int) -> None: ...


JobResult = Coroutine[Any, Any, dict[str, Any] | None]


@dataclass(frozen=True)
class JobKind(Generic[P]):
    """A kind of background work: its name (stored on the job), its parameters' model and its handler."""

    name: str
    params: type[P]
    handler: Callable[[JobContext[P]], JobResult]
    description: str = ""
    max_attempts: int | None = None


class JobRegistry:
    def __init__(self) -> None:
        self._kinds: dict[str, JobKind[Any]] = {}

    def register(self, kind: JobKind[Any]) -> None:
        if kind.name in self._kinds:
            raise ValueError(f"job kind {kind.name!r} registered twice")
        self._kinds[kind.name] = kind

    def get(self, name: str) -> JobKind[Any] | None:
        return self._kinds.get(name)

    def names(self) -> list[str]:
        return sorted(self._kinds)

    def __contains__(self, name: object) -> bool:
        return name in self._kinds
