"""What ending a job writes: its result (or error) under the job's row lock, without reading the job's params
back (a bulk job's params hold every product it was given: reading and decoding them to write the result was
most of the result's write), and its status event."""

from __future__ import annotations

import pytest

from domain.db import NullDispatcher
from domain.jobs.service import JobService
from resolvers.context import AppServices
from tests.support import jobkinds
from tests.support.factories import WorkspaceInfo
from tests.support.jobs import events_of, load_job
from tests.support.statements import every_statement as statements


async def processing_job(services: AppServices, workspace: WorkspaceInfo) -> str:
    async with services.db.unit_of_work(NullDispatcher()) as uow:
        job = await JobService(uow).create(workspace.principal, kind=jobkinds.STEPS, params={"steps": 7})
    async with services.db.unit_of_work(NullDispatcher()) as uow:
        assert await JobService(uow).claim(job.id) is not None
    return job.id


@pytest.mark.parametrize("outcome", ["complete", "fail"])
async def test_ending_a_job_does_not_read_its_params(
    services: AppServices, workspace: WorkspaceInfo, outcome: str
) -> None:
    job_id = await processing_job(services, workspace)
    with statements(services) as seen:
        async with services.db.unit_of_work(NullDispatcher()) as uow:
            if outcome == "complete":
                await JobService(uow).complete(job_id, {"answer": [1, 2, 3]})
            else:
                await JobService(uow).fail(job_id, "broke", "It broke.")
    locks = [s for s in seen if s.startswith("SELECT") and "FROM JOBS" in s]
    assert len(locks) == 1
    assert "JOBS.PARAMS" not in locks[0] and "JOBS.RESULT" not in locks[0]
    job = await load_job(services, job_id)
    assert job.params["steps"] == 7  # untouched
    if outcome == "complete":
        assert (job.status, job.result, job.progress) == ("completed", {"answer": [1, 2, 3]}, 1.0)
    else:
        assert (job.status, job.result, job.error_code) == ("failed", None, "broke")
    events = await events_of(services, job_id)
    assert [(e.seq, e.type, e.status) for e in events][-1] == (3, "status", job.status)
