"""The landing page and GraphiQL render in headless Chromium with no network beyond loopback (skipped where
Chromium is not installed; ``.ci/run`` installs it). Screenshots go to the test's temporary directory."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.browser_check import PAGES, find_chromium, serve_and_check


async def test_landing_page_and_graphiql_render_offline(tmp_path: Path) -> None:
    chromium = find_chromium()
    if chromium is None:
        pytest.skip("Chromium is not installed (Debian: apt-get install chromium)")
    problems = await serve_and_check(tmp_path, chromium)
    assert problems == []
    for page in PAGES:
        assert (tmp_path / f"shopwright-{page.name}.png").stat().st_size > 10_000
