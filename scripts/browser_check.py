"""The landing page and GraphiQL as a person sees them: loaded in headless Chromium with no network beyond
loopback, checked for what must have rendered, and saved as screenshots outside the repository.

    .venv/bin/python -m scripts.browser_check [--out /tmp] [--chromium PATH]

It starts the app itself (SQLite in a temporary directory, offline AI) on a free loopback port, and writes
``<out>/shopwright-landing.png`` and ``<out>/shopwright-graphiql.png``. Exit status: 0 when both pages
rendered, 1 when one did not, 2 without Chromium (Debian: ``apt-get install chromium``).
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import socket
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import uvicorn

from shopwright.app import build_app
from shopwright.migrate import upgrade
from shopwright.settings import Settings

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--window-size=1280,800",
    # No network beyond loopback: every host name but 127.0.0.1 fails to resolve, and any other address would
    # go through a proxy that is not there (Chromium never proxies loopback).
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    "--proxy-server=http://127.0.0.1:9",
]
BUDGET_MS = 10_000  # virtual time for scripts to run and the IDE to fetch the schema


@dataclass(frozen=True)
class PageCheck:
    name: str
    path: str
    present: tuple[str, ...]  # in the rendered DOM
    absent: tuple[str, ...] = ()


PAGES = (
    PageCheck("landing", "/", present=("<h1>Shopwright</h1>", "/graphql", "openapi.json", "/healthz")),
    # The IDE replaced "Loading..." with its editors: its scripts and styles loaded from the app.
    PageCheck(
        "graphiql",
        "/graphql",
        present=("graphiql-query-editor", "CodeMirror", "graphiql-execute-button"),
        absent=("Loading...",),
    ),
)


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


async def _chromium(chromium: str, *args: str) -> str:
    with tempfile.TemporaryDirectory(prefix="shopwright-chromium-") as profile:
        process = await asyncio.create_subprocess_exec(
            chromium,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            f"--virtual-time-budget={BUDGET_MS}",
            *args,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,
        )
        out, _ = await asyncio.wait_for(process.communicate(), timeout=120)
    return out.decode("utf-8", "replace")


async def check(base_url: str, out_dir: Path, chromium: str) -> list[str]:
    """Loads each page: the problems found (none when all rendered); screenshots into ``out_dir``."""
    problems: list[str] = []
    for page in PAGES:
        url = base_url.rstrip("/") + page.path
        dom = await _chromium(chromium, "--dump-dom", url)
        problems += [f"{page.path}: {text!r} did not render" for text in page.present if text not in dom]
        problems += [f"{page.path}: {text!r} is still there" for text in page.absent if text in dom]
        shot = out_dir / f"shopwright-{page.name}.png"
        await _chromium(chromium, f"--screenshot={shot}", url)
        if not shot.is_file() or shot.stat().st_size == 0:
            problems.append(f"{page.path}: no screenshot at {shot}")
    return problems


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


async def serve_and_check(out_dir: Path, chromium: str) -> list[str]:
    with tempfile.TemporaryDirectory(prefix="shopwright-browser-") as data:
        settings = Settings(data_dir=Path(data), secret_key="browser-check", ai_provider="offline", redis_url=None)
        await asyncio.to_thread(upgrade, settings.resolved_database_url())
        port = _free_port()
        server = uvicorn.Server(uvicorn.Config(build_app(settings), host="127.0.0.1", port=port, log_level="warning"))
        task = asyncio.create_task(server.serve())
        try:
            while not server.started:
                if task.done():
                    task.result()
                await asyncio.sleep(0.05)
            return await check(f"http://127.0.0.1:{port}", out_dir, chromium)
        finally:
            server.should_exit = True
            await task


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()), help="where screenshots go")
    parser.add_argument("--chromium", default=None, help="the Chromium binary (default: found on PATH)")
    args = parser.parse_args(argv)
    chromium = args.chromium or find_chromium()
    if chromium is None:
        print("Chromium not found (Debian: apt-get install chromium)", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    problems = asyncio.run(serve_and_check(args.out, chromium))
    for page in PAGES:
        print(f"{page.path:10} {args.out / f'shopwright-{page.name}.png'}")
    for problem in problems:
        print(f"problem: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
