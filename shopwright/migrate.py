"""Alembic, driven from code: upgrade to head, and tell whether a database is at head."""

from __future__ import annotations

from pathlib import Path

from alembic import command, util
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

import migrations

MIGRATIONS_DIR = Path(migrations.__file__).parent


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "heads") -> None:
    """Synchronous (Alembic runs its own event loop): call it outside any running loop or in a thread."""
    if url.startswith("sqlite"):
        db_path = url.split("///", 1)[-1]
        if db_path and db_path != ":memory:":
            Path(db_path).parent.mkdir(parents=True, exist_ok=True)
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str, revision: str) -> None:
    command.downgrade(alembic_config(url), revision)


def head_revisions() -> set[str]:
    """The heads a fully upgraded database records: a head that another revision ``depends_on`` (0005 under
    0402) is applied with it and not kept in the version table."""
    script = ScriptDirectory.from_config(alembic_config(""))
    needed = {dep for rev in script.walk_revisions() for dep in util.to_tuple(rev.dependencies, default=())}
    return set(script.get_heads()) - needed


async def pending_migrations(engine: AsyncEngine) -> bool:
    """Whether the database is behind (or ahead of) this code's migrations."""

    def current(connection: Connection) -> set[str]:
        return set(MigrationContext.configure(connection).get_current_heads())

    async with engine.connect() as connection:
        heads = await connection.run_sync(current)
    return heads != head_revisions()
