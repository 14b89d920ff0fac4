"""Fitness rows for the contract tests and the state machine: plans from the rules generator, logs, sessions."""

from datetime import UTC, date, datetime
from functools import cache
from uuid import UUID

from adapters.fitness.catalogue import load_catalogue
from domain.fitness.energy import energy_targets
from domain.fitness.expenditure import IntakeEntry, WeightEntry
from domain.fitness.meal_planner import plan_meals
from domain.fitness.meals import MealDraft, MealRequest
from domain.fitness.plans import (
    FitnessProfile, Generator, IntakeRecord, MealPlan, Provenance, TokenUsage, VersionReason, WeightRecord,
    WorkoutPlan, WorkoutPlanVersion, WorkoutSession,
)
from domain.fitness.profile import Profile
from domain.fitness.progression import LoadChange, LoggedSession, LoggedSet
from domain.fitness.workout import WorkoutDraft, WorkoutRequest
from domain.fitness.workout_rules import generate_workout
from tests.factories import new_id

T0 = datetime(2026, 3, 16, 9, tzinfo=UTC)
DAY = date(2026, 3, 16)


@cache
def profile() -> Profile:
    return Profile.create(
        today=DAY, food_ids=load_catalogue().food_ids(), sex="female", birth_date=date(1990, 5, 1), height_cm=168.5,
        weight_kg=65.3, activity_level="moderate", goal="lose", weekly_rate_kg=None, experience="intermediate",
        equipment=["barbell", "dumbbell"], training_days_per_week=4, session_minutes=60, diet="pescatarian",
        excluded_foods=["egg"], meals_per_day=4,
    )


@cache
def workout_draft() -> WorkoutDraft:
    return generate_workout(profile(), WorkoutRequest(6), load_catalogue())


@cache
def meal_draft() -> MealDraft:
    return plan_meals(profile(), energy_targets(profile(), DAY), MealRequest(2, DAY), load_catalogue())


def fitness_profile(owner_id: UUID) -> FitnessProfile:
    return FitnessProfile(owner_id, profile(), T0, T0)


def weight(owner_id: UUID, day: date, kg: float) -> WeightRecord:
    return WeightRecord(new_id(), owner_id, WeightEntry(day, kg), T0, T0)


def intake(owner_id: UUID, day: date, kcal: float, protein: float | None = None) -> IntakeRecord:
    return IntakeRecord(new_id(), owner_id, IntakeEntry(day, kcal, protein), T0, T0)


LLM = Provenance(Generator.LLM, None, TokenUsage(2, 1234, 567))
FALLBACK = Provenance(Generator.RULES, "the model did not answer within 60 s", TokenUsage(1, 10, 0))


def workout_plan(owner_id: UUID, provenance: Provenance = LLM) -> tuple[WorkoutPlan, WorkoutPlanVersion]:
    plan = WorkoutPlan.create(id=new_id(), owner_id=owner_id, name=None, draft=workout_draft(), auto_adapt=True,
                              provenance=provenance, now=T0)
    return plan, WorkoutPlanVersion(owner_id, plan.id, 1, workout_draft(), VersionReason.GENERATED, (), T0)


def next_version(plan: WorkoutPlan) -> tuple[WorkoutPlan, WorkoutPlanVersion]:
    moved = plan.next_version(T0)
    change = LoadChange(1, workout_draft().days[0].exercises[0].exercise_id, None, 42.5, "every set reached rep_max")
    return moved, WorkoutPlanVersion(plan.owner_id, plan.id, moved.version, workout_draft(),
                                     VersionReason.ADAPTATION, (change,), T0)


def session(owner_id: UUID, plan_id: UUID, performed_on: date = DAY) -> WorkoutSession:
    exercise = workout_draft().days[0].exercises[0].exercise_id
    logged = LoggedSession(1, performed_on, 1, (LoggedSet(exercise, 10, 42.5, 2), LoggedSet(exercise, 8, 42.5)))
    return WorkoutSession(new_id(), owner_id, plan_id, logged, T0)


def meal_plan(owner_id: UUID) -> MealPlan:
    return MealPlan(new_id(), owner_id, 1, meal_draft(), FALLBACK, T0, T0)
