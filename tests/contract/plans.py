"""The query plans of the statements a repository sends: `EXPLAIN` each, on the unit of work's connection."""

from sqlalchemy.dialects.postgresql.asyncpg import dialect as postgresql_asyncpg


class Capturing:
    """Stands in for a repository's connection: records each statement (SQLAlchemy's and prepared reads'
    alike, as SQL and arguments), then runs it."""

    def __init__(self, conn) -> None:
        self.conn = conn
        self.statements: list[tuple[str, list]] = []

    async def execute(self, statement, *args):
        compiled = statement.compile(dialect=postgresql_asyncpg())
        self.statements.append((str(compiled), [compiled.params[k] for k in compiled.positiontup or ()]))
        return await self.conn.execute(statement, *args)

    async def driver(self):
        return _Recording(await self.conn.driver(), self.statements)

    async def reader(self):
        driver, settings = await self.conn.reader()
        return _Recording(driver, self.statements), settings


class _Recording:
    def __init__(self, driver, statements: list) -> None:
        self.driver, self.statements = driver, statements

    async def fetch(self, sql: str, *args):
        self.statements.append((sql, list(args)))
        return await self.driver.fetch(sql, *args)

    async def fetchrow(self, sql: str, *args):
        self.statements.append((sql, list(args)))
        return await self.driver.fetchrow(sql, *args)


async def plans(capturing: Capturing) -> list[str]:
    """The text of each captured statement's plan, in order."""
    driver = await capturing.conn.driver()
    found = []
    for sql, args in capturing.statements:
        rows = await driver.fetch("EXPLAIN " + sql, *args)
        found.append("\n".join(row[0] for row in rows))
    return found
