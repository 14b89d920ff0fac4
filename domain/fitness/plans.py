"""An owner's fitness records: the profile, weigh-ins and intake, workout plans with their versions and logged
sessions, meal plans, and how each plan was made."""

from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum
from uuid import UUID

from domain.fitness.expenditure import IntakeEntry, WeightEntry
from domain.fitness.meals import MealDraft
from domain.fitness.profile import Profile
from domain.fitness.progression import LoadChange, LoggedSession
from domain.fitness.workout import Split, WorkoutDraft
from domain.shared.errors import Conflict, InvalidValue, NotFound
from domain.shared.text import normalize_text

NAME_MAX = 100
SPLIT_NAMES = {Split.FULL_BODY: "Full body", Split.UPPER_LOWER: "Upper/lower", Split.PUSH_PULL_LEGS: "Push/pull/legs"}


class WorkoutPlanNotFound(NotFound):
    code = "workout_plan_not_found"

    def __init__(self) -> None:
        super().__init__("the workout plan (or that version of it) does not exist")


class MealPlanNotFound(NotFound):
    code = "meal_plan_not_found"

    def __init__(self) -> None:
        super().__init__("the meal plan does not exist")


class FitnessProfileNotFound(NotFound):
    code = "fitness_profile_not_found"

    def __init__(self) -> None:
        super().__init__("the account has no fitness profile yet: PUT /api/v1/fitness-profile")


class FitnessProfileMissing(Conflict):
    code = "fitness_profile_missing"

    def __init__(self) -> None:
        super().__init__("the account has no fitness profile yet: PUT /api/v1/fitness-profile first")


class WorkoutPlanChanged(Conflict):
    """Two changes of one plan raced for its next version; the caller may retry."""

    code = "workout_plan_changed"

    def __init__(self) -> None:
        super().__init__("the workout plan changed meanwhile; read it again and retry")


def unknown_workout_plan(field: str = "plan_id") -> InvalidValue:
    """A plan named in a body that is missing or another owner's."""
    return InvalidValue(field, "is not one of your workout plans", code="unknown_workout_plan")


class Generator(StrEnum):
    RULES = "rules"
    LLM = "llm"


@dataclass(frozen=True, slots=True)
class TokenUsage:
    """What an LLM generation cost: model requests and tokens."""

    requests: int
    input_tokens: int
    output_tokens: int


@dataclass(frozen=True, slots=True)
class Provenance:
    """Which generator made a plan, why the rules answered when the LLM was asked for, and the LLM's usage."""

    generator: Generator
    fallback_reason: str | None = None
    usage: TokenUsage | None = None


@dataclass(frozen=True, slots=True)
class FitnessProfile:
    owner_id: UUID
    profile: Profile
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class WeightRecord:
    """A weigh-in of an owner; one per day (a later one replaces it and keeps its id)."""

    id: UUID
    owner_id: UUID
    entry: WeightEntry
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class IntakeRecord:
    """What an owner ate in a day; one per day (a later one replaces it and keeps its id)."""

    id: UUID
    owner_id: UUID
    entry: IntakeEntry
    created_at: datetime
    updated_at: datetime


class VersionReason(StrEnum):
    GENERATED = "generated"
    SWAP = "swap"
    ADAPTATION = "adaptation"


@dataclass(frozen=True, slots=True)
class WorkoutPlanVersion:
    """One version of a plan's content; versions are numbered from 1 and never change once written."""

    owner_id: UUID
    plan_id: UUID
    version: int
    draft: WorkoutDraft
    reason: VersionReason
    changes: tuple[LoadChange, ...]
    created_at: datetime


@dataclass(frozen=True, slots=True)
class WorkoutPlan:
    """A plan's name and settings; `version` is its current version's number."""

    id: UUID
    owner_id: UUID
    name: str
    version: int
    auto_adapt: bool
    provenance: Provenance
    created_at: datetime
    updated_at: datetime

    @classmethod
    def create(
        cls, *, id: UUID, owner_id: UUID, name: object, draft: WorkoutDraft, auto_adapt: bool,
        provenance: Provenance, now: datetime,
    ) -> "WorkoutPlan":
        """A new plan at version 1; without a name, it is named by its split and length ("Upper/lower, 8 weeks")."""
        default = f"{SPLIT_NAMES[draft.split]}, {draft.weeks} weeks"
        return cls(id, owner_id, check_name(name) or default, 1, auto_adapt, provenance, now, now)

    def renamed(self, name: object, now: datetime) -> "WorkoutPlan":
        checked = check_name(name)
        if checked is None:
            raise InvalidValue("name", f"must be 1-{NAME_MAX} characters")
        return replace(self, name=checked, updated_at=now)

    def next_version(self, now: datetime) -> "WorkoutPlan":
        return replace(self, version=self.version + 1, updated_at=now)


@dataclass(frozen=True, slots=True)
class WorkoutSession:
    """A logged session of one of the owner's plans."""

    id: UUID
    owner_id: UUID
    plan_id: UUID
    logged: LoggedSession
    created_at: datetime


@dataclass(frozen=True, slots=True)
class MealPlan:
    """A meal plan; `version` counts its adaptations (each rebuilds the remaining days)."""

    id: UUID
    owner_id: UUID
    version: int
    draft: MealDraft
    provenance: Provenance
    created_at: datetime
    updated_at: datetime

    def rebuilt(self, draft: MealDraft, provenance: Provenance, now: datetime) -> "MealPlan":
        return replace(self, version=self.version + 1, draft=draft, provenance=provenance, updated_at=now)


def check_name(value: object) -> str | None:
    return normalize_text(value, "name", NAME_MAX)


def iso_week(day: date) -> str:
    """The ISO 8601 week of a day, as 2026-W03."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"

