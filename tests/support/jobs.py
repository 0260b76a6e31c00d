"""Waiting on jobs, reading their history, and running worker processes."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

from domain.jobs.models import Job, JobEvent
from domain.jobs.repository import JobsRepository
from resolvers.context import AppServices

REPO_ROOT = Path(__file__).resolve().parents[2]


async def load_job(services: AppServices, job_id: str) -> Job:
    async with services.read() as session:
        job = await JobsRepository(session).get(job_id)
        assert job is not None
        return job


async def events_of(services: AppServices, job_id: str) -> list[JobEvent]:
    async with services.read() as session:
        return await JobsRepository(session).events_after(job_id, 0)


async def wait_for(
    services: AppServices, job_id: str, statuses: Iterable[str], *, timeout: float = 30.0, min_progress: float = 0.0
) -> Job:
    wanted = set(statuses)
    async with asyncio.timeout(timeout):
        while True:
            job = await load_job(services, job_id)
            if job.status in wanted and job.progress >= min_progress:
                return job
            await asyncio.sleep(0.05)


def worker_env(settings_env: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHOPWRIGHT_")}
    env.update(settings_env)
    env["PYTHONPATH"] = str(REPO_ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env["SHOPWRIGHT_JOB_PLUGINS"] = "tests.support.jobkinds"
    return env


def start_worker(env: dict[str, str], *, burst: bool) -> subprocess.Popen[bytes]:
    args = [sys.executable, "-m", "shopwright.cli", "worker"] + (["--burst"] if burst else [])
    return subprocess.Popen(args, env=env, cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
