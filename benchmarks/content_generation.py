"""Content generation against the local OpenAI-compatible test server with a fixed latency (issue 13, rows 5
and 6).

Measured side by side in one run, all against the same server:

- ``provider``: the OpenAI provider alone — one structured call per product, all submitted at once; the
  provider's concurrency limit is the only thing pacing them;
- ``pipeline``: the real thing — a content-generation job submitted through
  ``POST /brandbrain/content-generation/jobs`` (the document's example configuration, one product per
  group), run by the in-process job runner on an SQLite database, until the job completes; with the event
  loop's CPU time per product and the statements, commits and job-event inserts the job cost;
- ``rq``: the same products as 2 jobs x 100 on 2 ``shopwright worker`` processes (RQ on Redis, a scratch
  PostgreSQL database), with the AI call cap the processes share set to the concurrency, so the ideal is the
  same as in process (skipped when no PostgreSQL server or Redis answers: ``SHOPWRIGHT_BENCH_DATABASE_URL``,
  ``SHOPWRIGHT_BENCH_REDIS_URL``);
- ``offline``: the offline composer alone, and with the guardrails (the job's offline path), in products a
  second of CPU time on one core.

For each AI row: wall time, the ideal time (LLM calls / concurrency * latency: what a perfectly packed schedule
of those calls would take), their ratio (1.00 is perfect; the pipeline's extra is its own work: prompts,
guardrails, progress events, database writes), and LLM calls and tokens per product; for the job rows, a
``schedule`` line from the test server's side: the head (submit to the first call), the tail (the last answer to
the job seen done), the gaps between a call answered and the next one arriving on its slot, and how busy the
slots were (``schedule``).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import copy
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import redis
from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncEngine

from benchmarks import rq_trace
from domain.ai.ports import Usage
from tests.support.fake_openai import FakeOpenAI, fake_openai_in_thread
from workers.ai.openai_provider import OpenAITextProvider, RetryPolicy

CONTENT_TYPES = ["title", "bullets", "desc"]

CONTENT_CONFIG: dict[str, Any] = {
    "word_map": {" - ": ", ", "Not Applicable": ""},
    "tone": {"GENERIC": {"Our product is capable of many things": "Explore the endless potential of our product."}},
    "client": {
        "prompt_attributes": ["Long Product Name", "Brand", "Colour"],
        "forbidden_words": ["shopper barrier", "shopping barrier"],
        "content_type_family_map": {"title": "title", "bullets": "bullets", "desc": "string"},
        "field_map": {"brand": "Brand", "long_product_name": "Long Product Name"},
        "validation_entities": ["PRODUCT_NAME", "SIZE"],
        "false_words_entity_map": {"COLOR": "Colour", "SIZE": "Size"},
        "variant_data_fields": ["Colour"],
        "style_guide_content_types": ["bullets", "desc"],
        "tone_content_types": ["bullets", "desc"],
        "skip_content_types": ["howtouse"],
    },
    "style_guide": {"tone_of_voice": "Informal but professional", "writing_style": "Simple and concise"},
    "content_types": {
        "title": {
            "task": "Write an e-commerce sales title for the product.",
            "character_limit": 100,
            "restrictions": ["* Never use ALL CAPS in your product titles."],
            "additions": {"title": "{{attr.brand}}, {{title}}"},
            "keyword_groups": {"must": ["title"], "omit": ["avoid"]},
        },
        "bullets": {
            "task": "I want 5 bullet points explaining the highlights of the product.",
            "character_limit": 250,
            "guidelines_shortener": ["Always finish a bullet point with a full stop."],
            "additions": {"bullets_1": "Highlights: {{bullets_1}}"},
            "keyword_groups": {"must": ["generic"], "verbatim_must_claims": ["bullets_must_claims"]},
        },
        "desc": {
            "task": "Write a long description of the product. Use about 200 words.",
            "character_limit": 1000,
            "guidelines_shortener": ["Always ensure grammar is correct."],
            "additions": {"desc": "{{desc}}\nThanks, from the team at {{attr.brand}}!"},
            "keyword_groups": {"omit": ["avoid"], "verbatim_must_claims": ["desc_must_claims"]},
        },
    },
}

COLOURS = ["Black", "White", "Red", "Blue", "Green", "Silver", "Gold", "Grey"]
KINDS = ["Gadget", "Speaker", "Lamp", "Charger", "Headset", "Keyboard", "Camera", "Watch"]


def make_product(i: int) -> dict[str, Any]:
    kind = KINDS[i % len(KINDS)]
    colour = COLOURS[(i // len(KINDS)) % len(COLOURS)]
    name = f"QuantumTech {kind} {100 + i}"
    return {
        "product_id": f"{1234567890000 + i}",
        "product_name": name,
        "product_description": f"A {colour.lower()} {kind.lower()} designed for modern needs, model {100 + i}.",
        "brand": "QuantumTech",
        "market": "uk",
        "language": "en",
        "variant_group_id": f"G{i:06d}",
        "keywords": {
            "generic": ["tech", kind.lower()],
            "title": ["Quantum", kind],
            "avoid": ["obsolete"],
            "desc_must_claims": ["Designed in the UK"],
            "bullets_must_claims": ["'Claim': Two-year warranty*, 'Disclaimer': *Terms apply."],
        },
        "reviews": [{"review_id": f"R{i}", "review_text": f"My {kind.lower()} exceeded my expectations!", "cust": "c"}],
        "attributes": [
            {"name": "long_product_name", "value": f"{name} in {colour}"},
            {"name": "brand", "value": "QuantumTech"},
            {"name": "colour", "value": colour},
        ],
    }


def generation_request(products: int) -> dict[str, Any]:
    return {
        "skip_grouping": True,
        "products": [make_product(i) for i in range(products)],
        "content_generation_params": {
            "market": "uk",
            "channel": "TechStore",
            "language": "en",
            "content_types": list(CONTENT_TYPES),
            "content_config": copy.deepcopy(CONTENT_CONFIG),
        },
    }


@dataclass
class Measurement:
    name: str
    products: int
    wall_seconds: float
    calls: int
    concurrency: int
    latency: float
    usage: Usage
    note: str = ""

    @property
    def ideal_seconds(self) -> float:
        return self.calls / self.concurrency * self.latency

    @property
    def ratio(self) -> float:
        return self.wall_seconds / self.ideal_seconds if self.ideal_seconds else float("nan")


def schedule(arrivals: list[float], started: float, ended: float, *, concurrency: int, latency: float) -> str:
    """Where the time over the ideal went, from the test server's side: each call arrives (its body read) and is
    answered ``latency`` later. The calls are laid on ``concurrency`` slots (each arrival on the slot free the
    longest, as a semaphore hands them out); then: the head (submit to the first call), the tail (the last
    answer to the job seen done), the hand-off gaps (a call answered to the next call arriving on its slot:
    the answer's way back, the client's work on it, the next request's way out) summed per slot, and the
    slots' utilisation (calls x latency / (slots x wall))."""
    if not arrivals:
        return "no calls"
    arrivals = sorted(arrivals)
    free = [started] * concurrency
    gaps: list[float] = []
    for at in arrivals:
        slot = min(range(concurrency), key=free.__getitem__)
        if free[slot] > started:
            gaps.append(max(0.0, at - free[slot]))
        free[slot] = max(at, free[slot]) + latency
    head = arrivals[0] - started
    tail = ended - (arrivals[-1] + latency)
    gaps.sort()
    p50 = gaps[len(gaps) // 2] * 1000 if gaps else 0.0
    p90 = gaps[int(len(gaps) * 0.9)] * 1000 if gaps else 0.0
    busy = len(arrivals) * latency / (concurrency * (ended - started))
    return (
        f"schedule: head {head * 1000:.0f} ms, tail {tail * 1000:.0f} ms, hand-off gaps "
        f"{sum(gaps) / concurrency:.2f} s a slot (p50 {p50:.1f} ms, p90 {p90:.1f} ms), slots busy {busy:.0%}"
    )


class StatusWatch:
    """Waits for a job to end by reading its status from SQLite on a thread of its own every ``interval``: the
    benchmark's polling stays off the event loop it measures (sqlite3 releases the GIL while it reads)."""

    def __init__(self, path: Path, job_id: str, terminal: set[str], interval: float = 0.005) -> None:
        self.path, self.job_id, self.terminal, self.interval = path, job_id, terminal, interval
        self.ended_at = 0.0

    def _watch(self) -> None:
        import sqlite3

        with contextlib.closing(sqlite3.connect(self.path, timeout=30)) as connection:
            while True:
                row = connection.execute("SELECT status FROM jobs WHERE id = ?", (self.job_id,)).fetchone()
                if row is not None and row[0] in self.terminal:
                    self.ended_at = time.perf_counter()
                    return
                time.sleep(self.interval)

    async def wait(self) -> float:
        """The time (``perf_counter``) the job was first seen ended."""
        await asyncio.to_thread(self._watch)
        return self.ended_at


class PgStatusWatch:
    """``StatusWatch`` on PostgreSQL: waits for jobs to end by reading their status on a thread of its own (its own
    event loop and asyncpg connection) every ``interval``, so the benchmark's polling is neither on its event loop
    nor as slow as a pooled session's checkout; the time each job was first seen ended."""

    def __init__(self, url: str, job_ids: list[str], terminal: set[str], interval: float = 0.005) -> None:
        self.url, self.job_ids, self.terminal, self.interval = url, job_ids, terminal, interval
        self.ended_at: dict[str, float] = {}

    async def _watch(self) -> None:
        import asyncpg  # type: ignore[import-untyped]

        connection = await asyncpg.connect(self.url.replace("postgresql+asyncpg://", "postgresql://"))
        try:
            query = await connection.prepare("SELECT id, status FROM jobs WHERE id = ANY($1::varchar[])")
            while len(self.ended_at) < len(self.job_ids):
                for job_id, status in await query.fetch(self.job_ids):
                    if status in self.terminal and job_id not in self.ended_at:
                        self.ended_at[job_id] = time.perf_counter()
                await asyncio.sleep(self.interval)
        finally:
            await connection.close()

    async def wait(self) -> dict[str, float]:
        await asyncio.to_thread(asyncio.run, self._watch())
        return self.ended_at


SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "title": {"type": "string"},
        "bullets": {"type": "array", "items": {"type": "string"}, "minItems": 5, "maxItems": 5},
        "desc": {"type": "string"},
    },
    "required": ["title", "bullets", "desc"],
    "additionalProperties": False,
}


