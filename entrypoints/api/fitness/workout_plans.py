"""Routes on the caller's workout plans: generate, read any version, rename or swap, adapt, delete."""

from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field, StrictBool

from application.fitness.workouts import (
    AdaptWorkoutPlan, CreateWorkoutPlan, DeleteWorkoutPlan, GetWorkoutPlan, ListWorkoutPlans, Swap,
    UpdateWorkoutPlan, WorkoutPlanView,
)
from domain.fitness.plans import NAME_MAX, WorkoutPlan
from domain.fitness.workout import DEFAULT_WEEKS, WEEKS
from entrypoints.api.dependencies import Caller, use
from entrypoints.api.fitness.fields import Limit, UsageOut
from entrypoints.api.problems import responses
from entrypoints.api.routing import PrefixRoute
from entrypoints.api.types import Cursor, JsonInteger, Page, Strict, no_content
from entrypoints.container.fitness import Fitness

router = APIRouter(prefix="/api/v1", tags=["fitness"], route_class=PrefixRoute)

Name = Annotated[str, Field(min_length=1, max_length=NAME_MAX)]
ExerciseId = Annotated[str, Field(min_length=1, max_length=100)]


class WorkoutPlanIn(Strict):
    name: Name | None = Field(None, description="default: the split and length, like 'Upper/lower, 8 weeks'")
    weeks: Annotated[int, Field(ge=WEEKS[0], le=WEEKS[1]), JsonInteger] = DEFAULT_WEEKS
    auto_adapt: StrictBool = Field(False, description="adapt the plan once a week by itself (ISO weeks, UTC)")


class SwapIn(Strict):
    day: Annotated[int, Field(ge=1, le=6), JsonInteger]
    exercise_id: ExerciseId
    replacement_id: ExerciseId = Field(description="a catalogue exercise (GET /exercises)")


class WorkoutPlanPatch(Strict):
    """Rename, switch automatic adaptation, or swap one exercise (a swap makes the next version)."""

    name: Name | None = None
    auto_adapt: StrictBool | None = None
    swap: SwapIn | None = None


class PrescriptionOut(BaseModel):
    exercise_id: str
    name: str
    sets: int
    deload_sets: int = Field(description="sets in a deload week")
    rep_min: int
    rep_max: int
    rir: int = Field(description="reps in reserve")
    rest_seconds: int
    load_kg: float | None


class DayOut(BaseModel):
    day: int
    focus: str
    exercises: list[PrescriptionOut]


class LoadChangeOut(BaseModel):
    day: int
    exercise_id: str
    from_kg: float | None
    to_kg: float
    reason: str


class WorkoutPlanOut(BaseModel):
    id: UUID
    name: str
    version: int = Field(description="the version shown; `current_version` is the newest")
    current_version: int
    auto_adapt: bool
    generator: str = Field(description="rules or llm")
    fallback_reason: str | None = Field(description="why the rules answered when the LLM was asked")
    usage: UsageOut | None = Field(description="the LLM's requests and tokens, when it was asked")
    split: str
    weeks: int
    deload_weeks: list[int]
    days: list[DayOut]
    weekly_sets_by_muscle: dict[str, float]
    reason: str = Field(description="what made this version: generated, swap or adaptation")
    changes: list[LoadChangeOut] = Field(description="the loads this version moved")
    created_at: datetime
    updated_at: datetime


class WorkoutPlanSummary(BaseModel):
    id: UUID
    name: str
    version: int
    auto_adapt: bool
    generator: str
    created_at: datetime
    updated_at: datetime


class WorkoutPlanPage(Page[WorkoutPlanSummary]):
    pass


def plan_out(view: WorkoutPlanView) -> WorkoutPlanOut:
    """The plan at the version shown; days, exercises, usage and load changes read from the domain objects'
    attributes in one validation."""
    plan, version, draft = view.plan, view.version, view.version.draft
    return WorkoutPlanOut.model_validate({
        "id": plan.id, "name": plan.name, "version": version.version, "current_version": plan.version,
        "auto_adapt": plan.auto_adapt, "generator": plan.provenance.generator,
        "fallback_reason": plan.provenance.fallback_reason, "usage": plan.provenance.usage, "split": draft.split,
        "weeks": draft.weeks, "deload_weeks": draft.deload_weeks, "days": draft.days,
        "weekly_sets_by_muscle": draft.weekly_sets_by_muscle, "reason": version.reason, "changes": version.changes,
        "created_at": plan.created_at, "updated_at": plan.updated_at,
    }, from_attributes=True)


