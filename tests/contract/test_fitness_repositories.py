"""The fitness repositories' contract, on memory and on PostgreSQL: daily upserts, the year read, versions,
sessions, cascades, weekly claims, the cache's expiry and the LLM meter's guard."""

from datetime import timedelta

import pytest

from domain.fitness.plans import TokenUsage, WorkoutPlanChanged
from domain.shared.errors import InvalidValue
from tests.contract.fitness_rows import (
    DAY, T0, fitness_profile, intake, meal_draft, meal_plan, next_version, session, weight, workout_draft,
    workout_plan,
)
from tests.factories import account, new_id


@pytest.fixture
async def owners(uow_factory):
    ada, grace = account(), account("grace@example.com", "grace")
    async with uow_factory() as uow:
        await uow.accounts.add(ada)
        await uow.accounts.add(grace)
        await uow.commit()
    return ada.id, grace.id


async def run(uow_factory, operation):
    async with uow_factory() as uow:
        result = await operation(uow)
        await uow.commit()
    return result


async def test_a_profile_is_replaced_whole_and_keeps_its_first_creation_time(uow_factory, owners):
    ada, grace = owners
    first = fitness_profile(ada)
    await run(uow_factory, lambda uow: uow.fitness_profiles.put(first))
    later = fitness_profile(ada).__class__(ada, first.profile, T0 + timedelta(days=1), T0 + timedelta(days=1))

    stored = await run(uow_factory, lambda uow: uow.fitness_profiles.put(later))

    assert stored.created_at == T0 and stored.updated_at == T0 + timedelta(days=1)
    assert await run(uow_factory, lambda uow: uow.fitness_profiles.get(ada)) == stored
    assert await run(uow_factory, lambda uow: uow.fitness_profiles.get(grace)) is None


async def test_a_second_log_for_a_day_replaces_the_first_and_keeps_its_id(uow_factory, owners):
    ada, grace = owners
    first = await run(uow_factory, lambda uow: uow.weight_entries.put(weight(ada, DAY, 70.0)))
    second = await run(uow_factory, lambda uow: uow.weight_entries.put(weight(ada, DAY, 69.5)))
    await run(uow_factory, lambda uow: uow.weight_entries.put(weight(grace, DAY, 90.0)))

    assert second.id == first.id and second.entry.weight_kg == 69.5
    assert await run(uow_factory, lambda uow: uow.weight_entries.page(ada, before=None, limit=10)) == [second]
    meal = await run(uow_factory, lambda uow: uow.intake_logs.put(intake(ada, DAY, 2000.5, 120.25)))
    assert (await run(uow_factory, lambda uow: uow.intake_logs.put(intake(ada, DAY, 1800.0)))).id == meal.id


async def test_logs_page_newest_first_and_the_year_read_ends_at_the_latest_entry(uow_factory, owners):
    ada, _ = owners
    days = [DAY - timedelta(days=n) for n in (0, 1, 2, 364, 365, 800)]
    for day in days:
        await run(uow_factory, lambda uow, day=day: uow.weight_entries.put(weight(ada, day, 70.0)))
        await run(uow_factory, lambda uow, day=day: uow.intake_logs.put(intake(ada, day, 2000.0)))

    page = await run(uow_factory, lambda uow: uow.weight_entries.page(ada, before=DAY - timedelta(days=1), limit=3))
    recent = await run(uow_factory, lambda uow: uow.weight_entries.recent(ada, 365))
    eaten = await run(uow_factory, lambda uow: uow.intake_logs.recent(ada, 365))

    assert [r.entry.day for r in page] == days[2:5]
    assert [e.day for e in recent] == [e.day for e in eaten] == sorted(days[:4])


async def test_versions_are_kept_and_a_version_written_twice_is_a_conflict(uow_factory, owners):
    ada, grace = owners
    plan, first = workout_plan(ada)
    await run(uow_factory, lambda uow: uow.workout_plans.add(plan, first))
    moved, second = next_version(plan)
    await run(uow_factory, lambda uow: uow.workout_plans.add_version(moved, second))

    with pytest.raises(WorkoutPlanChanged):
        await run(uow_factory, lambda uow: uow.workout_plans.add_version(moved, second))
    assert await run(uow_factory, lambda uow: uow.workout_plans.get(ada, plan.id)) == moved
    assert await run(uow_factory, lambda uow: uow.workout_plans.version(ada, plan.id, 1)) == first
    assert await run(uow_factory, lambda uow: uow.workout_plans.version(ada, plan.id, 2)) == second
    assert await run(uow_factory, lambda uow: uow.workout_plans.get(grace, plan.id, for_update=True)) is None
    assert await run(uow_factory, lambda uow: uow.workout_plans.version(grace, plan.id, 1)) is None
    assert second.draft == workout_draft()
    assert await run(uow_factory, lambda uow: uow.workout_plans.with_version(ada, plan.id)) == (moved, second)
    assert await run(uow_factory, lambda uow: uow.workout_plans.with_version(ada, plan.id, 1)) == (moved, first)
    assert await run(uow_factory, lambda uow: uow.workout_plans.with_version(ada, plan.id, 3)) is None
    assert await run(uow_factory, lambda uow: uow.workout_plans.with_version(grace, plan.id)) is None