async def bench_provider(fake: FakeOpenAI, *, products: int, concurrency: int) -> Measurement:
    """One structured call per product through the provider alone."""
    fake.reset()
    fake.latency = LATENCY
    provider = OpenAITextProvider(
        api_key="bench", base_url=fake.base_url, concurrency=concurrency, retry=RetryPolicy(backoff_seconds=0.01)
    )
    try:
        started = time.perf_counter()
        results = await asyncio.gather(
            *(
                provider.generate_json(
                    system="You write product content.",
                    user=str(make_product(i)),
                    schema=SCHEMA,
                    schema_name="product_content",
                )
                for i in range(products)
            )
        )
        wall = time.perf_counter() - started
    finally:
        await provider.close()
    usage = sum((r.usage for r in results), Usage())
    return Measurement("provider alone", products, wall, fake.calls, concurrency, LATENCY, usage)


async def bench_pipeline(fake: FakeOpenAI, *, products: int, concurrency: int) -> Measurement:
    """A whole content-generation job through the REST surface and the in-process runner."""
    from domain.jobs.models import CANCELLED, COMPLETED, FAILED
    from domain.jobs.repository import JobsRepository
    from shopwright.app import build_app
    from shopwright.migrate import upgrade
    from shopwright.settings import Settings
    from tests.support.factories import make_workspace

    TERMINAL = {COMPLETED, FAILED, CANCELLED}
    fake.reset()
    fake.latency = LATENCY
    with tempfile.TemporaryDirectory(prefix="shopwright-bench-", dir=BENCH_DIR) as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
        await asyncio.to_thread(upgrade, url)
        settings = Settings(
            database_url=url,
            data_dir=Path(tmp),
            secret_key="benchmark",
            redis_url=None,
            ai_provider="openai",
            openai_base_url=fake.base_url,
            openai_api_key="bench",
            llm_concurrency=concurrency,
            llm_backoff_seconds=0.01,
            max_body_bytes=16 * 1024 * 1024,
        )
        app = build_app(settings)
        async with app.router.lifespan_context(app):
            services = app.state.services
            counter = StatementCounter(services.db.engine, services.db.write_engine)
            workspace = await make_workspace(services, name="Benchmark")
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
                body = generation_request(products)
                counter.reset()
                started = time.perf_counter()
                cpu = time.thread_time()
                response = await client.post(
                    "/brandbrain/content-generation/jobs", json=body, headers={"x-api-key": workspace.api_key}
                )
                if response.status_code >= 300:
                    raise RuntimeError(f"submit failed: {response.status_code} {response.text[:300]}")
                job_id = response.json()["job_id"]
                # Watched from a thread of its own (not the counted engines, not the measured loop), reading the
                # status column alone: loading the whole job would decode its parameters (every product).
                ended = await StatusWatch(Path(tmp) / "bench.db", job_id, TERMINAL).wait()
                wall = ended - started
                loop_cpu = time.thread_time() - cpu
                statements = counter.snapshot()
                arrivals = [r.received_at for r in fake.requests]
                async with services.read() as session:
                    job = await JobsRepository(session).get(job_id)
                assert job is not None
                if job.status != "completed":
                    raise RuntimeError(f"job {job.status}: {job.error_code} {job.error_message}")
                result = (await client.get(
                    f"/brandbrain/content-generation/jobs/{job_id}/result", headers={"x-api-key": workspace.api_key}
                )).json()  # fmt: skip
        codes = Counter(w.get("code") for entry in result.values() for w in entry.get("warnings", []))
        warnings = ", ".join(f"{code} {n}" for code, n in codes.most_common()) or "none"
        return Measurement(
            "pipeline (job)",
            products,
            wall,
            fake.calls,
            concurrency,
            LATENCY,
            Usage(job.prompt_tokens, job.completion_tokens),
            note=(
                f"{len(result)} results; event loop CPU {loop_cpu * 1000 / products:.1f} ms/product; {statements}; "
                f"warnings: {warnings}\n    "
                + schedule(
                    arrivals,
                    _monotonic(started),
                    _monotonic(started + wall),
                    concurrency=concurrency,
                    latency=LATENCY,
                )
            ),
        )