def summary_out(plan: WorkoutPlan) -> WorkoutPlanSummary:
    return WorkoutPlanSummary(id=plan.id, name=plan.name, version=plan.version, auto_adapt=plan.auto_adapt,
                              generator=plan.provenance.generator, created_at=plan.created_at,
                              updated_at=plan.updated_at)


@router.post("/workout-plans", status_code=201, response_model=WorkoutPlanOut, responses=responses(401, 409, 422))
async def create_workout_plan(body: WorkoutPlanIn, caller: Caller,
                              create: CreateWorkoutPlan = use(Fitness.create_workout_plan)) -> WorkoutPlanOut:
    """Generate a plan for your profile (409 without one; 422 `plan_infeasible` naming the profile field that
    stops every plan)."""
    return plan_out(await create(caller.account_id, name=body.name, weeks=body.weeks, auto_adapt=body.auto_adapt))


@router.get("/workout-plans", response_model=WorkoutPlanPage, responses=responses(401, 422))
async def list_workout_plans(caller: Caller, cursor: Cursor = None, limit: Limit = 50,
                             list_: ListWorkoutPlans = use(Fitness.list_workout_plans)) -> WorkoutPlanPage:
    """Your plans, oldest first (each at its current version; GET one for its days)."""
    page = await list_(caller.account_id, cursor=cursor, limit=limit)
    return WorkoutPlanPage(items=[summary_out(p) for p in page.items], next_cursor=page.next_cursor)


@router.get("/workout-plans/{workout_plan_id:uuid}", response_model=WorkoutPlanOut,
            responses=responses(401, 404, 422))
async def get_workout_plan(
    workout_plan_id: UUID, caller: Caller,
    version: Annotated[int | None, Query(ge=1, le=2**31 - 1, description="default: the current version")] = None,
    get: GetWorkoutPlan = use(Fitness.get_workout_plan),
) -> WorkoutPlanOut:
    """One of your plans, at its current version or any earlier one."""
    return plan_out(await get(caller.account_id, workout_plan_id, version=version))


@router.patch("/workout-plans/{workout_plan_id:uuid}", response_model=WorkoutPlanOut,
              responses=responses(401, 404, 409, 422))
async def update_workout_plan(workout_plan_id: UUID, body: WorkoutPlanPatch, caller: Caller,
                              update: UpdateWorkoutPlan = use(Fitness.update_workout_plan)) -> WorkoutPlanOut:
    """Rename the plan, switch `auto_adapt`, or swap one exercise of a day for another from the catalogue (the next
    version; 422 naming the field when the swap breaks a rule the plan kept)."""
    swap = None if body.swap is None else Swap(body.swap.day, body.swap.exercise_id, body.swap.replacement_id)
    return plan_out(await update(caller.account_id, workout_plan_id, name=body.name, auto_adapt=body.auto_adapt,
                                 swap=swap))


@router.delete("/workout-plans/{workout_plan_id:uuid}", status_code=204, response_class=Response,
               responses=responses(401, 404))
async def delete_workout_plan(workout_plan_id: UUID, caller: Caller,
                              delete: DeleteWorkoutPlan = use(Fitness.delete_workout_plan)) -> Response:
    """Delete a plan with its versions and logged sessions."""
    await delete(caller.account_id, workout_plan_id)
    return no_content()


@router.post("/workout-plans/{workout_plan_id:uuid}/adaptations", status_code=201, response_model=WorkoutPlanOut,
             responses=responses(401, 404, 409))
async def adapt_workout_plan(workout_plan_id: UUID, caller: Caller,
                             adapt: AdaptWorkoutPlan = use(Fitness.adapt_workout_plan)) -> WorkoutPlanOut:
    """The plan's next version by double progression over its logged sessions: +2.5 kg (upper body) or +5 kg (lower
    body) when every set of the last session reached rep_max, -10 % after three sessions below rep_min."""
    return plan_out(await adapt(caller.account_id, workout_plan_id))
