"""The fuzzing the tests share: cases drawn by schemathesis from a published schema (a fixed seed, a bounded
number per operation, input that fits the schema and input that does not), sent to the app in process, every
answer checked. A problem is collected with a reproducer instead of stopping the run, so one run reports every
problem at once.

Hypothesis is synchronous and the app's database connections belong to the test's event loop, so the cases are
drawn first, in a worker thread, and sent afterwards on the loop (no case depends on an earlier answer)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import math
import os
import random
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import Case, GenerationMode
from schemathesis.core.result import Err
from schemathesis.schemas import BaseSchema

# CI's run; a longer one for a look around: SHOPWRIGHT_FUZZ_CASES=5000 SHOPWRIGHT_FUZZ_SEED=7 pytest tests/fuzz
SEED = int(os.environ.get("SHOPWRIGHT_FUZZ_SEED", "14"))
CASES_PER_SURFACE = int(os.environ.get("SHOPWRIGHT_FUZZ_CASES", "300"))
NEGATIVE_SHARE = 1 / 3  # of a surface's cases: input the schema does not allow (refused, never a 5xx)
MIN_PER_OPERATION = 2

# Changes a drawn case (points a path id at a seeded row, say), drawing what it needs from ``data``.
Tweak = Callable[[Case[Any], st.DataObject], Case[Any]]
# The problems an answer shows: (what is wrong, details).
Check = Callable[[Case[Any], httpx.Response], list[tuple[str, str]]]


def unchanged(case: Case[Any], data: st.DataObject) -> Case[Any]:
    return case


@dataclass(frozen=True)
class Finding:
    operation: str
    problem: str
    status: int | None
    detail: str
    reproducer: str

    def __str__(self) -> str:
        return f"{self.operation}: {self.problem} (HTTP {self.status})\n{self.detail.strip()}\n{self.reproducer}"


@dataclass
class Run:
    """One surface fuzzed on one backend: what was sent, how it was answered, what was wrong (each distinct
    problem once, with how often it was seen)."""

    surface: str
    backend: str
    operations: int = 0
    cases: Counter[str] = field(default_factory=Counter)  # by generation mode
    statuses: Counter[int] = field(default_factory=Counter)
    findings: dict[tuple[str, str, int | None], Finding] = field(default_factory=dict)
    seen: Counter[tuple[str, str, int | None]] = field(default_factory=Counter)
    unsendable: int = 0
    seconds: float = 0.0

    def add(self, finding: Finding) -> None:
        key = (finding.operation, finding.problem, finding.status)
        self.findings.setdefault(key, finding)
        self.seen[key] += 1

    @property
    def total(self) -> int:
        return sum(self.cases.values())

    def summary(self) -> str:
        modes = ", ".join(f"{n} {mode}" for mode, n in sorted(self.cases.items()))
        statuses = ", ".join(f"{status}: {n}" for status, n in sorted(self.statuses.items()))
        unsendable = f" ({self.unsendable} drawn that no HTTP client sends)" if self.unsendable else ""
        return (
            f"{self.surface} [{self.backend}]: {self.total} cases ({modes}){unsendable} over {self.operations} "
            f"operations in {self.seconds:.1f}s; statuses {statuses}; {len(self.findings)} problems"
        )

    def report(self) -> str:
        lines = [self.summary()]
        for key, finding in self.findings.items():
            lines.append(f"--- seen {self.seen[key]} times\n{finding}")
        return "\n".join(lines)


# Every finished run of the session, for the terminal summary (tests/fuzz/conftest.py).
RUNS: list[Run] = []


def _draw(strategy: st.SearchStrategy[Case[Any]], count: int, tweak: Tweak) -> list[Case[Any]]:
    drawn: list[Case[Any]] = []

    @seed(SEED)
    @settings(
        max_examples=count,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
        print_blob=False,
    )
    @given(case=strategy, data=st.data())
    def collect(case: Case[Any], data: st.DataObject) -> None:
        drawn.append(tweak(case, data))

    try:
        collect()
    except Unsatisfiable:
        pass  # input that does not fit, asked of an operation that takes none: nothing to draw
    return drawn


def draw_cases(schema: BaseSchema, total: int, tweak: Tweak) -> tuple[int, list[Case[Any]]]:
    """About ``total`` cases spread over the schema's operations (at least a few each), shuffled so that no
    operation's cases all come before another's; and how many operations there were."""
    operations = []
    for result in schema.get_all_operations():
        if isinstance(result, Err):
            raise result.err()  # a schema schemathesis cannot read: say so, do not skip the operation
        operations.append(result.ok())
    cases: list[Case[Any]] = []
    for mode, share in ((GenerationMode.POSITIVE, 1 - NEGATIVE_SHARE), (GenerationMode.NEGATIVE, NEGATIVE_SHARE)):
        count = max(MIN_PER_OPERATION, math.ceil(total * share / len(operations)))
        for operation in operations:
            cases.extend(_draw(operation.as_strategy(generation_mode=mode), count, tweak))
    random.Random(SEED).shuffle(cases)
    return len(operations), cases


def _request(client: httpx.AsyncClient, case: Case[Any], headers: dict[str, str], base_path: str) -> httpx.Request:
    sent = case.as_transport_kwargs(base_url=f"{client.base_url}{base_path}", headers=headers)
    content: bytes | str | None = json.dumps(sent["json"]).encode() if "json" in sent else sent.get("data")
    params = {name: value for name, value in sent["params"].items() if value is not None}
    return client.build_request(
        sent["method"], sent["url"], params=params, headers=dict(sent["headers"]), content=content
    )


class _Errors(logging.Handler):
    """The ERROR records the app logs while a case runs (an unexpected exception's type and message, which
    its answer masks)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def take(self) -> str:
        lines = []
        for record in self.records:
            line = record.getMessage()
            if record.exc_info and record.exc_info[1] is not None:
                line += f" — {type(record.exc_info[1]).__name__}: {record.exc_info[1]}"
            lines.append(line)
        self.records.clear()
        return "\n".join(lines)


