"""The query plans of the statements a repository sends: `EXPLAIN` each, on the unit of work's connection."""

from sqlalchemy.dialects.postgresql.asyncpg import dialect as postgresql_asyncpg


class Capturing:
    """Stands in for a repository's connection: records each SQLAlchemy statement, then runs it."""

    def __init__(self, conn) -> None:
        self.conn = conn
        self.statements = []

    async def execute(self, statement, *args):
        self.statements.append(statement)
        return await self.conn.execute(statement, *args)

    async def scalar(self, statement, *args):
        self.statements.append(statement)
        return await self.conn.scalar(statement, *args)

    async def driver(self):
        return await self.conn.driver()


async def plans(capturing: Capturing) -> list[str]:
    """The text of each captured statement's plan, in order."""
    driver = await capturing.driver()
    found = []
    for statement in capturing.statements:
        compiled = statement.compile(dialect=postgresql_asyncpg())
        rows = await driver.fetch("EXPLAIN " + str(compiled), *[compiled.params[k] for k in compiled.positiontup])
        found.append("\n".join(row[0] for row in rows))
    return found
