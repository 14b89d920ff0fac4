"""Counting the statements an engine sends to PostgreSQL."""

import asyncio

from sqlalchemy import event

_TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK")


class StatementLog:
    """Every statement sent on the engine's connections: SQLAlchemy's (cursor events) and those run on the
    asyncpg connection directly (its query logger); BEGIN, COMMIT and ROLLBACK are not counted."""

    def __init__(self, engine) -> None:
        self.sql: list[str] = []
        self._engine = engine.sync_engine
        event.listen(self._engine, "checkout", self._watch)
        event.listen(self._engine, "before_cursor_execute", self._sqlalchemy)

    def _sqlalchemy(self, conn, cursor, statement, parameters, context, executemany) -> None:
        self.sql.append(statement)

    def _watch(self, dbapi_connection, record, proxy) -> None:
        if not record.info.get("statement_log"):
            record.driver_connection.add_query_logger(self._driver)
            record.info["statement_log"] = True

    def _driver(self, query) -> None:
        if not query.query.startswith(_TRANSACTION_CONTROL):  # SQLAlchemy's BEGIN, COMMIT, ROLLBACK
            self.sql.append(query.query)

    async def count(self, request) -> int:
        self.sql.clear()
        response = await request
        assert response.status_code < 300, response.text
        await asyncio.sleep(0)  # asyncpg reports a query a loop turn later
        return len(self.sql)
