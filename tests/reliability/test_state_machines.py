"""Random sequences of repository operations on the ledger, calendar, API-key, imaging and fitness adapters give the same
results on memory and on PostgreSQL, including owner isolation and unique constraints."""

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import invariant, rule

from domain.calendar.note import Note
from domain.ledger.query import ExpenseFilter, ExpenseOrder
from tests.contract.test_identity_api_key_repositories import api_key
from tests.contract.test_calendar_repositories import MARCH, T0, event, reminder
from tests.contract.fitness_rows import (
    DAY, intake, meal_draft, meal_plan, next_version, session, weight, workout_draft, workout_plan,
)
from tests.contract.test_imaging_repositories import generation, record
from tests.contract.test_ledger_repositories import budget, category, expense
from tests.factories import NOW, new_id
from tests.reliability.dual import OWNERS, DualStorageMachine, run_machine

NAMES = st.sampled_from(["Food", "food", "Rent", "Travel"])


class LedgerMachine(DualStorageMachine):
    def setup(self):
        self.categories, self.expenses, self.budgets = [], [], []

    def pick(self, data, rows):
        return data.draw(st.sampled_from(rows)) if rows else None

    @rule(owner=OWNERS, name=NAMES)
    def add_category(self, owner, name):
        made = category(self.owners[owner], name)
        if self.both(lambda uow: uow.categories.add(made))[0] == "ok":
            self.categories.append(made)

    @rule(data=st.data(), owner=OWNERS, name=NAMES)
    def rename_category(self, data, owner, name):
        chosen = self.pick(data, self.categories)
        if chosen is None:
            return

        async def rename(uow):
            current = await uow.categories.get(self.owners[owner], chosen.id)
            if current is not None:
                await uow.categories.save(replace(current, name=name))
            return current is not None
        self.both(rename)

    @rule(data=st.data(), owner=OWNERS)
    def remove_category(self, data, owner):
        chosen = self.pick(data, self.categories)
        if chosen is not None:
            self.both(lambda uow: uow.categories.remove(self.owners[owner], chosen.id))

    @rule(data=st.data(), owner=OWNERS, amount=st.sampled_from(["0.01", "12.50", "999.99"]),
          day=st.dates(date(2026, 1, 1), date(2026, 3, 31)))
    def add_expense(self, data, owner, amount, day):
        chosen = self.pick(data, self.categories)
        if chosen is None:
            return
        made = expense(self.owners[owner], chosen.id, amount, day)  # another owner's category: refused
        if self.both(lambda uow: uow.expenses.add(made))[0] == "ok":
            self.expenses.append(made)

    @rule(data=st.data(), owner=OWNERS)
    def remove_expense(self, data, owner):
        chosen = self.pick(data, self.expenses)
        if chosen is not None:
            self.both(lambda uow: uow.expenses.remove(self.owners[owner], chosen.id))

    @rule(data=st.data(), owner=OWNERS, with_category=st.booleans(), month=st.integers(1, 3))
    def add_budget(self, data, owner, with_category, month):
        chosen = self.pick(data, self.categories) if with_category else None
        made = budget(self.owners[owner], chosen.id if chosen else None, start=date(2026, month, 1))
        if self.both(lambda uow: uow.budgets.add(made))[0] == "ok":
            self.budgets.append(made)

    @rule(data=st.data(), owner=OWNERS)
    def remove_budget(self, data, owner):
        chosen = self.pick(data, self.budgets)
        if chosen is not None:
            self.both(lambda uow: uow.budgets.remove(self.owners[owner], chosen.id))

    @invariant()
    def same_reads(self):
        if not hasattr(self, "categories"):
            return
        for owner in self.owners:
            async def read(uow, owner=owner):
                return (
                    await uow.categories.all(owner), await uow.budgets.all(owner),
                    await uow.expenses.totals(owner, ExpenseFilter()),
                    await uow.expenses.page(owner, ExpenseFilter(), ExpenseOrder(), after=None, limit=100),
                    [await uow.categories.get(owner, c.id) for c in self.categories],
                    [await uow.expenses.get(owner, e.id) for e in self.expenses],
                    [await uow.budgets.get(owner, b.id) for b in self.budgets],
                )
            self.both(read)


