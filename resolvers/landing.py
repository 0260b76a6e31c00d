"""The landing page at ``/``: what the service is and where its API, documents and health checks are.

HTML for a browser; ``Accept: application/json`` gets the same links as a JSON index. The page is
self-contained (no scripts, fonts or styles from elsewhere), so it reads the same on a machine offline.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from html import escape
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from resolvers.jsonenc import JSONResponse
from resolvers.rest.surface import Surface

NAME = "Shopwright"
SUMMARY = (
    "Catalog, AI-written content and marketing posts for online stores behind one GraphQL API, with live job "
    "progress over GraphQL subscriptions, and the REST APIs that existing integrations already speak."
)

_STYLE = """
body { font: 16px/1.5 system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; color: #1d2330; }
h1 { margin-bottom: 0; } h2 { margin-top: 2rem; font-size: 1.15rem; }
a { color: #0b5cad; } code { font-size: 0.9em; background: #eef1f5; padding: 0 0.25em; border-radius: 3px; }
table { border-collapse: collapse; width: 100%; } td, th { text-align: left; padding: 0.3rem 0.5rem 0.3rem 0; }
th { font-weight: 600; border-bottom: 1px solid #cdd3dc; } .muted { color: #5a6475; }
"""


def index(surfaces: Sequence[Surface], *, metrics: bool, root: str = "") -> dict[str, Any]:
    """The links of the landing page, as paths below ``root`` (the app's root path)."""
    links: dict[str, Any] = {
        "name": NAME,
        "description": SUMMARY,
        "graphql": f"{root}/graphql",
        "healthz": f"{root}/healthz",
        "readyz": f"{root}/readyz",
        "surfaces": [
            {"name": s.name, "title": s.title, "prefix": root + s.prefix, "openapi": f"{root}{s.prefix}/openapi.json"}
            for s in surfaces
        ],
    }
    if metrics:
        links["metrics"] = f"{root}/metrics"
    return links


def page(surfaces: Sequence[Surface], *, metrics: bool, root: str = "") -> str:
    links = index(surfaces, metrics=metrics, root=root)
    rows = "\n".join(
        f"<tr><td>{escape(s.title)}</td><td><code>{escape(root + s.prefix)}</code></td>"
        f'<td><a href="{escape(link["openapi"])}">{escape(link["openapi"])}</a></td></tr>'
        for s, link in zip(surfaces, links["surfaces"], strict=True)
    )
    operations = [
        (links["healthz"], "liveness: answers while the process runs"),
        (links["readyz"], "readiness: the database (and Redis, when configured) answer"),
    ]
    if metrics:
        operations.append((links["metrics"], "Prometheus metrics"))
    items = "\n".join(f'<li><a href="{escape(path)}">{escape(path)}</a>: {what}</li>' for path, what in operations)
    graphql = escape(links["graphql"])
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{NAME}</title>
<style>{_STYLE}</style>
</head>
<body>
<h1>{NAME}</h1>
<p class="muted">{escape(SUMMARY)}</p>

<h2>GraphQL</h2>
<p><a href="{graphql}">{graphql}</a>: GraphiQL, the in-browser IDE, when opened in a browser. Queries and
mutations are POSTed to the same address; subscriptions (job progress) use WebSocket there.
Authenticate with <code>Authorization: Bearer &lt;token&gt;</code>.</p>

<h2>REST surfaces</h2>
<table>
<tr><th>Surface</th><th>Prefix</th><th>OpenAPI document</th></tr>
{rows}
</table>

<h2>Operations</h2>
<ul>
{items}
</ul>
</body>
</html>
"""


def landing_endpoint(surfaces: Sequence[Surface], *, metrics: bool) -> Callable[[Request], Awaitable[Response]]:
    """``GET /``: the page, or the JSON index for a client that asks for JSON rather than HTML."""

    async def endpoint(request: Request) -> Response:
        root = request.scope.get("root_path", "").rstrip("/")
        accept = request.headers.get("accept", "")
        headers = {"Vary": "Accept"}
        if "application/json" in accept and "text/html" not in accept:
            return JSONResponse(index(surfaces, metrics=metrics, root=root), headers=headers)
        return HTMLResponse(page(surfaces, metrics=metrics, root=root), headers=headers)

    return endpoint
