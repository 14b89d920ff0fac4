"""Routes on the exercise catalogue (free-exercise-db): the same for every logged-in account."""

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from application.fitness.catalogue import GetExercise, ListExercises
from domain.fitness.catalogue import Exercise
from domain.fitness.search import QUERY_MAX
from entrypoints.api.dependencies import Caller, use
from entrypoints.api.fitness.fields import CatalogueId, Limit
from entrypoints.api.problems import responses
from entrypoints.api.routing import PrefixRoute
from entrypoints.api.types import Cursor, Page
from entrypoints.container.fitness import Fitness

router = APIRouter(prefix="/api/v1", tags=["fitness"], route_class=PrefixRoute)


class ExerciseOut(BaseModel):
    id: str
    name: str
    level: str
    equipment: str | None
    primary_muscles: list[str]
    secondary_muscles: list[str]
    mechanic: str | None
    force: str | None
    category: str
    instructions: list[str]


class ExercisePage(Page[ExerciseOut]):
    pass


def exercise_out(e: Exercise) -> ExerciseOut:
    return ExerciseOut(id=e.id, name=e.name, level=e.level, equipment=e.equipment,
                       primary_muscles=list(e.primary_muscles), secondary_muscles=list(e.secondary_muscles),
                       mechanic=e.mechanic, force=e.force, category=e.category, instructions=list(e.instructions))


Text = Annotated[str | None, Query(max_length=QUERY_MAX)]


@router.get("/exercises", response_model=ExercisePage, responses=responses(401, 422))
async def list_exercises(
    caller: Caller, muscle: Text = None,
    equipment: Annotated[str | None, Query(max_length=QUERY_MAX, description="free-exercise-db's name, or none")] = None,
    level: Text = None, q: Text = None, cursor: Cursor = None, limit: Limit = 50,
    list_: ListExercises = use(Fitness.list_exercises),
) -> ExercisePage:
    """Catalogue exercises by id: `muscle` (a primary muscle), `equipment` (`none`: no equipment), `level`
    (beginner, intermediate, expert), `q` (in the name)."""
    page = await list_(muscle=muscle, equipment=equipment, level=level, q=q, cursor=cursor, limit=limit)
    return ExercisePage(items=[exercise_out(e) for e in page.items], next_cursor=page.next_cursor)


@router.get("/exercises/{exercise_id}", response_model=ExerciseOut, responses=responses(401, 404, 422))
async def get_exercise(exercise_id: CatalogueId, caller: Caller,
                       get: GetExercise = use(Fitness.get_exercise)) -> ExerciseOut:
    """One catalogue exercise."""
    return exercise_out(await get(exercise_id))
