"""Timestamps along an RQ job's way, for the benchmark's RQ row (``python -m benchmarks --only rq``).

The benchmark starts its ``shopwright worker`` processes through ``worker_main``, which wraps a few functions of
RQ and of the worker path (nothing in the service itself) to append one line per step to the file named by
``SHOPWRIGHT_BENCH_TRACE``: ``CLOCK_MONOTONIC`` (shared by every process of the machine, and the test server's
``received_at`` clock), the process id, the step and the job id. The benchmark's own steps go to the same file
(``mark``), and ``timeline`` reads it back into one line per job: enqueued, picked up by RQ, the task started,
claimed, the first call sent, the handler done, the result committed, RQ done, and seen done by the benchmark.
"""

from __future__ import annotations

import functools
import os
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

TRACE_ENV = "SHOPWRIGHT_BENCH_TRACE"
PROFILE_ENV = "SHOPWRIGHT_BENCH_PROFILE"  # a directory: each job's cProfile of its worker, for a closer look

# The steps, in the order a job goes through them.
STEPS = (
    "enqueued",  # the API's RQ enqueue returned (benchmark process)
    "dequeued",  # RQ's dequeue returned the job in a worker
    "task",  # workers.tasks.run_job entered
    "claimed",  # JobService.claim returned (the claim's transaction not yet committed)
    "first_call",  # the worker's first provider call entered generate_json
    "first_send",  # its slot held, the SDK about to send it
    "handler_done",  # the handler returned; the result is about to be written
    "written",  # the result's transaction committed
    "rq_done",  # RQ's bookkeeping for the job done (the worker is back in its dequeue)
    "seen",  # the benchmark saw the job's status terminal
)


def mark(step: str, job_id: str = "-", *, at: float | None = None) -> None:
    path = os.environ.get(TRACE_ENV)
    if not path:
        return
    with open(path, "a", encoding="utf-8") as out:
        out.write(f"{time.monotonic() if at is None else at:.6f} {os.getpid()} {step} {job_id}\n")


def _after(owner: Any, name: str, step: str, job_of: Callable[..., str]) -> None:
    original = getattr(owner, name)

    @functools.wraps(original)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        result = original(*args, **kwargs)
        mark(step, job_of(result, *args, **kwargs))
        return result

    setattr(owner, name, wrapper)


def _after_async(owner: Any, name: str, step: str, job_of: Callable[..., str]) -> None:
    original = getattr(owner, name)

    @functools.wraps(original)
    async def wrapper(*args: Any, **kwargs: Any) -> Any:
        result = await original(*args, **kwargs)
        mark(step, job_of(result, *args, **kwargs))
        return result

    setattr(owner, name, wrapper)


def install_worker() -> None:
    """Wraps the worker path's steps (in a worker process, before it starts)."""
    from rq import SimpleWorker
    from rq.worker.base import BaseWorker

    import workers.executor as executor
    import workers.tasks as tasks
    from benchmarks import counters
    from domain.jobs.service import JobService
    from workers.ai.openai_provider import OpenAITextProvider

    def dequeued_job(result: Any, *_: Any, **__: Any) -> str:
        return str(result[0].args[0]) if result is not None and result[0].args else "-"

    _after(BaseWorker, "dequeue_job_and_maintain_ttl", "dequeued", dequeued_job)
    _after(
        SimpleWorker, "execute_job", "rq_done", lambda _r, _self, job, *a, **k: str(job.args[0]) if job.args else "-"
    )

    run_job = tasks.run_job

    @functools.wraps(run_job)
    def traced_run_job(job_id: str) -> str | None:
        mark("task", job_id)
        profile_dir = os.environ.get(PROFILE_ENV)
        if not profile_dir:
            with counters.round_trips() as trips:
                redis_before = Counter(REDIS_CALLS)
                cpu = time.process_time()
                try:
                    return run_job(job_id)
                finally:
                    cpu = time.process_time() - cpu
                    kinds = Counter(" ".join(call.split(" ")[:2]) for call in trips)
                    write_count(job_id, cpu, len(trips), REDIS_CALLS - redis_before, kinds)
        import cProfile

        profile = cProfile.Profile()
        try:
            return profile.runcall(run_job, job_id)
        finally:
            profile.dump_stats(Path(profile_dir) / f"job-{job_id}.prof")

    tasks.run_job = traced_run_job  # RQ resolves "workers.tasks.run_job" when it performs the job
    _after_async(JobService, "claim", "claimed", lambda _r, _self, job_id: job_id)

    finish = executor._finish

    @functools.wraps(finish)
    async def traced_finish(runtime: Any, job_id: str, outcome: str, *args: Any, **kwargs: Any) -> str:
        mark("handler_done", job_id)
        status = await finish(runtime, job_id, outcome, *args, **kwargs)
        mark("written", job_id)
        return status

    executor._finish = traced_finish

    _first(OpenAITextProvider, "generate_json", "first_call")
    _first(OpenAITextProvider, "_send", "first_send")  # a slot is held: the request is about to be built and sent


