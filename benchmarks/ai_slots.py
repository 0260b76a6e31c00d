"""The hand-off of the AI call slots shared through Redis (issue 13, row 5): how long a freed slot stays unused
before a caller waiting for it, in another process, takes it, and how many times waiters ask Redis.

```
python -m benchmarks.ai_slots [--redis redis://127.0.0.1:6379/0] [--limit 8] [--callers 8] [--hold 0.2]
                              [--rounds 12] [--processes 2]
```

``--processes`` worker processes, each with ``SharedSlots`` on one key (``--limit`` shared, ``--callers`` its
own cap, as ``shopwright worker`` runs with ``SHOPWRIGHT_LLM_CONCURRENCY`` and
``SHOPWRIGHT_LLM_GLOBAL_CONCURRENCY``) and ``--callers`` callers that loop ``--rounds`` times: take a slot, hold
it ``--hold`` seconds (a provider call), give it back. More callers than slots keep a queue waiting in every
process, so nearly every slot given back is handed to a waiter, in its own process or in the other. Printed:
the gap from a slot's call ending to the next call holding that slot (median, p90, and summed per slot: what
the hand-offs added to the run), the run's time against the ideal (calls / limit x hold) and how many times
callers asked Redis for a slot, per call (does not depend on the machine's load).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import time
import uuid
from typing import Any

from workers.ai.slots import LocalSlots, SharedSlots


class Counted(SharedSlots):
    """Counts how many times its callers ask Redis for a slot."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.asks = 0
        acquire = self._acquire

        async def counted(**kw: Any) -> Any:
            self.asks += 1
            return await acquire(**kw)

        self._acquire = counted  # type: ignore[assignment]


async def child(redis_url: str, key: str, limit: int, callers: int, hold: float, rounds: int, at: float) -> None:
    """One worker process: its callers' holding times (``perf_counter``, the system's monotonic clock), as JSON."""
    slots = Counted(redis_url, key=key, limit=limit, local=LocalSlots(callers))
    held: list[tuple[float, float]] = []

    async def caller() -> None:
        for _ in range(rounds):
            async with slots.slot():
                taken = time.perf_counter()
                await asyncio.sleep(hold)
                held.append((taken, time.perf_counter()))

    await slots.holders()  # connected before the start
    await asyncio.sleep(max(0.0, at - time.perf_counter()))
    try:
        await asyncio.gather(*(caller() for _ in range(callers)))
    finally:
        await slots.close()
    print(json.dumps({"held": held, "asks": slots.asks}))


def run(redis_url: str, limit: int, callers: int, hold: float, rounds: int, processes: int) -> str:
    key = f"shopwright-bench:ai-slots:{uuid.uuid4().hex}"
    started = time.perf_counter() + 2.0  # every process has started and connected by then
    argv = [redis_url, key, str(limit), str(callers), str(hold), str(rounds), repr(started)]
    children = [
        subprocess.Popen([sys.executable, "-m", "benchmarks.ai_slots", "--child", *argv], stdout=subprocess.PIPE)
        for _ in range(processes)
    ]
    outputs = [json.loads(c.communicate()[0]) for c in children]
    held = sorted(tuple(h) for out in outputs for h in out["held"])
    calls = len(held)
    wall = max(end for _, end in held) - started
    ideal = calls / limit * hold
    asks = sum(out["asks"] for out in outputs)
    # Each call on the slot free the longest (as the cap hands them out): the gap is from that slot's last call
    # ending to this one holding it. The first ``limit`` calls find their slots free.
    free = [started] * limit
    gaps: list[float] = []
    for taken, ended in held:
        slot = min(range(limit), key=free.__getitem__)
        if free[slot] > started:
            gaps.append(max(0.0, taken - free[slot]))
        free[slot] = ended
    gaps.sort()
    return (
        f"{processes} processes x {callers} callers, shared limit {limit}, {calls} calls of {hold * 1000:.0f} ms: "
        f"wall {wall:.2f} s, ideal {ideal:.2f} s (ratio {wall / ideal:.3f}); hand-off median "
        f"{statistics.median(gaps) * 1000:.1f} ms, p90 {gaps[int(len(gaps) * 0.9)] * 1000:.1f} ms, "
        f"{sum(gaps) / limit:.2f} s a slot; {asks / calls:.2f} asks a call"
    )


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["--child"]:
        url, key, limit, callers, hold, rounds, at = args[1:]
        asyncio.run(child(url, key, int(limit), int(callers), float(hold), int(rounds), float(at)))
        return 0
    parser = argparse.ArgumentParser(prog="python -m benchmarks.ai_slots", description=__doc__.split("\n\n")[0])
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--limit", type=int, default=8)
    parser.add_argument("--callers", type=int, default=8)
    parser.add_argument("--hold", type=float, default=0.2)
    parser.add_argument("--rounds", type=int, default=12)
    parser.add_argument("--processes", type=int, default=2)
    parsed = parser.parse_args(args)
    print(run(parsed.redis, parsed.limit, parsed.callers, parsed.hold, parsed.rounds, parsed.processes))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
