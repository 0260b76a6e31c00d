"""A new REST surface is one file and one line in ``shopwright/app.py``: the toy surface of
``tests/support/toy_surface.py`` answers in its own dialect, is rate-limited, and documents itself."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest
from openapi_spec_validator import validate
from starlette.applications import Starlette

import shopwright.app as app_module
from resolvers.context import AppServices
from shopwright.settings import Settings
from tests.conftest import make_test_registry, running_app
from tests.support import toy_surface
from tests.support.factories import WorkspaceInfo, make_workspace
from tests.support.serving import asgi_client
from tests.support.windows import fresh_window


@pytest.fixture
def settings(settings_factory: Callable[..., Settings]) -> Settings:
    return settings_factory(rate_limits={"toy.all": 5})


@pytest.fixture
async def app(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Starlette]:
    """The app with the toy surface (built for this test: the pool's apps do not have it)."""
    monkeypatch.setattr(app_module, "SURFACES", [*app_module.SURFACES, toy_surface.SURFACE])  # the one line
    async with running_app(settings) as application:
        yield application


@pytest.fixture
async def owner(services: AppServices) -> WorkspaceInfo:
    return await make_workspace(services, name="Toy shop")


async def test_a_route_answers_and_bad_input_reads_in_the_surface_dialect(client, owner):
    h = owner.headers()
    r = await client.post("/toy/greetings?times=2", headers=h, json={"name": "Ada"})
    assert r.status_code == 200
    assert r.json() == {"greeting": "Hello, Ada! Hello, Ada!", "workspace_id": owner.workspace_id}
    r = await client.post("/toy/greetings?times=9", headers=h, json={"name": " ", "extra": 1})
    assert r.status_code == 422
    assert r.json() == {
        "problem": {"kind": "invalid_input", "text": r.json()["problem"]["text"], "fields": ["name", "times"]}
    }
    r = await client.post(
        "/toy/greetings",
        headers=h,
        content=b"{nope",
    )
    assert r.status_code == 422 and r.json()["problem"]["kind"] == "invalid_json"


async def test_refusals_and_unknown_paths_read_in_the_surface_dialect(client, owner):
    assert (await client.post("/toy/greetings", json={"name": "Ada"})).json()["problem"]["kind"] == "unauthenticated"
    r = await client.get("/toy/greetings", headers=owner.headers())
    assert r.status_code == 405 and r.json()["problem"]["kind"] == "method_not_allowed"
    r = await client.get("/toy/nowhere", headers=owner.headers())
    assert r.status_code == 404 and r.json()["problem"]["kind"] == "not_found"
    r = await client.get("/toy", headers=owner.headers())
    assert r.status_code == 404 and r.json()["problem"]["kind"] == "not_found"
    r = await client.post("/toy/greetings", headers=owner.headers(), content=b"x" * 2_000_000)
    assert r.status_code == 413 and r.json()["problem"]["kind"] == "payload_too_large"


async def test_the_rate_limit_comes_from_settings_and_reads_in_the_dialect(client, owner):
    h = owner.headers()
    await fresh_window()
    answers = [await client.post("/toy/greetings", headers=h, json={"name": "Ada"}) for _ in range(6)]
    assert [a.status_code for a in answers] == [200] * 5 + [429]
    assert answers[0].headers["X-RateLimit-Limit"] == "5"
    refused = answers[-1]
    assert refused.json()["problem"]["kind"] == "rate_limited" and int(refused.headers["Retry-After"]) >= 0


async def test_the_openapi_document_is_generated_from_the_route_and_its_models(client):
    r = await client.get("/toy/openapi.json")
    assert r.status_code == 200
    document = r.json()
    validate(document)
    operation = document["paths"]["/toy/greetings"]["post"]
    assert operation["summary"] == "Greet someone, as often as asked."
    assert operation["x-permission"] == "store.store.read"
    times = next(p for p in operation["parameters"] if p["name"] == "times")
    assert times["in"] == "query" and times["schema"]["maximum"] == 3
    body = document["components"]["schemas"]["GreetingBody"]
    assert body["properties"]["name"]["maxLength"] == 20 and body["properties"]["name"]["x-required-on-create"]
    ok = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert ok == {"$ref": "#/components/schemas/GreetingJson"}
    assert set(operation["responses"]) >= {"200", "401", "403", "413", "422", "429"}
    assert document["components"]["schemas"]["ToyError"]["required"] == ["problem"]


def test_a_rate_limit_setting_must_name_a_route_group(settings_factory):
    with pytest.raises(app_module.UnknownRateLimit, match=r"store\.typo"):
        app_module.build_app(settings_factory(rate_limits={"store.typo": 1}), registry=make_test_registry())


async def test_every_surface_takes_a_limit_from_settings(settings_factory):
    settings = settings_factory(rate_limits={"content-services.all": 2, "shopwright.all": 2})
    application = app_module.build_app(settings, registry=make_test_registry())
    async with application.router.lifespan_context(application), asgi_client(application) as client:
        owner = await make_workspace(application.state.services)
        await fresh_window()
        for path in ("/brandbrain/content-configs", "/v1/jobs"):
            answers = [await client.get(path, headers=owner.headers()) for _ in range(3)]
            assert [a.status_code for a in answers] == [200, 200, 429], path
            assert answers[-1].json()["code"] == "rate_limited" and "Retry-After" in answers[-1].headers