def _first(owner: Any, name: str, event: str) -> None:
    """Marks ``event`` when the async method ``owner.name`` is first called in this process."""
    original = getattr(owner, name)
    seen: list[bool] = []

    @functools.wraps(original)
    async def traced(self: Any, *args: Any, **kwargs: Any) -> Any:
        if not seen:
            seen.append(True)
            mark(event)
        return await original(self, *args, **kwargs)

    setattr(owner, name, traced)


def install_submitter() -> Callable[[], None]:
    """Marks each RQ enqueue of the API (in the benchmark's process); returns what undoes it."""
    from workers.runner import RQQueue

    original = RQQueue.enqueue
    _after_async(RQQueue, "enqueue", "enqueued", lambda _r, _self, job_id: job_id)

    def undo() -> None:
        RQQueue.enqueue = original  # type: ignore[method-assign]

    return undo


REDIS_CALLS: Counter[str] = Counter()


def write_count(job_id: str, cpu: float, pg: int, redis_calls: Counter[str], kinds: Counter[str]) -> None:
    """The job's worker CPU time (the process's: its event loop and the threads it used), its PostgreSQL round
    trips (``benchmarks.counters.round_trips``) and its Redis commands (a pipeline counts once)."""
    path = os.environ.get(TRACE_ENV)
    if path:
        with open(path + ".counts", "a", encoding="utf-8") as out:
            out.write(
                f"job {job_id[:8]}: worker CPU {cpu * 1000:.0f} ms; PostgreSQL round trips {pg} {dict(kinds)}; "
                f"Redis {sum(redis_calls.values())} {dict(redis_calls)}\n"
            )


def count_redis() -> None:
    from redis.asyncio.client import Pipeline, Redis

    execute_command: Any = Redis.execute_command

    async def counted(self: Any, *args: Any, **kwargs: Any) -> Any:
        REDIS_CALLS[str(args[0])] += 1
        return await execute_command(self, *args, **kwargs)

    Redis.execute_command = counted  # type: ignore[method-assign]
    execute = Pipeline.execute

    async def counted_pipeline(self: Any, *args: Any, **kwargs: Any) -> Any:
        REDIS_CALLS["pipeline"] += 1
        return await execute(self, *args, **kwargs)

    Pipeline.execute = counted_pipeline  # type: ignore[method-assign]


def worker_main() -> int:
    """``shopwright worker`` with the steps traced."""
    install_worker()
    count_redis()
    from shopwright.cli import main

    sys.argv = ["shopwright", "worker"]
    return main()


def read(path: Path) -> list[tuple[float, int, str, str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        at, pid, step, job_id = line.split(" ")
        rows.append((float(at), int(pid), step, job_id))
    return rows


def timeline(path: Path, started: float, first_arrival: float | None = None) -> str:
    """One line per job: each step's time in ms after ``started`` (``monotonic``), and which step took the most."""
    if not path.exists():
        return "no trace"
    rows = read(path)
    per_job: dict[str, dict[str, float]] = defaultdict(dict)
    pid_job: dict[int, str] = {}
    for _at, pid, _step, job_id in rows:
        if job_id != "-":
            pid_job[pid] = job_id
    for at, pid, step, job_id in rows:
        job = job_id if job_id != "-" else pid_job.get(pid, "-")
        per_job[job].setdefault(step, at)
    lines = []
    for job, steps in per_job.items():
        if job == "-":
            continue
        parts = [f"{step} {(steps[step] - started) * 1000:.0f}" for step in STEPS if step in steps]
        lines.append(f"job {job[:8]}: " + ", ".join(parts))
    if first_arrival is not None:
        lines.append(f"first call at the server {(first_arrival - started) * 1000:.0f} ms")
    counts = Path(str(path) + ".counts")
    if counts.exists():
        lines.extend(counts.read_text(encoding="utf-8").splitlines())
    return "timeline (ms after submit): " + "\n    ".join(lines)


if __name__ == "__main__":
    sys.exit(worker_main())
