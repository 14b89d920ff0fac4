"""In-memory fitness repositories, the plan cache and the LLM meter, with the same answers and order as Postgres."""

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Generic, TypeVar, final
from uuid import UUID

from adapters.memory.store import MemoryTransaction, TableSpec
from application.fitness.ports import FitnessProfileRepository, IntakeLogRepository, LlmMeter, MealPlanRepository, PlanCache, WeightEntryRepository, WorkoutPlanRepository, WorkoutSessionRepository
from domain.fitness.expenditure import IntakeEntry, WeightEntry
from domain.fitness.meals import MealDraft
from domain.fitness.plans import (
    FitnessProfile, IntakeRecord, MealPlan, TokenUsage, WeightRecord, WorkoutPlan, WorkoutPlanChanged,
    WorkoutPlanVersion, WorkoutSession, unknown_workout_plan,
)
from domain.fitness.workout import WorkoutDraft


@dataclass(frozen=True, slots=True)
class _Week:
    owner_id: UUID
    plan_id: UUID
    week: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class _Cached:
    owner_id: UUID
    key: str
    draft: WorkoutDraft | MealDraft
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class _Usage:
    owner_id: UUID
    day: date
    plans: int
    usage: TokenUsage


PROFILES: TableSpec[FitnessProfile] = TableSpec("fitness_profiles", primary_key=lambda p: p.owner_id)
WEIGHTS: TableSpec[WeightRecord] = TableSpec("weight_entries", primary_key=lambda r: (r.owner_id, r.entry.day))  # uq_weight_entries_owner_id_day
INTAKES: TableSpec[IntakeRecord] = TableSpec("intake_logs", primary_key=lambda r: (r.owner_id, r.entry.day))  # uq_intake_logs_owner_id_day
PLANS: TableSpec[WorkoutPlan] = TableSpec("workout_plans")
VERSIONS: TableSpec[WorkoutPlanVersion] = TableSpec("workout_plan_versions", primary_key=lambda v: (v.plan_id, v.version))
WEEKS: TableSpec[_Week] = TableSpec("workout_plan_weeks", primary_key=lambda w: (w.plan_id, w.week))
SESSIONS: TableSpec[WorkoutSession] = TableSpec("workout_sessions")
MEAL_PLANS: TableSpec[MealPlan] = TableSpec("meal_plans")
CACHE: TableSpec[_Cached] = TableSpec("fitness_plan_cache", primary_key=lambda c: (c.owner_id, c.key))
LLM_USAGE: TableSpec[_Usage] = TableSpec("fitness_llm_usage", primary_key=lambda u: (u.owner_id, u.day))


C = TypeVar("C", WorkoutPlanVersion, _Week, WorkoutSession)


def _delete_children(tx: MemoryTransaction, spec: TableSpec[C], plan_id: UUID) -> None:
    """ON DELETE CASCADE from workout_plans."""
    for row in list(tx.rows(spec)):
        if row.plan_id == plan_id:
            tx.delete(spec, spec.primary_key(row))


@final
class MemoryFitnessProfileRepository(FitnessProfileRepository):
    def __init__(self, tx: MemoryTransaction) -> None:
        self._tx = tx

    async def get(self, owner_id: UUID) -> FitnessProfile | None:
        found: FitnessProfile | None = self._tx.get(PROFILES, owner_id)
        return found

    async def put(self, profile: FitnessProfile) -> FitnessProfile:
        old = await self.get(profile.owner_id)
        stored = profile if old is None else replace(profile, created_at=old.created_at)
        self._tx.put(PROFILES, stored)
        return stored


R = TypeVar("R", WeightRecord, IntakeRecord)


class _Daily(Generic[R]):
    """One record per owner and day; a later one replaces the weight or intake, keeping id and created_at."""

    def __init__(self, tx: MemoryTransaction, spec: TableSpec[R]) -> None:
        self._tx = tx
        self._spec: TableSpec[R] = spec

    async def put(self, record: R) -> R:
        old: R | None = self._tx.get(self._spec, (record.owner_id, record.entry.day))
        stored = record if old is None else replace(record, id=old.id, created_at=old.created_at)
        self._tx.put(self._spec, stored)
        return stored

    async def page(self, owner_id: UUID, *, before: date | None, limit: int) -> list[R]:
        return [r for r in self._owned(owner_id) if before is None or r.entry.day < before][:limit]

    def _owned(self, owner_id: UUID) -> list[R]:
        return sorted((r for r in self._tx.rows(self._spec) if r.owner_id == owner_id),
                      key=lambda r: r.entry.day, reverse=True)

    def _recent(self, owner_id: UUID, days: int) -> list[R]:
        owned = self._owned(owner_id)
        if not owned:
            return []
        first = owned[0].entry.day - timedelta(days=days - 1)
        return sorted((r for r in owned if r.entry.day >= first), key=lambda r: r.entry.day)