async def test_a_session_of_another_owners_plan_is_refused_and_a_deleted_plan_takes_its_sessions(uow_factory, owners):
    ada, grace = owners
    plan, first = workout_plan(ada)
    await run(uow_factory, lambda uow: uow.workout_plans.add(plan, first))
    newer = session(ada, plan.id)
    older = session(ada, plan.id, DAY - timedelta(days=2))  # logged later, performed earlier
    for row in (newer, older):
        await run(uow_factory, lambda uow, row=row: uow.workout_sessions.add(row))

    with pytest.raises(InvalidValue) as caught:
        await run(uow_factory, lambda uow: uow.workout_sessions.add(session(grace, plan.id)))
    assert (caught.value.code, caught.value.field) == ("unknown_workout_plan", "plan_id")
    assert await run(uow_factory, lambda uow: uow.workout_sessions.latest(ada, plan.id, 1)) == [newer]
    listed = await run(uow_factory, lambda uow: uow.workout_sessions.page(ada, plan_id=None, after=None, limit=10))
    assert listed == [newer, older]  # by id: the order they were logged in, not performed in

    assert not await run(uow_factory, lambda uow: uow.workout_plans.remove(grace, plan.id))
    assert await run(uow_factory, lambda uow: uow.workout_plans.remove(ada, plan.id))
    assert await run(uow_factory, lambda uow: uow.workout_sessions.page(ada, plan_id=None, after=None, limit=10)) == []
    assert await run(uow_factory, lambda uow: uow.workout_plans.version(ada, plan.id, 1)) is None


async def test_a_plan_is_claimed_once_per_week_and_then_no_longer_due(uow_factory, owners):
    ada, grace = owners
    mine, first = workout_plan(ada)
    theirs, their_first = workout_plan(grace)
    await run(uow_factory, lambda uow: uow.workout_plans.add(mine, first))
    await run(uow_factory, lambda uow: uow.workout_plans.add(theirs, their_first))
    due = await run(uow_factory, lambda uow: uow.workout_plans.due_for_auto_adaptation("2026-W12", 10))
    assert due == sorted([(ada, mine.id), (grace, theirs.id)], key=lambda pair: pair[1])

    assert await run(uow_factory, lambda uow: uow.workout_plans.claim_week(ada, mine.id, "2026-W12", T0))
    assert not await run(uow_factory, lambda uow: uow.workout_plans.claim_week(ada, mine.id, "2026-W12", T0))
    assert not await run(uow_factory, lambda uow: uow.workout_plans.claim_week(grace, mine.id, "2026-W13", T0))
    assert await run(uow_factory, lambda uow: uow.workout_plans.due_for_auto_adaptation("2026-W12", 10)) == [
        (grace, theirs.id)]
    assert len(await run(uow_factory, lambda uow: uow.workout_plans.due_for_auto_adaptation("2026-W13", 10))) == 2


async def test_meal_plans_keep_their_draft_and_provenance(uow_factory, owners):
    ada, grace = owners
    plan = meal_plan(ada)
    await run(uow_factory, lambda uow: uow.meal_plans.add(plan))
    rebuilt = plan.rebuilt(meal_draft(), plan.provenance, T0 + timedelta(hours=1))
    await run(uow_factory, lambda uow: uow.meal_plans.save(rebuilt))

    assert await run(uow_factory, lambda uow: uow.meal_plans.get(ada, plan.id)) == rebuilt
    assert await run(uow_factory, lambda uow: uow.meal_plans.get(grace, plan.id)) is None
    assert await run(uow_factory, lambda uow: uow.meal_plans.page(ada, after=None, limit=5)) == [rebuilt]
    assert not await run(uow_factory, lambda uow: uow.meal_plans.remove(grace, plan.id))
    assert await run(uow_factory, lambda uow: uow.meal_plans.remove(ada, plan.id))


async def test_the_cache_answers_until_the_expiry_and_only_its_owner(uow_factory, owners):
    ada, grace = owners
    expires = T0 + timedelta(days=7)
    await run(uow_factory, lambda uow: uow.plan_cache.put(ada, "k", workout_draft(), expires))
    await run(uow_factory, lambda uow: uow.plan_cache.put(ada, "m", meal_draft(), T0))

    assert await run(uow_factory, lambda uow: uow.plan_cache.get(ada, "k", expires - timedelta(seconds=1))) == (
        workout_draft())
    assert await run(uow_factory, lambda uow: uow.plan_cache.get(ada, "m", T0 - timedelta(seconds=1))) == meal_draft()
    assert await run(uow_factory, lambda uow: uow.plan_cache.get(ada, "k", expires)) is None
    assert await run(uow_factory, lambda uow: uow.plan_cache.get(grace, "k", T0)) is None
    assert await run(uow_factory, lambda uow: uow.plan_cache.purge(T0)) == 1


async def test_the_llm_meter_counts_to_its_limit_exactly_and_adds_tokens(uow_factory, owners):
    ada, grace = owners
    spent = [await run(uow_factory, lambda uow: uow.llm_usage.spend(ada, DAY, 2)) for _ in range(3)]
    await run(uow_factory, lambda uow: uow.llm_usage.record(ada, DAY, TokenUsage(1, 100, 20)))
    await run(uow_factory, lambda uow: uow.llm_usage.record(ada, DAY, TokenUsage(2, 50, 5)))

    assert spent == [True, True, False]
    assert await run(uow_factory, lambda uow: uow.llm_usage.day(ada, DAY)) == (2, TokenUsage(3, 150, 25))
    assert await run(uow_factory, lambda uow: uow.llm_usage.day(grace, DAY)) == (0, TokenUsage(0, 0, 0))
    assert await run(uow_factory, lambda uow: uow.llm_usage.spend(ada, DAY + timedelta(days=1), 2))
    assert not await run(uow_factory, lambda uow: uow.llm_usage.spend(grace, DAY, 0))
