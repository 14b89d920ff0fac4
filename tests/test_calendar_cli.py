"""`atrium reminders dispatch --once`, `atrium seed-demo` and the worker loop."""

import asyncio
import os
import signal
from datetime import UTC, datetime, timedelta

import pytest
from typer.testing import CliRunner

from adapters.clock import SettableClock, SystemClock
from domain.calendar.reminder import ReminderStatus
from entrypoints import worker
from entrypoints.cli import app
from entrypoints.demo import DEMO_EMAIL
from tests.factories import account


@pytest.fixture
def cli_env(monkeypatch, postgres_url, clean_postgres):
    monkeypatch.setenv("ATRIUM_DATABASE_URL", postgres_url)
    monkeypatch.setenv("ATRIUM_JWT_SECRET", "cli-test-secret-" + "x" * 32)
    monkeypatch.setenv("ATRIUM_SECRET_KEY", "cli-test-key-" + "y" * 32)
    monkeypatch.delenv("ATRIUM_DEMO_PASSWORD", raising=False)
    monkeypatch.setattr("entrypoints.cli.configure_logging", lambda *args: None)  # keep pytest's log capture
    return clean_postgres


async def due_reminder(container):
    """An event whose reminder falls due at the container's clock."""
    owner = account()
    async with container.infrastructure.uow(account=owner.id) as uow:
        await uow.accounts.add(owner)
        await uow.commit()
    start = container.infrastructure.clock().now() + timedelta(minutes=10)
    event = await container.calendar.create_event()(owner.id, title="Standup", start_time=start,
                                           end_time=start + timedelta(minutes=15))
    reminder = await container.calendar.create_reminder()(owner.id, event.id, minutes_before=10)
    assert reminder.status is ReminderStatus.PENDING
    return owner, reminder


def test_dispatch_once_delivers_what_is_due_and_exits(cli_env, postgres_url):
    from tests.composition import compose

    container = compose("postgres", SettableClock(SystemClock().now() - timedelta(minutes=5)), database_url=postgres_url)
    owner, reminder = asyncio.run(_with_engine(container, lambda: due_reminder(container)))
    first = CliRunner().invoke(app, ["reminders", "dispatch", "--once"])
    assert first.exit_code == 0, first.output
    assert "delivered=1" in first.output
    again = CliRunner().invoke(app, ["reminders", "dispatch", "--once"])
    assert "delivered=0" in again.output
    listing = container.calendar.list_event_reminders()
    stored = asyncio.run(_with_engine(container, lambda: listing(owner.id, reminder.event_id)))
    assert [r.status for r in stored] == [ReminderStatus.SENT]


async def _with_engine(container, work):
    try:
        return await work()
    finally:
        await container.infrastructure.engine().dispose()


def test_seed_demo_creates_the_demo_account_once_with_two_events_and_a_reminder(cli_env, postgres_url, monkeypatch):
    from entrypoints.container import build_container
    from tests.composition import settings_for

    first = CliRunner().invoke(app, ["seed-demo"])
    assert first.exit_code == 0, first.output
    assert "password (shown once): " in first.output
    password = first.output.split("password (shown once): ")[1].split()[0]
    again = CliRunner().invoke(app, ["seed-demo"])
    assert again.exit_code == 0 and "its password is unchanged" in again.output and password not in again.output

    container = build_container(settings_for("postgres", database_url=postgres_url))

    async def look():
        tokens = await container.identity.login()(login="demo", password=password)
        demo = (await container.identity.authenticate()(tokens.access_token)).account_id
        page = await container.calendar.list_events()(demo, window_from=datetime(1970, 1, 1, tzinfo=UTC))
        reminders = await container.calendar.list_reminders()(demo)
        return {o.event.title for o in page.items}, len({o.event.id for o in page.items}), reminders.items

    titles, events, reminders = asyncio.run(_with_engine(container, look))
    assert titles == {"Weekly planning", "Dentist"} and events == 2
    assert [r.status for r in reminders] == [ReminderStatus.PENDING]
    assert DEMO_EMAIL in first.output


@pytest.mark.parametrize("storage", ["memory"], indirect=True)
async def test_the_worker_delivers_on_its_first_pass_and_stops_on_sigterm(container, storage):
    owner, reminder = await due_reminder(container)
    running = asyncio.create_task(worker.run(container, interval=3600))
    for _ in range(1000):
        if (await container.calendar.list_notifications()(owner.id)).items:
            break
        await asyncio.sleep(0)
    os.kill(os.getpid(), signal.SIGTERM)
    await asyncio.wait_for(running, timeout=10)
    [notification] = (await container.calendar.list_notifications()(owner.id)).items
    assert notification.reminder_id == reminder.id