@final
class MemoryWeightEntryRepository(_Daily[WeightRecord], WeightEntryRepository):
    def __init__(self, tx: MemoryTransaction) -> None:
        super().__init__(tx, WEIGHTS)

    async def recent(self, owner_id: UUID, days: int) -> list[WeightEntry]:
        return [record.entry for record in self._recent(owner_id, days)]


@final
class MemoryIntakeLogRepository(_Daily[IntakeRecord], IntakeLogRepository):
    def __init__(self, tx: MemoryTransaction) -> None:
        super().__init__(tx, INTAKES)

    async def recent(self, owner_id: UUID, days: int) -> list[IntakeEntry]:
        return [record.entry for record in self._recent(owner_id, days)]


@final
class MemoryWorkoutPlanRepository(WorkoutPlanRepository):
    def __init__(self, tx: MemoryTransaction) -> None:
        self._tx = tx

    async def add(self, plan: WorkoutPlan, first: WorkoutPlanVersion) -> None:
        self._tx.put(PLANS, plan)
        self._tx.put(VERSIONS, first)

    async def get(self, owner_id: UUID, plan_id: UUID, *, for_update: bool = False) -> WorkoutPlan | None:
        plan: WorkoutPlan | None = self._tx.get(PLANS, plan_id)
        return plan if plan is not None and plan.owner_id == owner_id else None

    async def version(self, owner_id: UUID, plan_id: UUID, version: int) -> WorkoutPlanVersion | None:
        found: WorkoutPlanVersion | None = self._tx.get(VERSIONS, (plan_id, version))
        return found if found is not None and found.owner_id == owner_id else None

    async def with_version(
        self, owner_id: UUID, plan_id: UUID, version: int | None = None,
    ) -> tuple[WorkoutPlan, WorkoutPlanVersion] | None:
        plan = await self.get(owner_id, plan_id)
        found = None if plan is None else await self.version(
            owner_id, plan_id, plan.version if version is None else version)
        return None if plan is None or found is None else (plan, found)

    async def add_version(self, plan: WorkoutPlan, version: WorkoutPlanVersion) -> None:
        if self._tx.get(VERSIONS, (version.plan_id, version.version)) is not None:
            raise WorkoutPlanChanged()
        self._tx.put(VERSIONS, version)
        await self.save(plan)

    async def save(self, plan: WorkoutPlan) -> None:
        if await self.get(plan.owner_id, plan.id) is not None:
            self._tx.put(PLANS, plan)

    async def page(self, owner_id: UUID, *, after: UUID | None, limit: int) -> list[WorkoutPlan]:
        owned = sorted((p for p in self._tx.rows(PLANS) if p.owner_id == owner_id), key=lambda p: p.id)
        return [p for p in owned if after is None or p.id > after][:limit]

    async def remove(self, owner_id: UUID, plan_id: UUID) -> bool:
        if await self.get(owner_id, plan_id) is None:
            return False
        _delete_children(self._tx, VERSIONS, plan_id)
        _delete_children(self._tx, WEEKS, plan_id)
        _delete_children(self._tx, SESSIONS, plan_id)
        return self._tx.delete(PLANS, plan_id)

    async def due_for_auto_adaptation(self, week: str, limit: int) -> list[tuple[UUID, UUID]]:
        due = sorted((p for p in self._tx.rows(PLANS)
                      if p.auto_adapt and self._tx.get(WEEKS, (p.id, week)) is None), key=lambda p: p.id)
        return [(p.owner_id, p.id) for p in due[:limit]]

    async def claim_week(self, owner_id: UUID, plan_id: UUID, week: str, now: datetime) -> bool:
        if self._tx.get(WEEKS, (plan_id, week)) is not None or await self.get(owner_id, plan_id) is None:
            return False
        self._tx.put(WEEKS, _Week(owner_id, plan_id, week, now))
        return True


def _id(row: WorkoutSession) -> UUID:
    return row.id