class StatementCounter:
    """Counts the SQL statements the engines send (``before_cursor_execute``), the job-event inserts among
    them, and the transactions committed: figures that do not depend on load."""

    def __init__(self, *engines: AsyncEngine) -> None:
        self.total = self.event_inserts = self.commits = 0
        for engine in {id(e): e for e in engines}.values():
            event.listen(engine.sync_engine, "before_cursor_execute", self._count)
            event.listen(engine.sync_engine, "commit", self._commit)

    def _count(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        self.total += 1
        if statement.lstrip().upper().startswith("INSERT INTO JOB_EVENTS"):
            self.event_inserts += 1

    def _commit(self, _conn: Any) -> None:
        self.commits += 1

    def reset(self) -> None:
        self.total = self.event_inserts = self.commits = 0

    def snapshot(self) -> str:
        return f"{self.total} statements, {self.commits} commits, {self.event_inserts} job-event inserts"


async def bench_rq(
    fake: FakeOpenAI,
    *,
    products: int,
    concurrency: int,
    jobs: int,
    database_url: str,
    redis_url: str,
    split: bool = False,
) -> Measurement:
    """``jobs`` content-generation jobs of ``products / jobs`` products each, submitted at once through the
    REST surface and run by as many ``shopwright worker`` processes (one job each) on RQ, on a PostgreSQL
    database of their own. All processes together have ``concurrency`` calls in flight, so the ideal is the
    in-process one (LLM calls / concurrency x latency): by default through the cap they share in Redis
    (``SHOPWRIGHT_LLM_GLOBAL_CONCURRENCY=concurrency``, each process keeping ``concurrency`` too); with
    ``split``, without a shared cap, each process allowed ``concurrency / jobs``."""
    from rq import Queue, Worker
    from sqlalchemy import text
    from sqlalchemy.engine import make_url
    from sqlalchemy.ext.asyncio import create_async_engine

    from domain.db import Database
    from domain.jobs.models import CANCELLED, COMPLETED, FAILED, Job
    from shopwright.app import build_app
    from shopwright.migrate import upgrade
    from shopwright.settings import Settings
    from tests.support.factories import make_workspace

    fake.reset()
    fake.latency = LATENCY
    server = make_url(database_url)
    name = f"shopwright_bench_{uuid.uuid4().hex[:10]}"
    queue_name = f"shopwright-bench-{uuid.uuid4().hex[:10]}"
    admin = create_async_engine(server.set(database=server.database or "postgres"), isolation_level="AUTOCOMMIT")
    async with admin.connect() as ddl:
        await ddl.execute(text(f'CREATE DATABASE "{name}"'))
    url = server.set(database=name).render_as_string(hide_password=False)
    workers: list[asyncio.subprocess.Process] = []
    try:
        with tempfile.TemporaryDirectory(prefix="shopwright-bench-", dir=BENCH_DIR) as tmp:
            await asyncio.to_thread(upgrade, url)
            env = {
                **os.environ,
                "SHOPWRIGHT_DATABASE_URL": url,
                "SHOPWRIGHT_REDIS_URL": redis_url,
                "SHOPWRIGHT_RQ_QUEUE": queue_name,
                "SHOPWRIGHT_DATA_DIR": tmp,
                "SHOPWRIGHT_SECRET_KEY": "benchmark",
                "SHOPWRIGHT_AI_PROVIDER": "openai",
                "OPENAI_BASE_URL": fake.base_url,
                "OPENAI_API_KEY": "bench",
                "SHOPWRIGHT_LLM_CONCURRENCY": str(concurrency // jobs if split else concurrency),
                "SHOPWRIGHT_LLM_GLOBAL_CONCURRENCY": "0" if split else str(concurrency),
                "SHOPWRIGHT_LLM_BACKOFF_SECONDS": "0.01",
                "SHOPWRIGHT_LOG_LEVEL": "WARNING",
            }
            trace = Path(tmp) / "trace.log"  # each job's steps, from every process (benchmarks.rq_trace)
            env[rq_trace.TRACE_ENV] = str(trace)
            command = ["-m", "benchmarks.rq_trace"]
            for _ in range(jobs):
                workers.append(
                    await asyncio.create_subprocess_exec(
                        sys.executable,
                        *command,
                        env=env,
                        stdout=asyncio.subprocess.DEVNULL,
                        stderr=asyncio.subprocess.DEVNULL,
                    )
                )
            rq_redis = redis.Redis.from_url(redis_url)
            queue = Queue(queue_name, connection=rq_redis)
            deadline = time.monotonic() + 60
            while await asyncio.to_thread(lambda: Worker.count(queue=queue)) < jobs:  # start-up is not measured
                if time.monotonic() > deadline or any(w.returncode is not None for w in workers):
                    raise RuntimeError("the workers did not start")
                await asyncio.sleep(0.1)
            settings = Settings(
                database_url=url,
                data_dir=Path(tmp),
                secret_key="benchmark",
                redis_url=redis_url,
                rq_queue=queue_name,
                ai_provider="openai",
                openai_base_url=fake.base_url,
                openai_api_key="bench",
                llm_concurrency=concurrency,
                llm_global_concurrency=concurrency,
                max_body_bytes=16 * 1024 * 1024,
            )
            app = build_app(settings)
            poll = Database(url)
            async with app.router.lifespan_context(app):
                workspace = await make_workspace(app.state.services, name="Benchmark")
                transport = httpx.ASGITransport(app=app)
                async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
                    each = products // jobs
                    bodies = []
                    for j in range(jobs):
                        body = generation_request(each)
                        for i, product in enumerate(body["products"]):
                            product["product_id"] = f"{1234567890000 + j * each + i}"
                        bodies.append(body)
                    headers = {"x-api-key": workspace.api_key}
                    os.environ[rq_trace.TRACE_ENV] = str(trace)
                    undo = rq_trace.install_submitter()
                    try:
                        started = time.perf_counter()
                        answers = await asyncio.gather(
                            *(
                                client.post("/brandbrain/content-generation/jobs", json=b, headers=headers)
                                for b in bodies
                            )
                        )
                        for answer in answers:
                            if answer.status_code >= 300:
                                raise RuntimeError(f"submit failed: {answer.status_code} {answer.text[:300]}")
                        ids = [a.json()["job_id"] for a in answers]
                        # Watched from a thread of its own (every 5 ms; not this event loop, which shares the test
                        # server's process and GIL), reading the status column alone.
                        seen = await PgStatusWatch(url, ids, {COMPLETED, FAILED, CANCELLED}).wait()
                        wall = max(seen.values()) - started
                        for job_id in ids:
                            rq_trace.mark("seen", job_id, at=_monotonic(seen[job_id]))
                    finally:
                        undo()
                        os.environ.pop(rq_trace.TRACE_ENV, None)
                    arrivals = [r.received_at for r in fake.requests]
                    async with poll.session() as session:
                        done = list((await session.execute(select(Job).where(Job.id.in_(ids)))).scalars())
            await poll.dispose()
            rq_redis.close()
            steps = rq_trace.timeline(trace, _monotonic(started), min(arrivals, default=None))
        failed = [j for j in done if j.status != COMPLETED]
        if failed:
            raise RuntimeError(f"job {failed[0].status}: {failed[0].error_code} {failed[0].error_message}")
        usage = Usage(sum(j.prompt_tokens for j in done), sum(j.completion_tokens for j in done))
        cap = f"{concurrency // jobs} AI calls per worker, no shared cap" if split else f"shared AI cap {concurrency}"
        note = f"{jobs} jobs x {products // jobs} products on {jobs} workers; {cap}\n    " + schedule(
            arrivals, _monotonic(started), _monotonic(started + wall), concurrency=concurrency, latency=LATENCY
        )
        note += "\n    " + steps
        return Measurement(f"RQ ({jobs} workers)", products, wall, fake.calls, concurrency, LATENCY, usage, note=note)
    finally:
        for worker in workers:
            if worker.returncode is None:
                worker.terminate()
        for worker in workers:
            try:
                await asyncio.wait_for(worker.wait(), 20)
            except TimeoutError:
                worker.kill()
                await worker.wait()
        async with admin.connect() as ddl:
            await ddl.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()


def _offline_pipeline(products: int) -> tuple[Callable[[], None], Callable[[], Coroutine[Any, Any, None]]]:
    """The offline path for ``products`` products of the example configuration: the composer alone (a function
    that composes every group) and the composer with the guardrails (``generate_group`` without a provider, as a
    job runs it: a coroutine function)."""
    from domain.content.offline import compose
    from domain.content.pipeline import RunOptions, generate_group, group_products, guard_config
    from domain.content.products import from_request
    from domain.content.request import ProductIn
    from domain.content.spec import build_spec

    items = [ProductIn.model_validate(make_product(i)) for i in range(products)]  # a request takes 1,000 at most
    groups = group_products([from_request(p) for p in items], skip_grouping=True)
    spec = build_spec(list(CONTENT_TYPES), CONTENT_CONFIG)
    effective = guard_config(CONTENT_CONFIG, spec)
    options = RunOptions(market="uk", channel="TechStore", language="en", feedback=[], model="offline")

    def composer() -> None:
        for group in groups:
            compose(group, spec)

    async def pipeline() -> None:
        for group in groups:
            await generate_group(group, spec, CONTENT_CONFIG, None, options, effective)

    return composer, pipeline


def bench_offline(products: int, repeats: int = 5) -> str:
    """The offline path of the pipeline, on one core: the composer alone, and the composer with the guardrails,
    for ``products`` products. Products a second of CPU time (this thread's), the median of ``repeats`` interleaved
    runs."""
    import statistics

    composer, pipeline = _offline_pipeline(products)
    alone_runs: list[float] = []
    whole: list[float] = []
    for _ in range(repeats):
        started = time.thread_time()
        composer()
        alone_runs.append(products / (time.thread_time() - started))
        started = time.thread_time()
        asyncio.run(pipeline())
        whole.append(products / (time.thread_time() - started))
    alone, guarded = statistics.median(alone_runs), statistics.median(whole)
    # The figure that does not depend on the machine's load: Python function calls a product (cProfile, one more
    # run, caches warm as above).
    import cProfile
    import pstats

    profile = cProfile.Profile()
    profile.enable()
    asyncio.run(pipeline())
    profile.disable()
    calls = pstats.Stats(profile).total_calls / products  # type: ignore[attr-defined]
    return (
        f"offline, one core: composer + guardrails {guarded:,.0f} products/s; composer alone {alone:,.0f}/s "
        f"(ratio {alone / guarded:.1f}; {products} products, median of {repeats} runs, CPU time); "
        f"{calls:,.0f} Python calls a product"
    )


def offline_instructions(products: int) -> str:
    """Machine instructions a product on the offline path (composer + guardrails), counted by valgrind's
    cachegrind: the same count whatever else the machine runs and however fast its core is today, unlike the rate.
    The process runs the pipeline once to warm it, then once or three times more; the difference of the two counts
    over the two extra runs is what one run costs, start-up and set-up left out."""
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        return "offline instructions: valgrind is not installed (Debian's package valgrind); skipped"
    counts = []
    for runs in (1, 3):
        code = f"from benchmarks.content_generation import _offline_runs; _offline_runs({products}, {runs})"
        argv = [valgrind, "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null"]
        root = Path(__file__).resolve().parent.parent
        done = subprocess.run([*argv, sys.executable, "-c", code], capture_output=True, text=True, cwd=root, check=True)
        found = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
        if found is None:
            raise RuntimeError(f"no instruction count in valgrind's output:\n{done.stderr[-2000:]}")
        counts.append(int(found.group(1).replace(",", "")))
    per_product = (counts[1] - counts[0]) / (2 * products)
    return f"offline, composer + guardrails: {per_product:,.0f} instructions a product (valgrind, {products} products)"


def _offline_runs(products: int, runs: int) -> None:
    """The offline pipeline run ``runs`` times after a warm-up run (``offline_instructions``'s subject)."""
    _, pipeline = _offline_pipeline(products)
    for _ in range(runs + 1):
        asyncio.run(pipeline())


def _monotonic(at: float) -> float:
    """A ``perf_counter`` reading on the clock of the test server's ``received_at`` (``monotonic``)."""
    return at - time.perf_counter() + time.monotonic()


DEFAULT_BENCH_DATABASE_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
DEFAULT_BENCH_REDIS_URL = "redis://127.0.0.1:6379/0"


async def _reachable(database_url: str, redis_url: str) -> bool:
    """Whether the RQ row's PostgreSQL server and Redis answer."""
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import create_async_engine

    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
        client = redis.Redis.from_url(redis_url, socket_connect_timeout=2)
        try:
            await asyncio.to_thread(client.ping)
        finally:
            client.close()
    except Exception:
        return False
    finally:
        await engine.dispose()
    return True


def pipeline_available() -> bool:
    try:
        import domain.content.pipeline  # noqa: F401
        import resolvers.rest.content  # noqa: F401
    except ImportError:
        return False
    return True


LATENCY = 0.2
FAILURES: list[str] = []
BENCH_DIR: str | None = None


def report(rows: list[Measurement]) -> str:
    head = (
        f"{'':<16}{'calls':>7}{'wall s':>9}{'ideal s':>9}{'ratio':>7}{'calls/prod':>12}"
        f"{'tokens/prod':>13}{'(prompt+compl.)':>18}"
    )
    lines = [head]
    for m in rows:
        per = m.usage.total_tokens / m.products
        split = f"({m.usage.prompt_tokens / m.products:.0f}+{m.usage.completion_tokens / m.products:.0f})"
        lines.append(
            f"{m.name:<16}{m.calls:>7}{m.wall_seconds:>9.2f}{m.ideal_seconds:>9.2f}{m.ratio:>7.2f}"
            f"{m.calls / m.products:>12.2f}{per:>13.0f}{split:>18}" + (f"   {m.note}" if m.note else "")
        )
    return "\n".join(lines)


async def run(products: int, concurrency: int, only: str | None, rq_jobs: int, rq_split: bool) -> list[Measurement]:
    rows: list[Measurement] = []
    with fake_openai_in_thread() as fake:
        if only in (None, "provider"):
            rows.append(await bench_provider(fake, products=products, concurrency=concurrency))
        if only in (None, "pipeline"):
            if pipeline_available():
                try:
                    rows.append(await bench_pipeline(fake, products=products, concurrency=concurrency))
                except RuntimeError as exc:
                    FAILURES.append(f"pipeline (job) did not complete: {exc}")
            else:
                print("(the content pipeline is not available: provider alone only)")
        if only in (None, "rq"):
            database_url = os.environ.get("SHOPWRIGHT_BENCH_DATABASE_URL", DEFAULT_BENCH_DATABASE_URL)
            redis_url = os.environ.get("SHOPWRIGHT_BENCH_REDIS_URL", DEFAULT_BENCH_REDIS_URL)
            if database_url.startswith("postgresql") and await _reachable(database_url, redis_url):
                try:
                    rows.append(
                        await bench_rq(
                            fake,
                            products=products,
                            concurrency=concurrency,
                            jobs=rq_jobs,
                            database_url=database_url,
                            redis_url=redis_url,
                            split=rq_split,
                        )
                    )
                except RuntimeError as exc:
                    FAILURES.append(f"RQ jobs did not complete: {exc}")
            else:
                print(
                    f"(RQ row skipped: no PostgreSQL server at {database_url} or no Redis at {redis_url}; set "
                    "SHOPWRIGHT_BENCH_DATABASE_URL to a server where it may create a scratch database, and "
                    "SHOPWRIGHT_BENCH_REDIS_URL)"
                )
    return rows


def main(argv: list[str] | None = None) -> int:
    global LATENCY
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n\n")[0])
    parser.add_argument("--products", type=int, default=200)
    parser.add_argument(
        "--concurrency", type=int, default=8, help="the provider's concurrency (SHOPWRIGHT_LLM_CONCURRENCY)"
    )
    parser.add_argument("--latency", type=float, default=0.2, help="the test server's fixed latency, seconds")
    parser.add_argument("--only", choices=["provider", "pipeline", "rq", "offline"], default=None)
    parser.add_argument("--rq-jobs", type=int, default=2, help="RQ row: jobs, and worker processes (one each)")
    parser.add_argument(
        "--rq-split", action="store_true", help="RQ row: no shared AI cap; each worker gets concurrency / jobs"
    )
    parser.add_argument("--offline-products", type=int, default=2000)
    parser.add_argument(
        "--instructions", action="store_true", help="offline row: also count instructions a product (valgrind)"
    )
    args = parser.parse_args(argv)
    LATENCY = args.latency
    print(
        f"content generation: {args.products} products, OpenAI-compatible test server on loopback with "
        f"{args.latency * 1000:.0f} ms latency, provider concurrency {args.concurrency}"
    )
    if args.only != "offline":
        rows = asyncio.run(run(args.products, args.concurrency, args.only, args.rq_jobs, args.rq_split))
        print(report(rows))
        print("ideal = LLM calls / concurrency x latency; ratio = wall / ideal (1.00 = perfectly packed calls)")
    if args.only in (None, "offline"):
        print(bench_offline(args.offline_products))
        if args.instructions:
            print(offline_instructions(args.offline_products))
    for failure in FAILURES:
        print(failure)
    return 1 if FAILURES else 0
