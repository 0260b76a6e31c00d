"""GraphiQL without the internet: Strawberry's page, with its scripts and styles served by the app.

The assets are vendored from the npm registry under ``resolvers/static/vendor/graphiql`` (see its README),
and ``shopwright.app`` serves that folder at ``/static``.
"""

from __future__ import annotations

import re
from pathlib import Path

STATIC_DIR = Path(__file__).parent / "static"
STATIC_PREFIX = "/static"
VENDOR = "vendor/graphiql"

# https://unpkg.com/<name or @scope/name>@<version>/<path>
_CDN_ASSET = re.compile(r"https://unpkg\.com/((?:@[\w.-]+/)?[\w.-]+)@([\w.-]+)/([\w./-]+)")


class AssetNotVendored(RuntimeError):
    pass


def vendored_path(name: str, version: str, path: str) -> str:
    """Where a package's file lives below the static folder: ``@scope/name`` at version ``V`` in
    ``scope-name@V/``, each file by its base name."""
    folder = name.removeprefix("@").replace("/", "-")
    return f"{VENDOR}/{folder}@{version}/{path.rsplit('/', 1)[-1]}"


def offline_page(html: str, root_path: str = "") -> str:
    """Strawberry's IDE page ``html`` with each CDN address replaced by the app's own copy.

    Raises ``AssetNotVendored`` when the page asks for a file that is not vendored (a Strawberry release that
    moved to other versions), rather than serving a page that cannot load.
    """

    def local(match: re.Match[str]) -> str:
        relative = vendored_path(*match.groups())
        if not (STATIC_DIR / relative).is_file():
            raise AssetNotVendored(
                f"GraphiQL asks for {match.group(0)}, which is not vendored: see {STATIC_DIR / VENDOR}/README.md"
            )
        return f"{root_path}{STATIC_PREFIX}/{relative}"

    return _CDN_ASSET.sub(local, html)
