"""Readiness: the database answers and its schema is at the expected migration."""

from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.postgres.database import is_unavailable, migration_revision
from adapters.postgres.migrations import head_revision


class PostgresReadiness:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._head = head_revision()

    async def __call__(self) -> str | None:
        """None when ready, else why not."""
        try:
            revision = await migration_revision(self._engine)
        except Exception as error:
            if is_unavailable(error):
                return "the database is unreachable"
            raise
        if revision != self._head:
            return f"the database is at migration {revision}, expected {self._head}"
        return None


async def always_ready() -> str | None:
    return None
