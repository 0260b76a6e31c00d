"""Translation: the glossary holds in every language or a warning names the term; character limits hold in
every language or a warning says so; the revision call; GraphQL."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from domain.content.adaptation.translation import glossary_misses
from tests.content.adaptation.helpers import TRANSLATE, example, run_job, texts, wait_status
from tests.support.factories import WorkspaceInfo
from tests.support.fake_openai import FakeOpenAI, RecordedRequest

pytestmark = pytest.mark.provider("openai")

CONTENT: dict[str, str | list[str]] = {
    "title": "High Performance Laptop",
    "desc": "A laptop designed for performance.",
    "bullets": ["16GB RAM.", "A laptop bag included."],
}
GLOSSARY = {
    "fr_FR": {"laptop": "ordinateur portable"},
    "es_ES": {"laptop": "portátil"},
    "de_DE": {"laptop": "Notebook"},
}


def _language(request: RecordedRequest) -> str:
    found = re.search(r"\(([a-z]{2}_[A-Z]{2})\)", request.system)
    assert found, request.system
    return found.group(1)


def writer(*, obey: set[str], revise: set[str], long_title: bool = False) -> Any:
    """A translator that uses the glossary on the first call only for ``obey`` languages, and in the revision
    call only for ``revise`` ones; with ``long_title`` every title it writes is 300 characters."""

    def answer(request: RecordedRequest) -> dict[str, Any]:
        code = _language(request)
        wanted = GLOSSARY[code]["laptop"]
        use = code in (revise if request.schema_name == "revised_content" else obey)
        word = wanted if use else "laptop-ish"
        out: dict[str, Any] = {}
        for name in (request.schema or {})["properties"]:
            if name == "bullets":
                out[name] = [f"{code} 16 Go RAM.", f"{code} sac pour {word} inclus."]
            elif name == "title":
                out[name] = (f"{code} {word} haute performance " * 20)[:300] if long_title else f"{code} {word}"
            else:
                out[name] = f"{code} un {word} conçu pour la performance."
        return out

    return answer


def test_glossary_misses_are_found_per_content_type() -> None:
    translated: dict[str, str | list[str]] = {
        "title": "Ordinateur portable",
        "desc": "Un portable.",
        "bullets": ["x", "Sac ordinateur portable"],
    }
    misses = glossary_misses(CONTENT, translated, {"laptop": "ordinateur portable", "RAM": "RAM"})
    assert misses == [("desc", "laptop", "ordinateur portable"), ("bullets", "RAM", "RAM")]


async def test_the_glossary_holds_in_every_language_or_a_warning_names_the_term(
    client: httpx.AsyncClient, workspace: WorkspaceInfo, fake_openai: FakeOpenAI
) -> None:
    # fr obeys at once; es only when the revision asks; de never.
    fake_openai.handler = writer(obey={"fr_FR"}, revise={"es_ES"})
    body = {"pdp_content": CONTENT, "languages": ["fr_FR", "es_ES", "de_DE"], "translated_keywords": GLOSSARY}
    _, result = await run_job(client, workspace, TRANSLATE, body)
    assert [e["language"] for e in result] == ["French (France)", "Spanish (Spain)", "German (Germany)"]
    french, spanish, german = result
    for entry, code in ((french, "fr_FR"), (spanish, "es_ES")):
        wanted = GLOSSARY[code]["laptop"]
        assert entry["warnings"] == []
        for name in ("title", "desc", "bullets"):
            assert any(wanted in t for t in texts(entry["pdp_content"][name])), (code, name)
    assert german["warnings"] == [
        {
            "content_type": name,
            "code": "GLOSSARY_TERM_MISSING",
            "description": f"{name}: the glossary term 'laptop' is not translated as 'Notebook'",
        }
        for name in ("title", "desc", "bullets")
    ]
    revisions = [r for r in fake_openai.requests if r.schema_name == "revised_content"]
    assert sorted(_language(r) for r in revisions) == ["de_DE", "es_ES"]  # fr needed none
    spanish_revision = next(r for r in revisions if _language(r) == "es_ES")
    assert 'Translate "laptop" exactly as "portátil".' in spanish_revision.user


async def test_limits_hold_in_every_language(
    client: httpx.AsyncClient, workspace: WorkspaceInfo, fake_openai: FakeOpenAI
) -> None:
    fake_openai.handler = writer(obey={"fr_FR", "es_ES"}, revise={"fr_FR", "es_ES"}, long_title=True)
    body = {"pdp_content": CONTENT, "languages": ["fr_FR", "es_ES"], "translated_keywords": GLOSSARY}
    _, result = await run_job(client, workspace, TRANSLATE, body)
    for entry in result:
        assert 0 < len(entry["pdp_content"]["title"]) <= 150  # the built-in title limit, in every language
        assert entry["warnings"] == []
    revisions = [r for r in fake_openai.requests if r.schema_name == "revised_content"]
    assert len(revisions) == 2
    assert all("Shorten the text to at most 150 characters." in r.user for r in revisions)


async def test_a_limit_that_cannot_be_met_is_a_warning(
    client: httpx.AsyncClient, workspace: WorkspaceInfo, fake_openai: FakeOpenAI
) -> None:
    # One unbroken word longer than the limit: no clean cut keeps anything, so the text stays and is reported.
    fake_openai.handler = lambda request: {"title": "Hochleistungs" + "x" * 200}
    _, result = await run_job(client, workspace, TRANSLATE, {"pdp_content": {"title": "Laptop"}, "languages": ["de"]})
    (entry,) = result
    assert entry["language"] == "German"
    assert entry["pdp_content"]["title"] == "Hochleistungs" + "x" * 200  # kept, never silently emptied
    assert entry["warnings"] == [
        {"content_type": "title", "code": "EXCEED_LENGTH", "description": "title exceeds length by 63 characters"}
    ]


async def test_the_example_glossary_for_a_language_not_asked_for_is_not_applied(
    client: httpx.AsyncClient, workspace: WorkspaceInfo, fake_openai: FakeOpenAI
) -> None:
    body = example("translation")
    body["languages"] = ["id_ID"]
    _, result = await run_job(client, workspace, TRANSLATE, body)
    assert result[0]["language"] == "Indonesian (Indonesia)"
    first = fake_openai.requests[0]
    assert '"laptop" -> "ordenador portátil"' in first.system  # id_ID's own glossary, as the request gives it
    assert '"ordinateur portable"' not in first.system


async def test_a_provider_that_keeps_failing_fails_the_job_with_its_reason(
    client: httpx.AsyncClient, workspace: WorkspaceInfo, fake_openai: FakeOpenAI
) -> None:
    fake_openai.always(500)
    response = await client.post(
        TRANSLATE, json={"pdp_content": {"title": "Laptop"}, "languages": ["fr_FR"]}, headers=workspace.headers()
    )
    job_id = response.json()["job_id"]
    status = await wait_status(client, workspace, TRANSLATE, job_id)
    assert status["status"] == "failed"
    assert status["message"].startswith("The job has failed: Translation into French (France) failed: ")
    result = await client.get(f"{TRANSLATE}/{job_id}/result", headers=workspace.headers())
    assert result.status_code == 409 and result.json()["detail"] == {"status": "failed"}
