"""Ports of the fitness context: its repositories, the plan cache, the LLM meter and the plan generators."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Generic, Protocol, TypeVar
from uuid import UUID

from application.identity.ports import AccountRepository
from application.shared.unit_of_work import UnitOfWork
from domain.fitness.catalogue import Catalogue
from domain.fitness.energy import Energy
from domain.fitness.expenditure import IntakeEntry, WeightEntry
from domain.fitness.meals import MealDraft, MealRequest
from domain.fitness.plans import (
    FitnessProfile, IntakeRecord, MealPlan, TokenUsage, WeightRecord, WorkoutPlan, WorkoutPlanVersion,
    WorkoutSession,
)
from domain.fitness.profile import Profile
from domain.fitness.workout import WorkoutDraft, WorkoutRequest

D = TypeVar("D", WorkoutDraft, MealDraft)


class FitnessProfileRepository(Protocol):
    """One profile per owner."""

    async def get(self, owner_id: UUID) -> FitnessProfile | None: ...

    async def put(self, profile: FitnessProfile) -> FitnessProfile:
        """Add or replace the owner's profile, keeping the first one's created_at; return what is stored."""
        ...


class WeightEntryRepository(Protocol):
    """An owner's weigh-ins, one per day: (owner_id, day) unique (uq_weight_entries_owner_id_day)."""

    async def put(self, record: WeightRecord) -> WeightRecord:
        """Add the day's entry, or replace the weight of the one the owner has that day (keeping its id and
        created_at); return what is stored."""
        ...

    async def page(self, owner_id: UUID, *, before: date | None, limit: int) -> list[WeightRecord]:
        """Up to `limit` entries, newest day first, strictly before `before`."""
        ...

    async def recent(self, owner_id: UUID, days: int) -> list[WeightEntry]:
        """The entries of the `days` days ending at the owner's latest one, by day (at most `days`)."""
        ...


class IntakeLogRepository(Protocol):
    """An owner's daily intake, one per day: (owner_id, day) unique (uq_intake_logs_owner_id_day)."""

    async def put(self, record: IntakeRecord) -> IntakeRecord:
        """As WeightEntryRepository.put."""
        ...

    async def page(self, owner_id: UUID, *, before: date | None, limit: int) -> list[IntakeRecord]: ...

    async def recent(self, owner_id: UUID, days: int) -> list[IntakeEntry]: ...


class WorkoutPlanRepository(Protocol):
    """An owner's workout plans with every version, and the ISO weeks each was adapted automatically in."""

    async def add(self, plan: WorkoutPlan, first: WorkoutPlanVersion) -> None: ...

    async def get(self, owner_id: UUID, plan_id: UUID, *, for_update: bool = False) -> WorkoutPlan | None:
        """The plan; `for_update` holds it against other changes until the transaction ends."""
        ...

    async def version(self, owner_id: UUID, plan_id: UUID, version: int) -> WorkoutPlanVersion | None: ...

    async def with_version(
        self, owner_id: UUID, plan_id: UUID, version: int | None = None,
    ) -> tuple[WorkoutPlan, WorkoutPlanVersion] | None:
        """The plan and its `version` (the current one when None) in one read; None when either is missing."""
        ...

    async def add_version(self, plan: WorkoutPlan, version: WorkoutPlanVersion) -> None:
        """Save the plan (now at `version.version`) and its new version; WorkoutPlanChanged if that version exists."""
        ...

    async def save(self, plan: WorkoutPlan) -> None:
        """Save the name and settings (not the version)."""
        ...

    async def page(self, owner_id: UUID, *, after: UUID | None, limit: int) -> list[WorkoutPlan]:
        """Up to `limit` plans, oldest first (by id), strictly after `after`."""
        ...

    async def remove(self, owner_id: UUID, plan_id: UUID) -> bool:
        """Delete the plan, its versions, sessions and adaptation weeks; False when the owner has no such plan."""
        ...

    async def due_for_auto_adaptation(self, week: str, limit: int) -> list[tuple[UUID, UUID]]:
        """(owner_id, plan_id) of up to `limit` auto-adapting plans of every owner not yet adapted in `week`."""
        ...

    async def claim_week(self, owner_id: UUID, plan_id: UUID, week: str, now: datetime) -> bool:
        """Record that the plan is adapted automatically in `week`; False if that was recorded already (also by
        another worker, once its transaction commits)."""
        ...


