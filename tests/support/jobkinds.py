"""Job kinds used only by the tests, to exercise the runner. Never registered by the app itself.

Subprocess workers load them through ``SHOPWRIGHT_JOB_PLUGINS=tests.support.jobkinds``.
"""

from __future__ import annotations

import asyncio
from typing import Any

from domain.errors import DomainError
from domain.jobs.registry import JobContext, JobKind, JobRegistry, RetryableJobError

STEPS = "test.steps"


async def steps(ctx: JobContext) -> dict[str, Any]:
    """``steps`` progress reports ``delay`` seconds apart; can fail, or fail transiently on early attempts."""
    count = int(ctx.params.get("steps", 3))
    delay = float(ctx.params.get("delay", 0.0))
    fail_at = ctx.params.get("fail_at")
    flaky_attempts = int(ctx.params.get("flaky_attempts", 0))
    if ctx.attempt <= flaky_attempts:
        raise RetryableJobError(f"transient failure on attempt {ctx.attempt}")
    for i in range(1, count + 1):
        if delay:
            await asyncio.sleep(delay)
        if fail_at is not None and i == int(fail_at):
            raise DomainError(f"step {i} failed on purpose", code="step_failed")
        await ctx.progress(i / count, f"step {i} of {count}", {"step": i})
    if ctx.params.get("crash"):
        raise RuntimeError("secret internal detail")
    return {"steps": count, "attempt": ctx.attempt}


def register(registry: JobRegistry) -> None:
    registry.register(JobKind(name=STEPS, handler=steps, description="test-only"))
