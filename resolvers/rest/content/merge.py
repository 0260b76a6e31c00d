"""Merge content configurations jobs: submit, status, result.

Its paths sit under ``/content-configs/merge/...``, beside ``/content-configs/{config_id}``: this router is
listed before the configurations' router (``resolvers.rest.content.SURFACE``).
"""

from __future__ import annotations

from typing import Any

from starlette.responses import Response
from typing_extensions import TypedDict

from domain.content.configs import READ
from domain.content.merge import ConfigMergeService, MergeRequest, parse_merge_request
from resolvers.jsonenc import JSONResponse
from resolvers.rest.content.dialect import WRITE, WRITE_DENIED, JobPath, StatusJson, SubmittedJson, status_json
from resolvers.rest.surface import Call, Router

MERGE_JOBS = "/content-configs/merge/jobs"

router = Router(tags=["content configurations"])


class MergeWarningJson(TypedDict):
    code: str
    field: str
    winner: int
    overridden: list[int]
    description: str


class MergeResultJson(TypedDict):
    content_config: dict[str, Any]
    warnings: list[MergeWarningJson]


@router.post(MERGE_JOBS, response=SubmittedJson, responses=WRITE_DENIED, parse_body=parse_merge_request, **WRITE)
async def submit_merge(call: Call, body: MergeRequest) -> Response:
    """Merge 2 to 5 content configurations (objects, or saved configurations' ids or names), later ones
    winning; follow the job with its status."""
    job = await call.write(lambda uow, p: ConfigMergeService(uow).submit(p, body))
    return JSONResponse(SubmittedJson(job_id=job.id))


@router.get(f"{MERGE_JOBS}/{{job_id}}/status", permission=READ, response=StatusJson)
async def merge_status(call: Call, path: JobPath) -> Response:
    """Where the merge job stands."""
    job = await call.read(lambda s, p: ConfigMergeService(s).get_job(p, path.job_id))
    return JSONResponse(status_json(job))


@router.get(
    f"{MERGE_JOBS}/{{job_id}}/result",
    permission=READ,
    response=MergeResultJson,
    responses={409: "The job has not completed (detail.status says where it stands)"},
)
async def merge_result(call: Call, path: JobPath) -> Response:
    """The merged configuration, and a warning for each field two configurations disagree on (which won)."""
    result = await call.read(lambda s, p: ConfigMergeService(s).result(p, path.job_id))
    return JSONResponse(result)
