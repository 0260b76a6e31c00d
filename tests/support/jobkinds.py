"""Job kinds used only by the tests, to exercise the runner. Never registered by the app itself.

Subprocess workers load them through ``SHOPWRIGHT_JOB_PLUGINS=tests.support.jobkinds``.
"""

from __future__ import annotations

import asyncio
from typing import Any

from pydantic import BaseModel, ConfigDict

from domain.errors import DomainError
from domain.jobs.registry import JobContext, JobKind, JobRegistry, RetryableJobError


class StepsParams(BaseModel):
    """``steps`` progress reports ``delay`` seconds apart; can fail at a step, fail transiently on the first
    ``flaky_attempts`` attempts, or crash after the last step."""

    model_config = ConfigDict(extra="forbid")

    steps: int = 3
    delay: float = 0.0
    fail_at: int | None = None
    flaky_attempts: int = 0
    crash: bool = False


async def steps(ctx: JobContext[StepsParams]) -> dict[str, Any]:
    p = ctx.params
    if ctx.attempt <= p.flaky_attempts:
        raise RetryableJobError(f"transient failure on attempt {ctx.attempt}")
    for i in range(1, p.steps + 1):
        if p.delay:
            await asyncio.sleep(p.delay)
        if i == p.fail_at:
            raise DomainError(f"step {i} failed on purpose", code="step_failed")
        await ctx.progress(i / p.steps, f"step {i} of {p.steps}", {"step": i})
    if p.crash:
        raise RuntimeError("secret internal detail")
    return {"steps": p.steps, "attempt": ctx.attempt}


STEPS = JobKind(name="test.steps", params=StepsParams, handler=steps, description="test-only")

UNREGISTERED = JobKind(name="no.such.kind", params=StepsParams, handler=steps, description="never registered")
"""A kind no registry knows: its jobs are created, then refused by the runner."""


def register(registry: JobRegistry) -> None:
    registry.register(STEPS)