class CalendarMachine(DualStorageMachine):
    def setup(self):
        self.events, self.reminders, self.notes = [], [], []

    def pick(self, data, rows):
        return data.draw(st.sampled_from(rows)) if rows else None

    @rule(owner=OWNERS, day=st.integers(0, 20), hours=st.sampled_from([0.5, 1, 26]))
    def add_event(self, owner, day, hours):
        made = event(self.owners[owner], T0 + timedelta(days=day), hours=hours)
        self.both(lambda uow: uow.events.add(made))
        self.events.append(made)

    @rule(data=st.data(), owner=OWNERS)
    def delete_event(self, data, owner):
        chosen = self.pick(data, self.events)
        if chosen is None:
            return

        async def delete(uow):
            current = await uow.events.get(self.owners[owner], chosen.id, for_update=True)
            if current is not None:
                await uow.events.save(current.delete(T0))
            return current is not None
        self.both(delete)

    @rule(data=st.data(), owner=OWNERS, minutes=st.sampled_from([5, 10]), channel=st.sampled_from(["in_app", "webhook"]))
    def add_reminder(self, data, owner, minutes, channel):
        chosen = self.pick(data, [e for e in self.events if e.owner_id == self.owners[owner]])
        if chosen is None:
            return
        made = reminder(self.owners[owner], chosen.id, chosen.start_time - timedelta(minutes=minutes), minutes, channel)
        if self.both(lambda uow: uow.reminders.add(made))[0] == "ok":  # one per (event, offset, channel)
            self.reminders.append(made)

    @rule(data=st.data(), owner=OWNERS)
    def remove_reminder(self, data, owner):
        chosen = self.pick(data, self.reminders)
        if chosen is not None:
            self.both(lambda uow: uow.reminders.remove(self.owners[owner], chosen.id))

    @rule(data=st.data(), owner=OWNERS)
    def add_note(self, data, owner):
        chosen = self.pick(data, [e for e in self.events if e.owner_id == self.owners[owner]])
        if chosen is None:
            return
        made = Note.create(id=new_id(), owner_id=self.owners[owner], event_id=chosen.id, body="note", now=T0)
        self.both(lambda uow: uow.notes.add(made))
        self.notes.append(made)

    @rule(data=st.data(), owner=OWNERS)
    def remove_note(self, data, owner):
        chosen = self.pick(data, self.notes)
        if chosen is not None:
            self.both(lambda uow: uow.notes.remove(self.owners[owner], chosen.id))

    @invariant()
    def same_reads(self):
        if not hasattr(self, "events"):
            return
        for owner in self.owners:
            async def read(uow, owner=owner):
                return (
                    await uow.events.single_page(owner, MARCH, after=None, limit=100),
                    [await uow.events.get(owner, e.id) for e in self.events],
                    [await uow.reminders.get(owner, r.id) for r in self.reminders],
                    [await uow.reminders.for_event(owner, e.id) for e in self.events],
                    [await uow.notes.page(owner, e.id, after=None, limit=100) for e in self.events],
                )
            self.both(read)


class ApiKeyAndImagingMachine(DualStorageMachine):
    def setup(self):
        self.keys, self.generations = [], []

    def pick(self, data, rows):
        return data.draw(st.sampled_from(rows)) if rows else None

    @rule(owner=OWNERS, expires=st.sampled_from([None, -1, 1]))
    def add_key(self, owner, expires):
        made = api_key(self.owners[owner], expires_at=None if expires is None else NOW + timedelta(days=expires))
        self.both(lambda uow: uow.api_keys.add(made))
        self.keys.append(made)

    @rule(data=st.data(), owner=OWNERS)
    def revoke_key(self, data, owner):
        chosen = self.pick(data, self.keys)
        if chosen is None:
            return

        async def revoke(uow):
            current = await uow.api_keys.get(self.owners[owner], chosen.id)
            if current is not None:
                await uow.api_keys.save(current.revoke(NOW))
            return current is not None
        self.both(revoke)

    @rule(data=st.data(), owner=OWNERS, minutes=st.integers(0, 120))
    def touch_key(self, data, owner, minutes):
        chosen = self.pick(data, self.keys)
        if chosen is not None:
            self.both(lambda uow: uow.api_keys.touch(self.owners[owner], chosen.id, NOW + timedelta(minutes=minutes)))

    @rule(data=st.data(), seconds=st.integers(0, 5))
    def add_generation(self, data, seconds):
        chosen = self.pick(data, self.keys)
        if chosen is None:
            return
        made = generation(chosen, at=NOW + timedelta(seconds=seconds))
        self.both(lambda uow: uow.generations.add(made))
        self.generations.append(made)

    @rule(data=st.data(), name=st.sampled_from(["retry-1", "retry-2"]))
    def claim_idempotency_key(self, data, name):
        chosen = self.pick(data, self.keys)
        if chosen is not None:  # (owner, key) is unique: a second claim is refused
            self.both(lambda uow: uow.image_idempotency_keys.add(record(chosen, name)))

    @rule(owner=OWNERS, name=st.sampled_from(["retry-1", "retry-2"]))
    def release_idempotency_key(self, owner, name):
        self.both(lambda uow: uow.image_idempotency_keys.remove(self.owners[owner], name))

    @invariant()
    def same_reads(self):
        if not hasattr(self, "keys"):
            return
        for owner in self.owners:
            async def read(uow, owner=owner):
                return (
                    await uow.api_keys.list(owner), await uow.api_keys.count_usable(owner, NOW),
                    [await uow.api_keys.get(owner, k.id) for k in self.keys],
                    await uow.generations.list(owner, limit=100),
                    [await uow.generations.get(owner, g.id) for g in self.generations],
                    [await uow.image_idempotency_keys.get(owner, name) for name in ("retry-1", "retry-2")],
                )
            self.both(read)


