"""Token accounting and model selection. Services never commit: the job or request owns the transaction."""

from __future__ import annotations

from domain.ai.models import AiUsage
from domain.ai.ports import Usage
from domain.ai.repository import AiUsageRepository
from domain.db import UnitOfWork
from domain.errors import InvalidInput
from domain.jobs.service import JobService

DEFAULT_MODEL = "gpt-4o-mini"

# The model names the content-services document accepts (``generation_model_name`` and the other
# ``*_model_name`` fields), mapped to the model id sent to the OpenAI-compatible server.
DOCUMENTED_MODELS: dict[str, str] = {
    "gpt-4.1": "gpt-4.1",
    "gpt-5-chat": "gpt-5-chat-latest",
}


def resolve_model(requested: str | None, default: str, *, pinned: bool = False) -> str:
    """The model id to call for a request.

    - ``requested`` is None (the field was omitted): the deployment's ``default``.
    - ``pinned`` (SHOPWRIGHT_LLM_MODEL is set): the operator's model wins, e.g. a local vLLM/Ollama server
      that serves one model; a documented ``requested`` name is still validated.
    - a documented name (``gpt-4.1``, ``gpt-5-chat``): its OpenAI model id.
    - anything else: ``InvalidInput`` (field ``generation_model_name``).
    """
    if requested is None:
        return default
    if requested not in DOCUMENTED_MODELS:
        allowed = ", ".join(f'"{name}"' for name in DOCUMENTED_MODELS)
        raise InvalidInput.field(
            "generation_model_name", f"Unknown model '{requested}'; allowed: {allowed}.", code="bad_request"
        )
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
