"""Content configurations: the built-in (PUBLIC) ones and the workspace's own (PRIVATE)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, Field
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response
from typing_extensions import TypedDict

from domain.accounts.principal import Principal
from domain.content.configs import MANAGE, READ, ConfigCommand, ContentConfigService, SavedConfig, Scope, parse_config
from domain.content.models import SCOPES
from domain.paging import MAX_PAGE_SIZE, PageRequest
from domain.validation import rule_error
from resolvers.jsonenc import JSONResponse
from resolvers.rest.bodies import Body
from resolvers.rest.content.dialect import WRITE, WRITE_DENIED, zulu
from resolvers.rest.surface import Call, Router

CONFIGS = "/content-configs"

router = Router(tags=["content configurations"])


class ConfigSummaryJson(TypedDict):
    config_id: str
    name: str
    description: str | None
    scope: str


class ConfigJson(TypedDict):
    config_id: str
    name: str
    description: str | None
    content_config: dict[str, Any]
    scope: str
    created_at: str
    updated_at: str


config_summary_json = Body(SavedConfig, ConfigSummaryJson)
config_json = Body(SavedConfig, ConfigJson, stamp=zulu)


class ConfigPath(BaseModel):
    config_id: str = Field(description="The configuration's config_id (a UUID).")


def _scope(value: Any) -> Any:
    if value not in SCOPES:
        raise rule_error("in", "scope must be PUBLIC or PRIVATE.", values=list(SCOPES))
    return value


class ConfigListQuery(BaseModel):
    scope: Annotated[Scope, BeforeValidator(_scope)] | None = Field(
        default=None, description="Only configurations of this scope (PUBLIC: built in; PRIVATE: the workspace's)."
    )


async def _own_config(session: AsyncSession, principal: Principal, path: ConfigPath) -> object:
    """A configuration that is not the caller's to change is answered before the body's problems."""
    return await ContentConfigService(session).own(principal, path.config_id)


@router.get(CONFIGS, permission=READ, response=list[ConfigSummaryJson])
async def list_configs(call: Call, query: ConfigListQuery) -> Response:
    """The built-in (PUBLIC) configurations and the workspace's own (PRIVATE), at most 100."""
    first = PageRequest(limit=MAX_PAGE_SIZE)  # the document's list is not paged: the first 100
    page = await call.read(lambda s, p: ContentConfigService(s).page(p, query.scope, first))
    return JSONResponse([config_summary_json(c) for c in page.items])


@router.post(
    CONFIGS,
    status=201,
    response=ConfigJson,
    responses={**WRITE_DENIED, 409: "The name is taken, or the workspace keeps 100 configurations already"},
    parse_body=parse_config,
    **WRITE,
)
async def create_config(call: Call, body: ConfigCommand) -> Response:
    """Save a PRIVATE configuration."""
    config = await call.write(lambda uow, p: ContentConfigService(uow.session).create(p, body))
    return JSONResponse(config_json(config), status_code=201)


@router.get(f"{CONFIGS}/{{config_id}}", permission=READ, response=ConfigJson)
async def get_config(call: Call, path: ConfigPath) -> Response:
    """One configuration, built in or the workspace's own."""
    config = await call.read(lambda s, p: ContentConfigService(s).get(p, path.config_id))
    return JSONResponse(config_json(config))


@router.put(
    f"{CONFIGS}/{{config_id}}",
    response=ConfigJson,
    responses={403: "Built in (read-only), or the credentials may not change content", 409: "The name is taken"},
    lookup=_own_config,
    parse_body=parse_config,
    **WRITE,
)
async def replace_config(call: Call, path: ConfigPath, body: ConfigCommand) -> Response:
    """Replace one of the workspace's configurations whole."""
    config = await call.write(lambda uow, p: ContentConfigService(uow.session).replace(p, path.config_id, body))
    return JSONResponse(config_json(config))


@router.delete(
    f"{CONFIGS}/{{config_id}}",
    permission=MANAGE,
    status=204,
    responses={403: "Built in (read-only), or the credentials may not change content"},
)
async def delete_config(call: Call, path: ConfigPath) -> Response:
    """Delete one of the workspace's configurations."""
    await call.write(lambda uow, p: ContentConfigService(uow.session).delete(p, path.config_id))
    return Response(status_code=204)
