"""Token accounting and model selection. Services never commit: the job or request owns the transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from domain.ai.models import AiUsage
from domain.ai.ports import Usage
from domain.ai.repository import AiUsageRepository
from domain.db import UnitOfWork
from domain.errors import InvalidInput, Loc
from domain.jobs.service import JobService
from domain.validation import rule_error

DEFAULT_MODEL = "gpt-4o-mini"

# The model names the content-services document accepts (``generation_model_name`` and the other
# ``*_model_name`` fields), mapped to the model id sent to the OpenAI-compatible server.
DOCUMENTED_MODELS: dict[str, str] = {
    "gpt-4.1": "gpt-4.1",
    "gpt-5-chat": "gpt-5-chat-latest",
}


@dataclass(frozen=True)
class ModelField:
    """An operation's ``*_model_name`` field and the names the document allows in it (its enum)."""

    operation: str
    field: str
    allowed: tuple[str, ...]
    label: str

    def problem(self, requested: object) -> str:
        allowed = ", ".join(f'"{name}"' for name in self.allowed)
        return f"Unknown model '{requested}' for {self.label}; allowed: {allowed}."


# Operation -> its model field, as the content-services document defines each one. Every operation that takes
# a model name validates it here (``check_model_name`` / ``model_name_validator``) and calls the model
# ``resolve_model(requested, default, pinned=..., operation=...)`` gives.
CONTENT_GENERATION = "content_generation"
TONE_OF_VOICE_ANALYSIS = "tone_of_voice_analysis"
CHANNEL_ADAPTATION = "channel_adaptation"
TONE_OF_VOICE_ADAPTATION = "tone_of_voice_adaptation"
TRANSLATION = "translation"
MODEL_FIELDS: dict[str, ModelField] = {
    f.operation: f
    for f in (
        ModelField(CONTENT_GENERATION, "generation_model_name", ("gpt-4.1",), "content generation"),
        ModelField(TONE_OF_VOICE_ANALYSIS, "analysis_model_name", ("gpt-4.1", "gpt-5-chat"), "tone of voice analysis"),
        ModelField(CHANNEL_ADAPTATION, "adaptation_model_name", ("gpt-4.1",), "channel adaptation"),
        ModelField(
            TONE_OF_VOICE_ADAPTATION, "adaptation_model_name", ("gpt-4.1", "gpt-5-chat"), "tone of voice adaptation"
        ),
        ModelField(TRANSLATION, "translation_model_name", ("gpt-4.1", "gpt-5-chat"), "translation"),
    )
}


def model_field(operation: str) -> ModelField:
    """The operation's model field; an operation missing from ``MODEL_FIELDS`` is a programming error."""
    try:
        return MODEL_FIELDS[operation]
    except KeyError:
        raise ValueError(f"no model field is documented for operation {operation!r}") from None


def model_name_validator(operation: str) -> Callable[[Any], Any]:
    """A pydantic validator for the operation's ``*_model_name`` field, so an unknown name is reported with
    the body's other problems (rule ``in``):
    ``Annotated[str, AfterValidator(model_name_validator(TRANSLATION))] | None``."""
    spec = model_field(operation)

    def check(value: Any) -> Any:
        if value is not None and value not in spec.allowed:
            raise rule_error("in", spec.problem(value), values=list(spec.allowed))
        return value

    return check


def check_model_name(operation: str, requested: str | None, loc: Loc | None = None) -> None:
    """``InvalidInput`` (at ``loc``, else the operation's field) unless ``requested`` is omitted or in the
    operation's enum."""
    spec = model_field(operation)
    if requested is not None and requested not in spec.allowed:
        raise InvalidInput.field(
            loc or (spec.field,), spec.problem(requested), rule="in", params={"values": list(spec.allowed)}
        )


def resolve_model(requested: str | None, default: str, *, pinned: bool = False, operation: str | None = None) -> str:
    """The model id to call for a request.

    - ``requested`` is None (the field was omitted): the deployment's ``default``.
    - ``pinned`` (SHOPWRIGHT_LLM_MODEL is set): the operator's model wins, e.g. a local vLLM/Ollama server
      that serves one model; ``requested`` is still validated.
    - a name the operation allows (``MODEL_FIELDS``; without ``operation``, any documented name): its
      OpenAI model id (``DOCUMENTED_MODELS``).
    - anything else: ``InvalidInput`` at the operation's field (``generation_model_name`` without one).
    """
    if operation is not None:
        check_model_name(operation, requested)
    elif requested is not None and requested not in DOCUMENTED_MODELS:
        allowed = ", ".join(f'"{name}"' for name in DOCUMENTED_MODELS)
        raise InvalidInput.field(
            "generation_model_name", f"Unknown model '{requested}'; allowed: {allowed}.", code="bad_request"
        )
    if requested is None:
        return default
    return default if pinned else DOCUMENTED_MODELS[requested]


async def record_usage(uow: UnitOfWork, workspace_id: str, job_id: str | None, model: str, usage: Usage) -> None:
    """Adds one usage row for the workspace and, for a job, adds the tokens to the job's counters."""
    if usage.prompt_tokens == 0 and usage.completion_tokens == 0:
        return
    AiUsageRepository(uow.session).add(
        AiUsage(
            workspace_id=workspace_id,
            job_id=job_id,
            model=model,
            prompt_tokens=usage.prompt_tokens,
            completion_tokens=usage.completion_tokens,
        )
    )
    if job_id is not None:
        await JobService(uow).add_usage(job_id, usage.prompt_tokens, usage.completion_tokens)


class UsageMeter:
    """Adds up a job's token usage in memory, per model, so that it is written in one transaction instead of
    one per provider call: on SQLite every write transaction is serialised, and a job with hundreds of calls
    would otherwise spend its time (and risk ``database is locked``) on accounting.

    ``add`` after each call; ``await flush(uow, workspace_id, job_id)`` at the end of the job (also when it
    fails: put it in a ``finally`` with its own unit of work) and, if wanted, now and then on the way.
    """

    def __init__(self) -> None:
        self._pending: dict[str, Usage] = {}
        self.total = Usage()

    def add(self, model: str, usage: Usage) -> None:
        self._pending[model] = self._pending.get(model, Usage()) + usage
        self.total = self.total + usage

    @property
    def pending(self) -> bool:
        return any(u.total_tokens for u in self._pending.values())

    async def flush(self, uow: UnitOfWork, workspace_id: str, job_id: str | None) -> None:
        pending, self._pending = self._pending, {}
        for model, usage in pending.items():
            await record_usage(uow, workspace_id, job_id, model, usage)