@contextlib.contextmanager
def _logged_errors() -> Iterator[_Errors]:
    handler = _Errors()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield handler
    finally:
        root.removeHandler(handler)


def reproducer(case: Case[Any], base_path: str) -> str:
    return case.as_curl_command(headers={"Authorization": "Bearer $KEY"}, base_url=f"http://127.0.0.1:8000{base_path}")


async def fuzz(
    surface: str,
    backend: str,
    schema: BaseSchema,
    client: httpx.AsyncClient,
    headers: dict[str, str],
    check: Check,
    *,
    tweak: Tweak = unchanged,
    base_path: str = "",
    total: int = CASES_PER_SURFACE,
) -> Run:
    """Draw the cases, send them one after another (to ``base_path`` and the case's path), check every
    answer."""
    run = Run(surface, backend)
    started = time.monotonic()
    run.operations, cases = await asyncio.to_thread(draw_cases, schema, total, tweak)
    with _logged_errors() as errors:
        for case in cases:
            try:
                request = _request(client, case, headers, base_path)
            except (UnicodeEncodeError, ValueError, TypeError):
                run.unsendable += 1  # a header that is not Latin-1, say
                continue
            run.cases[case.meta.generation.mode.value if case.meta else "explicit"] += 1
            try:
                response = await client.send(request)
            except Exception as exc:  # the app let an exception escape: the 500 its client saw
                detail = f"{type(exc).__name__}: {exc}\nlogged: {errors.take()}"
                run.add(Finding(case.operation.label, "the app raised", 500, detail, reproducer(case, base_path)))
                continue
            run.statuses[response.status_code] += 1
            logged = errors.take()
            for problem, detail in check(case, response):
                detail = f"{detail}\nlogged: {logged}" if logged else detail
                run.add(
                    Finding(case.operation.label, problem, response.status_code, detail, reproducer(case, base_path))
                )
    run.seconds = time.monotonic() - started
    RUNS.append(run)
    return run