class WorkoutSessionRepository(Protocol):
    """Logged sessions; `add` refuses a plan that is not the owner's (unknown_workout_plan on plan_id)."""

    async def add(self, session: WorkoutSession) -> None: ...

    async def page(
        self, owner_id: UUID, *, plan_id: UUID | None, after: UUID | None, limit: int,
    ) -> list[WorkoutSession]:
        """Up to `limit` sessions (of one plan, if given), oldest logged first (by id), strictly after `after`."""
        ...

    async def latest(self, owner_id: UUID, plan_id: UUID, limit: int) -> list[WorkoutSession]:
        """The plan's `limit` most recently performed sessions (performed_on, then id, descending)."""
        ...


class MealPlanRepository(Protocol):
    async def add(self, plan: MealPlan) -> None: ...

    async def get(self, owner_id: UUID, plan_id: UUID, *, for_update: bool = False) -> MealPlan | None: ...

    async def save(self, plan: MealPlan) -> None: ...

    async def page(self, owner_id: UUID, *, after: UUID | None, limit: int) -> list[MealPlan]:
        """Up to `limit` plans, oldest first (by id), strictly after `after`."""
        ...

    async def remove(self, owner_id: UUID, plan_id: UUID) -> bool: ...


class PlanCache(Protocol):
    """Generated drafts by an owner and a generation key (domain/fitness/cache_key.py), until they expire."""

    async def get(self, owner_id: UUID, key: str, now: datetime) -> WorkoutDraft | MealDraft | None:
        """The draft stored under the key, unless it expired at or before `now`."""
        ...

    async def put(self, owner_id: UUID, key: str, draft: WorkoutDraft | MealDraft, expires_at: datetime) -> None:
        """Store (or replace) the draft under the key."""
        ...

    async def purge(self, now: datetime) -> int:
        """Delete every owner's expired drafts; return how many."""
        ...


class LlmMeter(Protocol):
    """LLM generations and tokens per owner and UTC day."""

    async def spend(self, owner_id: UUID, day: date, limit: int) -> bool:
        """Count one generation if fewer than `limit` were counted that day (one guarded statement)."""
        ...

    async def record(self, owner_id: UUID, day: date, usage: TokenUsage) -> None:
        """Add a generation's requests and tokens to the day's totals."""
        ...

    async def day(self, owner_id: UUID, day: date) -> tuple[int, TokenUsage]:
        """The day's generations and totals (0 and zeros when none)."""
        ...


class FitnessUnitOfWork(UnitOfWork, Protocol):
    accounts: AccountRepository
    fitness_profiles: FitnessProfileRepository
    weight_entries: WeightEntryRepository
    intake_logs: IntakeLogRepository
    workout_plans: WorkoutPlanRepository
    workout_sessions: WorkoutSessionRepository
    meal_plans: MealPlanRepository
    plan_cache: PlanCache
    llm_usage: LlmMeter


@dataclass(frozen=True, slots=True)
class Drafted(Generic[D]):
    """A generator's draft and, for an LLM, what it cost."""

    draft: D
    usage: TokenUsage | None = None


class GenerationFailed(Exception):
    """A generator gave no valid draft (it failed, timed out or was unreachable); `reason` is safe to show."""

    def __init__(self, reason: str, usage: TokenUsage | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.usage = usage


class PlanGenerator(Protocol):
    """Writes workout and meal drafts. `name` is "rules" or "llm"; a version changes whenever its drafts may."""

    @property
    def name(self) -> str: ...

    def version(self, kind: str) -> str:
        """The version of its `workout` or `meals` drafts."""
        ...

    async def workout(self, profile: Profile, request: WorkoutRequest, catalogue: Catalogue) -> Drafted[WorkoutDraft]:
        """A draft for the profile (PlanInfeasible when the rules can make none; GenerationFailed)."""
        ...

    async def meals(
        self, profile: Profile, energy: Energy, request: MealRequest, catalogue: Catalogue,
    ) -> Drafted[MealDraft]:
        """A draft for the profile's targets (PlanInfeasible when the rules can make none; GenerationFailed)."""
        ...
