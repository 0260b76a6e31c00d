from tests.support.graphql import gql


async def test_healthz(client):
    r = await client.get("/healthz")
    assert r.status_code == 200 and r.json() == {"status": "ok"}


async def test_viewer_with_api_key(client, workspace):
    status, body = await gql(client, "{ viewer { kind workspace { name } } }", token=workspace.api_key)
    assert status == 200, body
    assert body["data"]["viewer"] == {"kind": "api_key", "workspace": {"name": "Workspace A"}}
