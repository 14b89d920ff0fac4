"""Routes on logged workout sessions."""

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from application.fitness.sessions import ListWorkoutSessions, LogWorkoutSession
from domain.fitness.plans import WorkoutSession
from domain.fitness.progression import REPS_MAX, RIR_MAX, SETS_PER_SESSION_MAX
from domain.fitness.workout import LOAD_KG_MAX
from entrypoints.api.dependencies import Caller, use
from entrypoints.api.fitness.fields import Limit
from entrypoints.api.problems import responses
from entrypoints.api.routing import PrefixRoute
from entrypoints.api.types import Cursor, IsoDate, JsonInteger, Page, Strict
from entrypoints.container.fitness import Fitness

router = APIRouter(prefix="/api/v1", tags=["fitness"], route_class=PrefixRoute)


class SetIn(Strict):
    exercise_id: Annotated[str, Field(min_length=1, max_length=100)]
    reps: Annotated[int, Field(ge=0, le=REPS_MAX), JsonInteger]
    weight_kg: Annotated[float, Field(strict=True, ge=0, le=LOAD_KG_MAX, description="0 for bodyweight")]
    rir: Annotated[int | None, Field(ge=0, le=RIR_MAX), JsonInteger] = None


class WorkoutSessionIn(Strict):
    plan_id: UUID
    day: Annotated[int, Field(ge=1, le=6, description="the plan's training day"), JsonInteger]
    performed_on: IsoDate = Field(description="no later than today, in the account's time zone")
    sets: Annotated[list[SetIn], Field(min_length=1, max_length=SETS_PER_SESSION_MAX)]


class SetOut(BaseModel):
    exercise_id: str
    reps: int
    weight_kg: float
    rir: int | None


class WorkoutSessionOut(BaseModel):
    id: UUID
    plan_id: UUID
    plan_version: int = Field(description="the plan version current when it was logged")
    day: int
    performed_on: date
    sets: list[SetOut]
    created_at: datetime


class WorkoutSessionPage(Page[WorkoutSessionOut]):
    pass


def session_out(s: WorkoutSession) -> WorkoutSessionOut:
    logged = s.logged
    return WorkoutSessionOut(
        id=s.id, plan_id=s.plan_id, plan_version=logged.plan_version, day=logged.day,
        performed_on=logged.performed_on, created_at=s.created_at,
        sets=[SetOut(exercise_id=x.exercise_id, reps=x.reps, weight_kg=x.weight_kg, rir=x.rir) for x in logged.sets])


@router.post("/workout-sessions", status_code=201, response_model=WorkoutSessionOut, responses=responses(401, 422))
async def log_workout_session(body: WorkoutSessionIn, caller: Caller,
                              log: LogWorkoutSession = use(Fitness.log_workout_session)) -> WorkoutSessionOut:
    """Log what you did on a day of one of your plans (422 `unknown_workout_plan` for a plan that is not yours)."""
    return session_out(await log(caller.account_id, plan_id=body.plan_id, day=body.day,
                                 performed_on=body.performed_on, sets=[s.model_dump() for s in body.sets]))


@router.get("/workout-sessions", response_model=WorkoutSessionPage, responses=responses(401, 422))
async def list_workout_sessions(
    caller: Caller, plan_id: Annotated[UUID | None, Query(description="only this plan's")] = None,
    cursor: Cursor = None, limit: Limit = 50, list_: ListWorkoutSessions = use(Fitness.list_workout_sessions),
) -> WorkoutSessionPage:
    """Your logged sessions, oldest logged first."""
    page = await list_(caller.account_id, plan_id=plan_id, cursor=cursor, limit=limit)
    return WorkoutSessionPage(items=[session_out(s) for s in page.items], next_cursor=page.next_cursor)
