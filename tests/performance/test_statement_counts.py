"""Statements a reminder dispatch pass sends to PostgreSQL: no more reads for more due reminders (no N+1).

The endpoints' own budgets are in test_statement_budgets.py."""

from datetime import timedelta

import pytest

from tests.api.identity_support import container  # noqa: F401 (a fixture)
from tests.api.calendar_support import create_event, create_reminder, sign_up
from tests.performance.statements import StatementLog

pytestmark = pytest.mark.parametrize("storage", ["postgres"], indirect=True)


@pytest.fixture
def statements(container, clean_postgres) -> StatementLog:
    return StatementLog(clean_postgres)


async def test_a_dispatch_pass_reads_as_often_for_20_due_reminders_as_for_2(api, statements, container, clock):
    reads, writes = [], []
    for batch in (2, 20):
        owner = await sign_up(api, f"owner{batch}")
        for i in range(batch):
            event = await create_event(api, owner, clock.now() + timedelta(hours=1, minutes=i), title=f"e{i}")
            await create_reminder(api, owner, event["id"], minutes_before=60)
        clock.advance(minutes=30)
        statements.sql.clear()
        report = await container.calendar.dispatch_reminders()()
        assert report.delivered == batch, report
        verbs = [sql.split(None, 1)[0].upper() for sql in statements.sql]
        reads.append(verbs.count("SELECT"))
        writes.append(sum(verbs.count(verb) for verb in ("INSERT", "UPDATE", "DELETE")))
    # Per reminder only its writes: the claim, the in-app notification, the outcome.
    assert reads[0] == reads[1] and writes[1] <= 3 * 20, (reads, writes)