class FitnessMachine(DualStorageMachine):
    def setup(self):
        self.plans, self.meal_plans = [], []

    def pick(self, data, rows):
        return data.draw(st.sampled_from(rows)) if rows else None

    @rule(owner=OWNERS, days_ago=st.integers(0, 400), kg=st.sampled_from([60.0, 70.25, 80.5]))
    def log_weight(self, owner, days_ago, kg):
        made = weight(self.owners[owner], DAY - timedelta(days=days_ago), kg)  # a day's second keeps the first's id
        self.both(lambda uow: uow.weight_entries.put(made))

    @rule(owner=OWNERS, days_ago=st.integers(0, 400), protein=st.sampled_from([None, 95.5]))
    def log_intake(self, owner, days_ago, protein):
        made = intake(self.owners[owner], DAY - timedelta(days=days_ago), 2100.0, protein)
        self.both(lambda uow: uow.intake_logs.put(made))

    @rule(owner=OWNERS)
    def add_plan(self, owner):
        plan, first = workout_plan(self.owners[owner])
        self.both(lambda uow: uow.workout_plans.add(plan, first))
        self.plans.append(plan)

    @rule(data=st.data(), owner=OWNERS)
    def adapt_plan(self, data, owner):
        chosen = self.pick(data, self.plans)
        if chosen is None:
            return

        async def adapt(uow):  # another owner's plan is not found; a version written twice is a conflict
            current = await uow.workout_plans.get(self.owners[owner], chosen.id, for_update=True)
            if current is not None:
                moved, version = next_version(current)
                await uow.workout_plans.add_version(moved, version)
                await uow.workout_plans.add_version(moved, version)
            return current
        self.both(adapt)

    @rule(data=st.data(), owner=OWNERS, days_ago=st.integers(0, 3))
    def log_session(self, data, owner, days_ago):
        chosen = self.pick(data, self.plans)
        if chosen is not None:  # another owner's plan: refused
            made = session(self.owners[owner], chosen.id, DAY - timedelta(days=days_ago))
            self.both(lambda uow: uow.workout_sessions.add(made))

    @rule(data=st.data(), owner=OWNERS, week=st.sampled_from(["2026-W12", "2026-W13"]))
    def claim_week(self, data, owner, week):
        chosen = self.pick(data, self.plans)
        if chosen is not None:
            self.both(lambda uow: uow.workout_plans.claim_week(self.owners[owner], chosen.id, week, T0))

    @rule(data=st.data(), owner=OWNERS)
    def remove_plan(self, data, owner):
        chosen = self.pick(data, self.plans)
        if chosen is not None:
            self.both(lambda uow: uow.workout_plans.remove(self.owners[owner], chosen.id))

    @rule(owner=OWNERS)
    def add_meal_plan(self, owner):
        made = meal_plan(self.owners[owner])
        self.both(lambda uow: uow.meal_plans.add(made))
        self.meal_plans.append(made)

    @rule(data=st.data(), owner=OWNERS)
    def remove_meal_plan(self, data, owner):
        chosen = self.pick(data, self.meal_plans)
        if chosen is not None:
            self.both(lambda uow: uow.meal_plans.remove(self.owners[owner], chosen.id))

    @rule(owner=OWNERS, key=st.sampled_from(["a", "b"]), hours=st.integers(-1, 2))
    def cache(self, owner, key, hours):
        draft = workout_draft() if key == "a" else meal_draft()
        self.both(lambda uow: uow.plan_cache.put(self.owners[owner], key, draft, T0 + timedelta(hours=hours)))

    @rule(owner=OWNERS, limit=st.integers(0, 2))
    def spend_llm(self, owner, limit):
        self.both(lambda uow: uow.llm_usage.spend(self.owners[owner], DAY, limit))

    @invariant()
    def same_reads(self):
        if not hasattr(self, "plans"):
            return
        for owner in self.owners:
            async def read(uow, owner=owner):
                return (
                    await uow.weight_entries.page(owner, before=None, limit=500),
                    await uow.intake_logs.recent(owner, 365), await uow.weight_entries.recent(owner, 365),
                    await uow.workout_plans.page(owner, after=None, limit=100),
                    [await uow.workout_plans.version(owner, p.id, v) for p in self.plans for v in (1, 2, 3)],
                    await uow.workout_plans.due_for_auto_adaptation("2026-W12", 100),
                    await uow.workout_sessions.page(owner, plan_id=None, after=None, limit=100),
                    [await uow.workout_sessions.latest(owner, p.id, 2) for p in self.plans],
                    await uow.meal_plans.page(owner, after=None, limit=100),
                    [await uow.plan_cache.get(owner, key, T0) for key in ("a", "b")],
                    await uow.llm_usage.day(owner, DAY),
                )
            self.both(read)


@pytest.mark.parametrize("machine", [LedgerMachine, CalendarMachine, ApiKeyAndImagingMachine, FitnessMachine],
                         ids=lambda machine: machine.__name__)
def test_memory_and_postgres_agree(machine, session_loop, clean_postgres):
    run_machine(machine.bind(session_loop, clean_postgres))
