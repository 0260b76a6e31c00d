"""Job parameters are typed: validated against the kind's model when the job is enqueued, stored as the model's
JSON, validated again before the handler runs, and handed to the handler as the model."""

from __future__ import annotations

import pytest
from pydantic import BaseModel
from sqlalchemy import update
from starlette.applications import Starlette

from domain.db import NullDispatcher
from domain.errors import InvalidInput
from domain.jobs.models import Job
from domain.jobs.service import JobService
from tests.support import jobkinds
from tests.support.factories import create_job
from tests.support.jobs import load_job, wait_for


async def test_params_are_validated_at_enqueue_with_every_problem(services, workspace):
    with pytest.raises(InvalidInput) as refused:
        await create_job(services, workspace, params={"steps": "many", "delay": [], "stepz": 2})
    assert [(e.loc, e.rule) for e in refused.value.field_errors] == [
        (("steps",), "integer"),
        (("delay",), "number"),
        (("stepz",), "unknown"),
    ]
    async with services.read() as session:
        assert (await session.execute(Job.__table__.select())).first() is None  # nothing was written


async def test_a_model_of_another_kind_is_a_programming_error(services, workspace):
    class Other(BaseModel):
        steps: int = 1

    with pytest.raises(TypeError, match="StepsParams"):
        await create_job(services, workspace, params=Other())


async def test_the_job_stores_the_models_json_and_the_handler_gets_the_model(services, workspace):
    job_id = await create_job(services, workspace, params=jobkinds.StepsParams(steps=2))
    job = await wait_for(services, job_id, {"completed"})
    assert job.params == {"steps": 2, "delay": 0.0, "fail_at": None, "flaky_attempts": 0, "crash": False}
    assert job.result == {"steps": 2, "attempt": 1}  # read as ctx.params.steps


async def test_stored_params_that_no_longer_validate_fail_the_job_clearly(app: Starlette, services, workspace):
    # Created without dispatching, then its stored params are changed the way an older schema might have left them.
    async with services.db.unit_of_work(NullDispatcher()) as uow:
        job = await JobService(uow).create(workspace.principal, kind=jobkinds.STEPS, params={"steps": 1})
    async with services.db.unit_of_work(NullDispatcher()) as uow:
        await uow.session.execute(update(Job).where(Job.id == job.id).values(params={"steps": "one"}))
    await app.state.runtime.queue.enqueue(job.id)
    failed = await wait_for(services, job.id, {"failed"})
    assert failed.error_code == "invalid_params"
    assert failed.error_message == (
        "The job's stored parameters are not valid for job kind 'test.steps': "
        "steps: Input should be a valid integer, unable to parse string as an integer."
    )
    assert (await load_job(services, job.id)).attempts == 1
