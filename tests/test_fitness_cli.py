"""`atrium fitness adapt --once` and the worker's weekly pass: each auto-adapting plan once per ISO week, whichever
worker gets there first."""

import asyncio
from datetime import date, timedelta

import pytest
from typer.testing import CliRunner

from adapters.clock import SettableClock, SystemClock
from entrypoints.cli import app
from tests.composition import compose
from tests.factories import account
from tests.test_calendar_cli import _with_engine, cli_env  # noqa: F401 (a fixture)


async def auto_adapting_plan(container, name: str = "ada", *, log: bool = True):
    """An account with an auto-adapting plan whose first day's last session reached rep_max in every set."""
    owner = account(f"{name}@example.com", name)
    async with container.infrastructure.uow(account=owner.id) as uow:
        await uow.accounts.add(owner)
        await uow.commit()
    fitness = container.fitness
    await fitness.put_profile()(owner.id, sex="male", birth_date=date(1990, 6, 1), height_cm=180, weight_kg=80,
                                activity_level="moderate", goal="maintain", experience="beginner",
                                equipment=["barbell", "dumbbell"], training_days_per_week=3, session_minutes=60,
                                diet="omnivore", meals_per_day=3)
    view = await fitness.create_workout_plan()(owner.id, auto_adapt=True)
    if log:
        today = container.infrastructure.clock().now().date()
        sets = [{"exercise_id": item.exercise_id, "reps": item.rep_max, "weight_kg": 50.0}
                for item in view.version.draft.days[0].exercises]
        await fitness.log_workout_session()(owner.id, plan_id=view.plan.id, day=1, performed_on=today, sets=sets)
    return owner.id, view.plan.id


def test_adapt_once_adapts_each_plan_once_a_week(cli_env, postgres_url):
    container = compose("postgres", SettableClock(SystemClock().now()), database_url=postgres_url)
    owner, plan_id = asyncio.run(_with_engine(container, lambda: auto_adapting_plan(container)))

    first = CliRunner().invoke(app, ["fitness", "adapt", "--once"])
    again = CliRunner().invoke(app, ["fitness", "adapt", "--once"])

    assert first.exit_code == 0 and "checked=1 adapted=1" in first.output, first.output
    assert again.exit_code == 0 and "checked=0 adapted=0" in again.output, again.output
    view = asyncio.run(_with_engine(container, lambda: container.fitness.get_workout_plan()(owner, plan_id)))
    assert view.plan.version == 2 and view.version.changes


@pytest.mark.parametrize("storage", ["memory", "postgres"], indirect=True)
async def test_two_workers_at_once_adapt_a_plan_once_and_again_only_next_week(container, clock):
    owners = [await auto_adapting_plan(container, name) for name in ("ada", "bob", "cyd")]
    quiet, _ = await auto_adapting_plan(container, "dee", log=False), None

    reports = await asyncio.gather(*(container.fitness.auto_adapt_workout_plans()() for _ in range(2)))

    assert sum(r.checked for r in reports) == 4 and sum(r.adapted for r in reports) == 3
    versions = [(await container.fitness.get_workout_plan()(o, p)).plan.version for o, p in owners + [quiet]]
    assert versions == [2, 2, 2, 1]  # a week with no load to move makes no version
    clock.advance(timedelta(days=7))
    assert (await container.fitness.auto_adapt_workout_plans()()).checked == 4
