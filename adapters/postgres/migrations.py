"""Run Alembic migrations programmatically (the CLI, the server start and the tests use this). Alembic is imported
only to migrate: knowing the newest revision, and whether a database is at it, needs only the revision files and
one query (a server start on a migrated database skips about a quarter of a second of imports)."""

import ast
import asyncio
import re
from pathlib import Path
from typing import TYPE_CHECKING

from adapters.postgres.database import create_engine, migration_revision

if TYPE_CHECKING:
    from alembic.config import Config

ALEMBIC_INI = Path(__file__).resolve().parents[2] / "alembic.ini"
VERSIONS = ALEMBIC_INI.parent / "migrations" / "versions"
_DECLARED = re.compile(r"^(revision|down_revision)\s*(?::[^=]*)?=\s*(.+)$", re.MULTILINE)


def alembic_config(database_url: str | None = None) -> "Config":
    from alembic.config import Config

    config = Config(str(ALEMBIC_INI))
    if database_url:
        config.attributes["database_url"] = database_url
    return config


def head_revision() -> str:
    """The newest revision in migrations/versions (what /ready expects the database to be at): the one revision
    no other revises, read from each file's `revision` and `down_revision` lines."""
    revisions: set[str] = set()
    revised: set[str] = set()
    for path in VERSIONS.glob("*.py"):
        for name, value in _DECLARED.findall(path.read_text()):
            declared = ast.literal_eval(value.strip())
            if name == "revision":
                revisions.add(declared)
            elif declared is not None:
                revised.update([declared] if isinstance(declared, str) else declared)
    heads = revisions - revised
    assert len(heads) == 1, f"migrations/ must have one head revision, has {sorted(heads)}"
    return heads.pop()


def upgrade(database_url: str, revision: str = "head") -> None:
    from alembic import command

    command.upgrade(alembic_config(database_url), revision)


def upgrade_unless_at_head(database_url: str) -> None:
    """Migrate the database to the newest revision; a database already there costs one query, not Alembic."""
    if asyncio.run(_revision_of(database_url)) != head_revision():
        upgrade(database_url)


async def _revision_of(database_url: str) -> str | None:
    engine = create_engine(database_url, pool_size=1)
    try:
        return await migration_revision(engine)
    finally:
        await engine.dispose()


def downgrade(database_url: str, revision: str) -> None:
    from alembic import command

    command.downgrade(alembic_config(database_url), revision)


def current(database_url: str) -> None:
    from alembic import command

    command.current(alembic_config(database_url), verbose=False)
