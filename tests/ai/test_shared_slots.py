"""The cap on AI provider calls shared by every process (a fair semaphore with leases in Redis), on the real
SDK against the local test server. Several ``SharedSlots`` on one key stand for several processes; the lease
tests kill a real process holding or waiting for slots."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import textwrap
import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

from benchmarks.ai_slots import Counted
from domain.ai.ports import ProviderError
from shopwright.runtime import build_providers
from shopwright.settings import Settings
from tests.ai.test_openai_provider import ask, make_provider
from tests.support.fake_openai import FakeOpenAI
from workers.ai.openai_provider import OpenAITextProvider, RetryPolicy
from workers.ai.slots import LocalSlots, SharedSlots

ROOT = Path(__file__).resolve().parents[2]
WAIT = 15.0  # bound on anything that should happen within a lease or two


@pytest.fixture
def key() -> str:
    return f"shopwright-test:ai-slots:{uuid.uuid4().hex}"


@contextlib.asynccontextmanager
async def shared(redis_url: str, key: str, limit: int, local: int, **kwargs: Any) -> AsyncIterator[SharedSlots]:
    slots = SharedSlots(redis_url, key=key, limit=limit, local=LocalSlots(local), **kwargs)
    try:
        yield slots
    finally:
        await slots.close()


async def test_processes_together_stay_under_the_shared_cap(fake_openai: FakeOpenAI, redis_url: str, key: str) -> None:
    fake_openai.latency = 0.3
    providers = [
        make_provider(fake_openai, slots=SharedSlots(redis_url, key=key, limit=5, local=LocalSlots(4)))
        for _ in range(3)
    ]
    try:
        # Three "processes" of 4 slots each would send 12 at once; the shared cap lets 5 through.
        await asyncio.gather(*(ask(p, f"Product {i}") for p in providers for i in range(8)))
        assert fake_openai.calls == 24
        assert fake_openai.max_in_flight == 5
        assert await providers[0].slots.holders() == 0  # type: ignore[attr-defined]
    finally:
        for provider in providers:
            await provider.close()


async def test_the_per_process_cap_stays(fake_openai: FakeOpenAI, redis_url: str, key: str) -> None:
    fake_openai.latency = 0.3
    provider = make_provider(fake_openai, slots=SharedSlots(redis_url, key=key, limit=10, local=LocalSlots(2)))
    try:
        await asyncio.gather(*(ask(provider, f"Product {i}") for i in range(8)))
        assert fake_openai.max_in_flight == 2
    finally:
        await provider.close()


async def test_waiters_are_served_in_arrival_order_across_processes(redis_url: str, key: str) -> None:
    order: list[str] = []
    async with (
        shared(redis_url, key, limit=1, local=4) as first,
        shared(redis_url, key, limit=1, local=4) as second,
    ):
        holder = first.slot()
        await holder.__aenter__()

        async def take(slots: SharedSlots, name: str) -> None:
            async with slots.slot():
                order.append(name)
                await asyncio.sleep(0.02)

        waiting = []
        for slots, name in ((second, "a"), (first, "b"), (second, "c"), (first, "d")):
            waiting.append(asyncio.create_task(take(slots, name)))
            await asyncio.sleep(0.1)  # each is queued before the next arrives
        await holder.__aexit__(None, None, None)
        await asyncio.wait_for(asyncio.gather(*waiting), WAIT)
    assert order == ["a", "b", "c", "d"]


NEVER = 3600.0  # a waiter that never asks again on its own: only a wake-up lets it in


def blocking(redis_url: str) -> str:
    """The Redis URL with a socket timeout longer than NEVER (a blocked waiter reads nothing until woken)."""
    return f"{redis_url}{'&' if '?' in redis_url else '?'}socket_timeout={2 * NEVER:g}"


async def test_a_slot_given_back_wakes_the_waiter_in_another_process(redis_url: str, key: str) -> None:
    async with shared(redis_url, key, limit=1, local=4) as first:
        waiter = Counted(
            blocking(redis_url),
            key=key,
            limit=1,
            local=LocalSlots(4),
            wait_lease_seconds=4 * NEVER,
            max_wait_seconds=NEVER,
        )
        try:
            holder = first.slot()
            await holder.__aenter__()
            entered = asyncio.Event()

            async def take() -> None:
                async with waiter.slot():
                    entered.set()

            task = asyncio.create_task(take())
            await asyncio.sleep(0.3)  # queued and blocked on its wake-up list
            assert not entered.is_set() and waiter.asks == 1
            await holder.__aexit__(None, None, None)
            async with asyncio.timeout(WAIT):  # a poll would come only after NEVER
                await task
            assert waiter.asks == 1  # once, to queue: woken, it holds the slot handed to it without asking again
        finally:
            await waiter.close()


async def test_wake_ups_serve_the_queue_in_order_and_leave_no_lists(redis_url: str, key: str) -> None:
    order: list[str] = []
    kwargs: dict[str, Any] = {"wait_lease_seconds": 4 * NEVER, "max_wait_seconds": NEVER}
    async with (
        shared(blocking(redis_url), key, limit=2, local=4, **kwargs) as first,
        shared(blocking(redis_url), key, limit=2, local=4, **kwargs) as second,
    ):
        holders = [first.slot(), second.slot()]
        for holder in holders:
            await holder.__aenter__()

        async def take(slots: SharedSlots, name: str) -> None:
            async with slots.slot():
                order.append(name)
                await asyncio.sleep(0.02)

        waiting = []
        for slots, name in ((second, "a"), (first, "b"), (second, "c"), (first, "d"), (second, "e")):
            waiting.append(asyncio.create_task(take(slots, name)))
            await asyncio.sleep(0.1)
        for holder in holders:
            await holder.__aexit__(None, None, None)
        async with asyncio.timeout(WAIT):
            await asyncio.gather(*waiting)
        assert await first.holders() == 0
        leftover = [k async for k in first._client.scan_iter(match=f"{key}:wake:*")]
    assert sorted(order[:2]) == ["a", "b"] and sorted(order[2:4]) == ["c", "d"] and order[4] == "e"
    assert leftover == []


async def test_a_cancelled_waiter_leaves_the_queue(redis_url: str, key: str) -> None:
    async with shared(redis_url, key, limit=1, local=4) as first, shared(redis_url, key, limit=1, local=4) as second:
        holder = first.slot()
        await holder.__aenter__()
        ghost = asyncio.create_task(second.slot().__aenter__())
        await asyncio.sleep(0.2)
        ghost.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await ghost
        await holder.__aexit__(None, None, None)
        # Nobody is left ahead of a newcomer: it gets the slot at once, not after a waiting lease.
        async with asyncio.timeout(2.0), second.slot():
            assert await second.holders() == 1


HOLD_AND_WAIT = textwrap.dedent(
    """
    import asyncio, sys
    from workers.ai.slots import LocalSlots, SharedSlots

    async def main(url, key, hold):
        slots = SharedSlots(url, key=key, limit=2, local=LocalSlots(4), lease_seconds=1.0, wait_lease_seconds=1.0)
        entered = []
        for _ in range(int(hold)):
            entered.append(slots.slot())
            await entered[-1].__aenter__()
        print("ready", flush=True)
        if int(hold) < 2:
            await slots.slot().__aenter__()  # queued behind the test's holder
        await asyncio.sleep(3600)

    asyncio.run(main(*sys.argv[1:]))
    """
)


@contextlib.contextmanager
def process(redis_url: str, key: str, hold: int) -> Any:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD_AND_WAIT, redis_url, key, str(hold)], stdout=subprocess.PIPE, env=env, text=True
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        yield proc
    finally:
        proc.kill()
        proc.wait()


async def test_a_killed_process_gives_its_slots_back_when_the_leases_end(redis_url: str, key: str) -> None:
    async with shared(redis_url, key, limit=2, local=4) as slots:
        with process(redis_url, key, hold=2) as proc:
            await asyncio.sleep(1.5)  # past one lease: the holder's renewals keep both slots
            assert await slots.holders() == 2
            proc.send_signal(signal.SIGKILL)
            proc.wait()
        # Nothing renews them now: both come back within a lease.
        async with asyncio.timeout(WAIT), slots.slot(), slots.slot():
            assert await slots.holders() == 2


async def test_a_killed_waiter_drops_out_of_the_queue(redis_url: str, key: str) -> None:
    async with shared(redis_url, key, limit=2, local=4) as slots:
        holder = slots.slot()
        await holder.__aenter__()  # the process takes the other slot, then queues for a third
        with process(redis_url, key, hold=1) as proc:
            await asyncio.sleep(0.3)
            proc.send_signal(signal.SIGKILL)
            proc.wait()
        await holder.__aexit__(None, None, None)
        # The dead process's slot and its place in the queue both end with their leases; then both slots
        # are free for the living, the ghost in the queue ahead of them notwithstanding.
        async with asyncio.timeout(WAIT), slots.slot(), slots.slot():
            assert await slots.holders() == 2


async def test_unreachable_redis_fails_the_call_without_sending_it(fake_openai: FakeOpenAI) -> None:
    slots = SharedSlots("redis://127.0.0.1:1/0", key="unreachable", limit=2, local=LocalSlots(2))
    provider = make_provider(fake_openai, slots=slots, retry=RetryPolicy(max_retries=1, backoff_seconds=0.0))
    try:
        with pytest.raises(ProviderError, match="Redis are unreachable"):
            await ask(provider)
        assert fake_openai.calls == 0
    finally:
        await provider.close()


def test_processes_share_the_per_process_cap_by_default(
    settings_factory: Callable[..., Settings], redis_url: str
) -> None:
    settings = settings_factory(
        ai_provider="auto", openai_base_url="http://127.0.0.1:1/v1", redis_url=redis_url, llm_concurrency=3
    )
    text = build_providers(settings).text
    assert isinstance(text, OpenAITextProvider) and isinstance(text.slots, SharedSlots)
    assert (text.slots.limit, text.slots.local.limit) == (3, 3)
    wider = build_providers(settings.model_copy(update={"llm_global_concurrency": 12})).text
    assert isinstance(wider, OpenAITextProvider) and isinstance(wider.slots, SharedSlots)
    assert (wider.slots.limit, wider.slots.local.limit) == (12, 3)
    off = build_providers(settings.model_copy(update={"llm_global_concurrency": 0})).text
    assert isinstance(off, OpenAITextProvider) and isinstance(off.slots, LocalSlots)


def test_without_redis_only_the_per_process_cap(settings_factory: Callable[..., Settings]) -> None:
    settings = settings_factory(
        ai_provider="auto", openai_base_url="http://127.0.0.1:1/v1", redis_url=None, llm_global_concurrency=4
    )
    text = build_providers(settings).text
    assert isinstance(text, OpenAITextProvider) and isinstance(text.slots, LocalSlots)


async def test_a_freed_slot_sends_the_next_call_before_the_answer_is_handed_back(fake_openai: FakeOpenAI) -> None:
    """The slot is given back as soon as the answer is in; the call waiting for it sends its request before the
    caller of the first one gets its answer (and runs its own work on it: guardrails, progress)."""
    provider = make_provider(fake_openai, slots=LocalSlots(1))
    seen: list[str] = []
    send = provider._send

    async def recorded(request: dict[str, Any]) -> Any:
        seen.append(f"send {request['messages'][1]['content']}")
        return await send(request)

    provider._send = recorded  # type: ignore[method-assign]

    async def call(name: str) -> None:
        await ask(provider, name)
        seen.append(f"answered {name}")

    try:
        await asyncio.gather(call("first"), call("second"))
    finally:
        await provider.close()
    assert seen == ["send first", "send second", "answered first", "answered second"]


async def test_warming_opens_the_connections_the_first_calls_take(redis_url: str, key: str) -> None:
    """A worker warms its slots before its first job: the first ``local`` calls taken at once each find a
    connection to Redis ready instead of making one (TCP and the client's hello) before asking for a slot."""
    async with shared(redis_url, key, limit=4, local=4) as slots:
        pool = slots._client.connection_pool

        def made() -> int:
            return len(pool._available_connections) + len(pool._in_use_connections)

        assert made() == 0
        await slots.warm()
        assert made() == 4
        entered = asyncio.Event()
        inside = 0

        async def take() -> None:
            nonlocal inside
            async with slots.slot():
                inside += 1
                if inside == 4:
                    entered.set()
                await entered.wait()

        async with asyncio.timeout(WAIT):
            await asyncio.gather(*(take() for _ in range(4)))
        assert made() == 4  # the four calls found them ready
        assert await slots.holders() == 0


async def test_a_waiter_handed_a_slot_while_not_listening_holds_it_when_it_asks_again(redis_url: str, key: str) -> None:
    """A slot is handed to the first in line when it is given back, whether or not that waiter is blocked on its
    wake-up list at that moment (its wait may just have timed out): asking again, it finds it holds the slot."""
    async with shared(redis_url, key, limit=1, local=4) as slots:
        holder = slots.slot()
        await holder.__aenter__()
        token = "asks-late"
        assert await slots._acquire(keys=slots._keys, args=slots._args(token)) == 0  # queued
        await holder.__aexit__(None, None, None)  # handed to the queued token, which is not listening
        assert await slots.holders() == 1
        assert await slots._acquire(keys=slots._keys, args=slots._args(token)) == 1
        assert await slots._client.exists(slots._keys[4] + token) == 0  # its wake-up is not left behind
        await slots._give_back(token)
        assert await slots.holders() == 0


async def test_a_slot_handed_over_is_renewed_before_the_waiting_lease_it_came_under_ends(
    redis_url: str, key: str
) -> None:
    async with shared(redis_url, key, limit=1, local=4, wait_lease_seconds=1.0) as slots:
        holder = slots.slot()
        await holder.__aenter__()
        handed, done = asyncio.Event(), asyncio.Event()

        async def waiter() -> None:
            async with slots.slot():
                handed.set()
                await done.wait()

        task = asyncio.create_task(waiter())
        await asyncio.sleep(0.2)  # queued
        await holder.__aexit__(None, None, None)
        async with asyncio.timeout(WAIT):
            await handed.wait()
        await asyncio.sleep(1.5)  # past the waiting lease (1 s) the slot was handed under
        assert await slots.holders() == 1  # renewed to a holder's lease: still held
        done.set()
        await task
        assert await slots.holders() == 0
