"""Merging content configurations (the document's "Merge Content Configurations"): 2 to 5 configurations,
given inline or by saved ``config_id`` (or name), merged into one by a ``content.config_merge`` job.

The rule is content generation's (``config_schema.deep_merge``), applied left to right: objects merge key by
key, anything else (lists, strings, numbers) is replaced whole by the later configuration. The one addition
is bookkeeping: wherever a later configuration replaces a value an earlier one set to something different,
the result carries a ``CONFLICT`` warning naming the field, the configuration that won and the ones it
overrode. Equal values are not a conflict. References are resolved and every configuration (and the merged
one) validated at submit time, so a refused request writes nothing and the job only merges.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Annotated, Any

from pydantic import BaseModel, Field, StringConstraints

from domain.accounts.principal import Principal
from domain.content.config_schema import deep_merge, parse_content_config
from domain.content.configs import MANAGE, ContentConfigService
from domain.content.content_jobs import ContentJobs, completed
from domain.content.documents import Document, InvalidRequest, parse_document
from domain.content.request import CallbackUrl, TrackingId
from domain.errors import FieldError, InvalidInput, NotFound
from domain.jobs.models import Job
from domain.jobs.registry import JobContext, JobKind

MIN_CONFIGS = 2
MAX_CONFIGS = 5
CONFLICT = "CONFLICT"

Path = tuple[str, ...]
ConfigRef = Annotated[str, StringConstraints(min_length=1)]


class MergeRequest(Document):
    """The submit body (``POST /content-configs/merge/jobs``, GraphQL ``mergeContentConfigs``)."""

    external_tracking_id: TrackingId | None = None
    # Each item: a configuration (an object) or a saved configuration's config_id (or name).
    content_config: Annotated[list[dict[str, Any] | ConfigRef], Field(min_length=MIN_CONFIGS, max_length=MAX_CONFIGS)]
    callback_url: CallbackUrl | None = None


def parse_merge_request(data: Any) -> MergeRequest:
    """A merge body as ``MergeRequest``, or ``InvalidRequest`` listing every problem."""
    return parse_document(MergeRequest, data)


class MergeSource(BaseModel):
    """One configuration to merge, resolved: the saved one it names (if it was given by reference)."""

    config_id: str | None = None
    name: str | None = None
    content_config: dict[str, Any]

    def label(self, index: int) -> str:
        where = f"content_config[{index}]"
        return f"{where} (saved configuration '{self.name}')" if self.name else where


class MergeJobParams(BaseModel):
    sources: list[MergeSource]


class MergeWarning(BaseModel):
    """Two configurations disagree on ``field``; the later one (``winner``, an index of ``content_config``)
    replaced the value of the earlier ones (``overridden``)."""

    code: str
    field: str
    winner: int
    overridden: list[int]
    description: str


def _leaves(value: Any, path: Path) -> Iterator[Path]:
    """The paths a value sets: every key of an object, down to its non-object values (an empty object sets
    its own path)."""
    if isinstance(value, dict) and value:
        for key, item in value.items():
            yield from _leaves(item, (*path, str(key)))
    else:
        yield path


def _under(origins: dict[Path, set[int]], prefix: Path) -> list[int]:
    return sorted({who for path, setters in origins.items() if path[: len(prefix)] == prefix for who in setters})


def _conflicts(
    base: dict[str, Any], override: dict[str, Any], index: int, origins: dict[Path, set[int]], path: Path = ()
) -> Iterator[tuple[Path, list[int]]]:
    """Where ``override`` (configuration ``index``) replaces a different value of ``base``, with the
    configurations that had set it; ``origins`` (path -> the configurations that set its current value) is kept
    up to date."""
    for key, value in override.items():
        here = (*path, str(key))
        if key in base and isinstance(base[key], dict) and isinstance(value, dict):
            yield from _conflicts(base[key], value, index, origins, here)
            continue
        if key in base and base[key] == value:
            for leaf in _leaves(value, here):
                origins.setdefault(leaf, set()).add(index)  # the same value: both set it
            continue
        if key in base:
            yield here, _under(origins, here)
        for stale in [p for p in origins if p[: len(here)] == here]:
            del origins[stale]
        for leaf in _leaves(value, here):
            origins[leaf] = {index}


def merge_configs(sources: Sequence[MergeSource]) -> tuple[dict[str, Any], list[MergeWarning]]:
    """The configurations merged left to right with ``deep_merge`` (later wins), and a warning per conflict."""
    merged: dict[str, Any] = {}
    origins: dict[Path, set[int]] = {}
    warnings: list[MergeWarning] = []
    for index, source in enumerate(sources):
        for path, losers in _conflicts(merged, source.content_config, index, origins):
            field = ".".join(path)
            beaten = ", ".join(sources[i].label(i) for i in losers)
            warnings.append(
                MergeWarning(
                    code=CONFLICT,
                    field=field,
                    winner=index,
                    overridden=losers,
                    description=f"{field}: {source.label(index)} replaces the value of {beaten}.",
                )
            )
        merged = deep_merge(merged, source.content_config)
    return merged, warnings


def merge_result(sources: Sequence[MergeSource]) -> dict[str, Any]:
    """The job's result in the document's shape: ``{"content_config", "warnings"}``."""
    merged, warnings = merge_configs(sources)
    config = parse_content_config(merged, ("content_config",))  # in the document's key order
    return {"content_config": config, "warnings": [w.model_dump() for w in warnings]}


def ordered_merge_result(job: Job) -> dict[str, Any]:
    """A completed merge job's result, its configuration in the document's key order again (PostgreSQL's
    JSONB does not keep it)."""
    result = dict(job.result or {})
    return {
        "content_config": parse_content_config(result.get("content_config") or {}, ("content_config",)),
        "warnings": list(result.get("warnings") or []),
    }


async def run(ctx: JobContext[MergeJobParams]) -> dict[str, Any]:
    """The ``content.config_merge`` job handler."""
    sources = ctx.params.sources
    await ctx.progress(0.0, f"Merging {len(sources)} content configurations.", {"configs": len(sources)})
    return merge_result(sources)


CONFIG_MERGE = JobKind(
    name="content.config_merge",
    params=MergeJobParams,
    handler=run,
    description="Merges 2 to 5 content configurations into one, with a warning where two conflict.",
)


class ConfigMergeService(ContentJobs):
    """Needs a ``UnitOfWork`` to submit, a session to read."""

    async def prepare(self, principal: Principal, request: MergeRequest) -> MergeJobParams:
        """Resolves the saved configurations the request names and validates every configuration and the
        merged one; every problem at once. Writes nothing."""
        principal.require(MANAGE)
        configs = ContentConfigService(self.session)
        sources: list[MergeSource] = []
        problems: list[FieldError] = []
        for index, item in enumerate(request.content_config):
            loc = ("content_config", index)
            try:
                if isinstance(item, str):
                    saved = await configs.find(principal.workspace_id, item)
                    source = MergeSource(
                        config_id=saved.config_id, name=saved.name, content_config=saved.content_config
                    )
                else:
                    source = MergeSource(content_config=parse_content_config(item, loc))
            except NotFound:
                problems.append(FieldError(loc, "exists", f"No saved configuration with id or name '{item}'."))
                continue
            except InvalidInput as exc:
                problems.extend(exc.field_errors)
                continue
            sources.append(source)
        if problems:
            raise InvalidRequest(errors=problems)
        merged, _ = merge_configs(sources)
        parse_content_config(merged, ("content_config",))
        return MergeJobParams(sources=sources)

    async def submit(self, principal: Principal, request: MergeRequest) -> Job:
        return await self.enqueue(principal, CONFIG_MERGE, await self.prepare(principal, request), request)

    async def get_job(self, principal: Principal, job_id: str) -> Job:
        return await self.job(principal, job_id, CONFIG_MERGE)

    async def result(self, principal: Principal, job_id: str) -> dict[str, Any]:
        return ordered_merge_result(completed(await self.get_job(principal, job_id)))