@final
class MemoryWorkoutSessionRepository(WorkoutSessionRepository):
    def __init__(self, tx: MemoryTransaction) -> None:
        self._tx = tx

    async def add(self, session: WorkoutSession) -> None:
        plan = self._tx.get(PLANS, session.plan_id)
        if plan is None or plan.owner_id != session.owner_id:  # the (owner_id, plan_id) foreign key
            raise unknown_workout_plan("plan_id")
        self._tx.put(SESSIONS, session)

    async def page(
        self, owner_id: UUID, *, plan_id: UUID | None, after: UUID | None, limit: int,
    ) -> list[WorkoutSession]:
        rows = sorted((s for s in self._tx.rows(SESSIONS) if s.owner_id == owner_id
                       and (plan_id is None or s.plan_id == plan_id) and (after is None or s.id > after)),
                      key=_id)
        return rows[:limit]

    async def latest(self, owner_id: UUID, plan_id: UUID, limit: int) -> list[WorkoutSession]:
        rows = [s for s in self._tx.rows(SESSIONS) if s.owner_id == owner_id and s.plan_id == plan_id]
        return sorted(rows, key=lambda s: (s.logged.performed_on, s.id), reverse=True)[:limit]


@final
class MemoryMealPlanRepository(MealPlanRepository):
    def __init__(self, tx: MemoryTransaction) -> None:
        self._tx = tx

    async def add(self, plan: MealPlan) -> None:
        self._tx.put(MEAL_PLANS, plan)

    async def get(self, owner_id: UUID, plan_id: UUID, *, for_update: bool = False) -> MealPlan | None:
        plan: MealPlan | None = self._tx.get(MEAL_PLANS, plan_id)
        return plan if plan is not None and plan.owner_id == owner_id else None

    async def save(self, plan: MealPlan) -> None:
        if await self.get(plan.owner_id, plan.id) is not None:
            self._tx.put(MEAL_PLANS, plan)

    async def page(self, owner_id: UUID, *, after: UUID | None, limit: int) -> list[MealPlan]:
        owned = sorted((p for p in self._tx.rows(MEAL_PLANS) if p.owner_id == owner_id), key=lambda p: p.id)
        return [p for p in owned if after is None or p.id > after][:limit]

    async def remove(self, owner_id: UUID, plan_id: UUID) -> bool:
        return await self.get(owner_id, plan_id) is not None and self._tx.delete(MEAL_PLANS, plan_id)


@final
class MemoryPlanCache(PlanCache):
    def __init__(self, tx: MemoryTransaction) -> None:
        self._tx = tx

    async def get(self, owner_id: UUID, key: str, now: datetime) -> WorkoutDraft | MealDraft | None:
        found: _Cached | None = self._tx.get(CACHE, (owner_id, key))
        return None if found is None or found.expires_at <= now else found.draft

    async def put(self, owner_id: UUID, key: str, draft: WorkoutDraft | MealDraft, expires_at: datetime) -> None:
        self._tx.put(CACHE, _Cached(owner_id, key, draft, expires_at))

    async def purge(self, now: datetime) -> int:
        expired = [(row.owner_id, row.key) for row in self._tx.rows(CACHE) if row.expires_at <= now]
        for key in expired:
            self._tx.delete(CACHE, key)
        return len(expired)


_NO_USAGE = TokenUsage(0, 0, 0)


@final
class MemoryLlmMeter(LlmMeter):
    def __init__(self, tx: MemoryTransaction) -> None:
        self._tx = tx

    async def spend(self, owner_id: UUID, day: date, limit: int) -> bool:
        row: _Usage | None = self._tx.get(LLM_USAGE, (owner_id, day))
        plans = 0 if row is None else row.plans
        if plans + 1 > limit:
            return False
        self._tx.put(LLM_USAGE, _Usage(owner_id, day, plans + 1, _NO_USAGE if row is None else row.usage))
        return True

    async def record(self, owner_id: UUID, day: date, usage: TokenUsage) -> None:
        row: _Usage | None = self._tx.get(LLM_USAGE, (owner_id, day))
        before = _Usage(owner_id, day, 0, _NO_USAGE) if row is None else row
        total = TokenUsage(before.usage.requests + usage.requests, before.usage.input_tokens + usage.input_tokens,
                           before.usage.output_tokens + usage.output_tokens)
        self._tx.put(LLM_USAGE, replace(before, usage=total))

    async def day(self, owner_id: UUID, day: date) -> tuple[int, TokenUsage]:
        row: _Usage | None = self._tx.get(LLM_USAGE, (owner_id, day))
        return (0, _NO_USAGE) if row is None else (row.plans, row.usage)
