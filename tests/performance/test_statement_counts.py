"""Statements each endpoint sends to PostgreSQL: at most a fixed budget, and no more for more rows (no N+1)."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event

from tests.api.api_access_support import container, new_key, with_key  # noqa: F401 (container is a fixture)
from tests.api.calendar_support import EVENTS, NOTIFICATIONS, create_event, create_reminder, sign_up

pytestmark = pytest.mark.parametrize("storage", ["postgres"], indirect=True)
START = datetime(2026, 1, 5, 9, tzinfo=UTC)


class StatementLog:
    """Every statement sent on the engine's connections: SQLAlchemy's (cursor events) and those run on the
    asyncpg connection directly (its query logger); BEGIN and COMMIT are not counted."""

    def __init__(self, engine) -> None:
        self.sql: list[str] = []
        self._engine = engine.sync_engine
        event.listen(self._engine, "checkout", self._watch)
        event.listen(self._engine, "before_cursor_execute", self._sqlalchemy)

    def _sqlalchemy(self, conn, cursor, statement, parameters, context, executemany) -> None:
        self.sql.append(statement)

    def _watch(self, dbapi_connection, record, proxy) -> None:
        if not record.info.get("statement_log"):
            record.driver_connection.add_query_logger(lambda query: self.sql.append(query.query))
            record.info["statement_log"] = True

    async def count(self, request) -> int:
        self.sql.clear()
        response = await request
        assert response.status_code < 300, response.text
        return len(self.sql)


@pytest.fixture
def statements(container, clean_postgres) -> StatementLog:
    return StatementLog(clean_postgres)


async def seed_events(api, ada, count: int, *, recurring: int = 0) -> list[dict]:
    made = [await create_event(api, ada, START + timedelta(hours=i), title=f"e{i}") for i in range(count)]
    for i in range(recurring):
        made.append(await create_event(api, ada, START + timedelta(minutes=30 + i), title=f"weekly {i}",
                                       recurrence="RRULE:FREQ=WEEKLY"))
    return made


async def test_reading_one_event_is_one_statement(api, statements):
    ada = await sign_up(api)
    [event] = await seed_events(api, ada, 1)
    assert await statements.count(api.get(f"{EVENTS}/{event['id']}", headers=ada)) == 1


@pytest.mark.parametrize("path, budget", [
    (EVENTS + "?from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z&limit=50", 2),
    ("/api/v1/reminders", 1),
    (NOTIFICATIONS, 1),
])
async def test_calendar_lists_cost_the_same_for_few_rows_and_many(api, statements, container, clock, path, budget):
    ada = await sign_up(api)
    counts = []
    for batch in (2, 20):
        for event in await seed_events(api, ada, batch, recurring=batch // 2):
            await create_reminder(api, ada, event["id"], minutes_before=5)
        counts.append(await statements.count(api.get(path, headers=ada)))
    assert counts[0] == counts[1] <= budget, counts


async def test_ledger_reads_and_writes_stay_within_their_budgets(api, statements):
    ada = await sign_up(api)
    category = (await api.get("/api/v1/categories", headers=ada)).json()["items"][0]["id"]
    expense = {"amount": "12.50", "category_id": category, "date": "2026-01-15", "description": "lunch"}
    create = [await statements.count(api.post("/api/v1/expenses", headers=ada, json=expense)) for _ in range(3)]
    listed = await statements.count(api.get("/api/v1/expenses", headers=ada, params={"limit": 100}))
    for _ in range(20):
        await api.post("/api/v1/expenses", headers=ada, json=expense)
    listed_more = await statements.count(api.get("/api/v1/expenses", headers=ada, params={"limit": 100}))
    report = await statements.count(api.get("/api/v1/reports/monthly", headers=ada, params={"from": "2026-01", "to": "2026-03"}))
    assert max(create) <= 3 and listed == listed_more <= 2 and report <= 3, (create, listed, listed_more, report)


async def test_a_metered_generation_and_a_login_stay_within_their_budgets(api, statements):
    ada = await sign_up(api)
    key = await new_key(api, ada, daily_quota=10)
    body = {"prompt": "a lighthouse", "width": 64, "height": 64}
    generation = await statements.count(api.post("/api/v1/images/generations", headers=with_key(key), json=body))
    login = await statements.count(api.post("/api/v1/auth/login", json={"username": "ada",
                                                                       "password": "correct horse"}))
    assert generation <= 5 and login <= 4, (generation, login)


async def test_a_dispatch_pass_reads_as_often_for_20_due_reminders_as_for_2(api, statements, container, clock):
    reads, writes = [], []
    for batch in (2, 20):
        owner = await sign_up(api, f"owner{batch}")
        for i in range(batch):
            event = await create_event(api, owner, clock.now() + timedelta(hours=1, minutes=i), title=f"e{i}")
            await create_reminder(api, owner, event["id"], minutes_before=60)
        clock.advance(minutes=30)
        statements.sql.clear()
        report = await container.dispatch_reminders()()
        assert report.delivered == batch, report
        verbs = [sql.split(None, 1)[0].upper() for sql in statements.sql]
        reads.append(verbs.count("SELECT"))
        writes.append(sum(verbs.count(verb) for verb in ("INSERT", "UPDATE", "DELETE")))
    # Per reminder only its writes: the claim, the in-app notification, the outcome.
    assert reads[0] == reads[1] and writes[1] <= 3 * 20, (reads, writes)
