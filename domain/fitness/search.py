"""Catalogue queries: filters for exercises and foods, and keyset pages ordered by id."""

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from domain.fitness.catalogue import Equipment, Exercise, Food, Level, Muscle
from domain.fitness.diet import Diet, allows, parse_diet
from domain.fitness.values import parse_choice
from domain.shared.text import normalize_text

QUERY_MAX = 100
NO_EQUIPMENT = "none"  # the equipment filter value for exercises that list none


class HasId(Protocol):
    @property
    def id(self) -> str: ...


T = TypeVar("T", bound=HasId)


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """Up to `limit` items after the cursor; `next_after` is the id to continue from, None on the last page."""

    items: tuple[T, ...]
    next_after: str | None


def page_after(items: Sequence[T], after: str | None, limit: int) -> Page[T]:
    """Keyset page over `items` sorted by id: those with id > `after`, at most `limit` (>= 1)."""
    start = 0 if after is None else bisect.bisect_right(items, after, key=_id)
    chosen = tuple(items[start:start + limit])
    more = start + limit < len(items)
    return Page(chosen, chosen[-1].id if more and chosen else None)


@dataclass(frozen=True, slots=True)
class ExerciseQuery:
    """Every set field narrows: `muscle` a primary muscle, `equipment` ('none': no equipment), exact `level`,
    `q` a case-insensitive substring of the name."""

    muscle: Muscle | None = None
    equipment: Equipment | None = None
    no_equipment: bool = False
    level: Level | None = None
    q: str | None = None

    @classmethod
    def create(
        cls, *, muscle: str | None = None, equipment: str | None = None, level: str | None = None,
        q: str | None = None,
    ) -> "ExerciseQuery":
        return cls(
            muscle=None if muscle is None else parse_choice(Muscle, muscle, "muscle"),
            equipment=None if equipment in (None, NO_EQUIPMENT) else parse_choice(Equipment, equipment, "equipment"),
            no_equipment=equipment == NO_EQUIPMENT,
            level=None if level is None else parse_choice(Level, level, "level"),
            q=_query(q),
        )

    def matches(self, exercise: Exercise) -> bool:
        return (
            (self.muscle is None or self.muscle in exercise.primary_muscles)
            and (self.equipment is None or exercise.equipment is self.equipment)
            and (not self.no_equipment or exercise.equipment is None)
            and (self.level is None or exercise.level is self.level)
            and (self.q is None or self.q in exercise.name.casefold())
        )


@dataclass(frozen=True, slots=True)
class FoodQuery:
    """`q` a case-insensitive substring of the name or the USDA description; `diet` the foods it allows."""

    q: str | None = None
    diet: Diet | None = None

    @classmethod
    def create(cls, *, q: str | None = None, diet: str | None = None) -> "FoodQuery":
        return cls(q=_query(q), diet=None if diet is None else parse_diet(diet))

    def matches(self, food: Food) -> bool:
        return (
            (self.q is None or self.q in food.name.casefold() or self.q in food.description.casefold())
            and (self.diet is None or allows(self.diet, food))
        )


def find_exercises(
    exercises: Sequence[Exercise], query: ExerciseQuery, after: str | None, limit: int,
) -> Page[Exercise]:
    """A keyset page of the matching exercises, by id."""
    return page_after([exercise for exercise in exercises if query.matches(exercise)], after, limit)


def find_foods(foods: Sequence[Food], query: FoodQuery, after: str | None, limit: int) -> Page[Food]:
    """A keyset page of the matching foods, by id."""
    return page_after([food for food in foods if query.matches(food)], after, limit)


def _query(value: str | None) -> str | None:
    text = normalize_text(value, "q", QUERY_MAX)
    return None if text is None else text.casefold()


def _id(item: HasId) -> str:
    return item.id
