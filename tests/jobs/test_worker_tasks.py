"""``workers.tasks``: a worker process keeps one event loop and one runtime from one job to the next, and makes
new ones after a job that an exception escaped."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import text

from shopwright.runtime import build_runtime
from shopwright.settings import Settings
from workers import tasks
from workers.runtime import Runtime


@pytest.fixture
def made(settings_factory: Callable[..., Settings]) -> Iterator[list[Runtime]]:
    runtimes: list[Runtime] = []

    def factory() -> Runtime:
        runtimes.append(build_runtime(settings_factory()))
        return runtimes[-1]

    tasks.configure(factory)
    try:
        yield runtimes
    finally:
        tasks.close()


async def _query(runtime: Runtime) -> tuple[int, int]:
    async with runtime.db.sessionmaker() as session:
        one = (await session.execute(text("select 1"))).scalar_one()
    return one, id(asyncio.get_running_loop())


class Escaped(Exception):
    pass


async def _escape(runtime: Runtime) -> None:
    raise Escaped()


async def test_jobs_share_the_runtime_until_one_escapes(made: list[Runtime]) -> None:
    # RQ calls the entry points from a thread with no running loop; so does this test.
    first = await asyncio.to_thread(tasks.on_runtime, _query)
    second = await asyncio.to_thread(tasks.on_runtime, _query)
    assert first == second and first[0] == 1  # the same loop
    assert len(made) == 1  # one runtime for both

    with pytest.raises(Escaped):
        await asyncio.to_thread(tasks.on_runtime, _escape)
    third = await asyncio.to_thread(tasks.on_runtime, _query)
    assert third[0] == 1 and len(made) == 2  # closed after the escape, made anew for the next


async def test_warming_makes_the_runtime_the_first_job_uses(made: list[Runtime]) -> None:
    await asyncio.to_thread(tasks.warm)
    assert len(made) == 1
    await asyncio.to_thread(tasks.on_runtime, _query)
    assert len(made) == 1


def test_unconfigured_entry_points_say_what_to_run() -> None:
    tasks.configure(None)  # type: ignore[arg-type]
    with pytest.raises(RuntimeError, match="shopwright worker"):
        tasks.run_job("job")
