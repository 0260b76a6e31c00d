"""A toy REST surface: everything a new surface needs, in one file (its dialect, one route, its rate limit).
Adding it to the service is one line in ``shopwright/app.py``'s ``SURFACES``."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, Field
from starlette.responses import Response
from typing_extensions import TypedDict

from domain.errors import DomainError, InvalidInput
from domain.validation import REQUIRED, Command, Present, Str
from resolvers.jsonenc import JSONResponse
from resolvers.rest.surface import Call, Dialect, RateLimit, Router, Surface


class ToyDialect(Dialect):
    """Errors as ``{"problem": {"kind", "text", "fields"}}``."""

    error_schema: ClassVar[dict[str, Any]] = {
        "type": "object",
        "properties": {"problem": {"type": "object"}},
        "required": ["problem"],
    }

    def render(self, status: int, error: DomainError) -> Response:
        problem: dict[str, Any] = {"kind": error.code, "text": error.message}
        if isinstance(error, InvalidInput):
            problem["fields"] = sorted({e.field for e in error.field_errors})
        return JSONResponse({"problem": problem}, status_code=status)


class GreetingQuery(BaseModel):
    times: int = Field(default=1, ge=1, le=3, description="How many times to greet.")


class GreetingBody(Command):
    name: Annotated[Str | None, REQUIRED, Present, Field(max_length=20, description="Who to greet.")] = None


class GreetingJson(TypedDict):
    greeting: str
    workspace_id: str


router = Router(tags=["greetings"])


@router.post("/greetings", permission="store.store.read", response=GreetingJson)
async def greet(call: Call, query: GreetingQuery, body: GreetingBody) -> Response:
    """Greet someone, as often as asked."""
    principal = await call.principal()
    greeting = " ".join([f"Hello, {body.name}!"] * query.times)
    answer: GreetingJson = {"greeting": greeting, "workspace_id": principal.workspace_id}
    return JSONResponse(answer)


SURFACE = Surface(
    name="toy",
    prefix="/toy",
    title="Toy API",
    dialect=ToyDialect(),
    routers=[router],
    rate_limits=[RateLimit("all", 3)],
)
