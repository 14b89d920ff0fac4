"""Reading the exercise and food catalogue: the same for every account."""

from dataclasses import dataclass

from application.shared.pages import DEFAULT_LIMIT, Page, check_limit, decode_cursor, encode_cursor
from domain.fitness.catalogue import Catalogue, Exercise, Food
from domain.fitness.search import ExerciseQuery, FoodQuery, find_exercises, find_foods
from domain.shared.errors import NotFound


class ExerciseNotFound(NotFound):
    code = "exercise_not_found"

    def __init__(self) -> None:
        super().__init__("the catalogue has no such exercise")


class FoodNotFound(NotFound):
    code = "food_not_found"

    def __init__(self) -> None:
        super().__init__("the catalogue has no such food")


def _after(cursor: str | None, kind: str) -> str | None:
    """The id a cursor of this list continues after; a cursor of the other list is not one of this list."""
    if cursor is None:
        return None

    def position(cursor_kind: str, item_id: str) -> str:
        if cursor_kind != kind:
            raise ValueError(cursor_kind)
        return item_id

    return decode_cursor(cursor, position)


def _next(next_after: str | None, kind: str) -> str | None:
    return None if next_after is None else encode_cursor((kind, next_after))


@dataclass
class ListExercises:
    """Catalogue exercises by id matching every filter given (`muscle` a primary muscle, `equipment`, `level`,
    `q` in the name), `limit` at a time."""

    catalogue: Catalogue

    async def __call__(
        self, *, muscle: str | None = None, equipment: str | None = None, level: str | None = None,
        q: str | None = None, cursor: str | None = None, limit: int = DEFAULT_LIMIT,
    ) -> Page[Exercise]:
        check_limit(limit)
        query = ExerciseQuery.create(muscle=muscle, equipment=equipment, level=level, q=q)
        found = find_exercises(self.catalogue.exercises, query, _after(cursor, "exercise"), limit)
        return Page(list(found.items), _next(found.next_after, "exercise"))


@dataclass
class GetExercise:
    catalogue: Catalogue

    async def __call__(self, exercise_id: str) -> Exercise:
        exercise = self.catalogue.exercise(exercise_id)
        if exercise is None:
            raise ExerciseNotFound()
        return exercise


@dataclass
class ListFoods:
    """Catalogue foods by id matching `q` (in the name or the USDA description) and allowed by `diet`."""

    catalogue: Catalogue

    async def __call__(
        self, *, q: str | None = None, diet: str | None = None, cursor: str | None = None,
        limit: int = DEFAULT_LIMIT,
    ) -> Page[Food]:
        check_limit(limit)
        found = find_foods(self.catalogue.foods, FoodQuery.create(q=q, diet=diet), _after(cursor, "food"), limit)
        return Page(list(found.items), _next(found.next_after, "food"))


@dataclass
class GetFood:
    catalogue: Catalogue

    async def __call__(self, food_id: str) -> Food:
        food = self.catalogue.food(food_id)
        if food is None:
            raise FoodNotFound()
        return food
