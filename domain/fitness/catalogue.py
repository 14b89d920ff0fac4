"""The exercise and food catalogue: read-only values loaded once from the vendored data sets."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum


class Level(StrEnum):
    """free-exercise-db's difficulty levels."""

    BEGINNER = "beginner"
    INTERMEDIATE = "intermediate"
    EXPERT = "expert"


class Equipment(StrEnum):
    """free-exercise-db's equipment names; an exercise without one needs no equipment."""

    BANDS = "bands"
    BARBELL = "barbell"
    BODY_ONLY = "body only"
    CABLE = "cable"
    DUMBBELL = "dumbbell"
    E_Z_CURL_BAR = "e-z curl bar"
    EXERCISE_BALL = "exercise ball"
    FOAM_ROLL = "foam roll"
    KETTLEBELLS = "kettlebells"
    MACHINE = "machine"
    MEDICINE_BALL = "medicine ball"
    OTHER = "other"


class Muscle(StrEnum):
    """free-exercise-db's muscle names."""

    ABDOMINALS = "abdominals"
    ABDUCTORS = "abductors"
    ADDUCTORS = "adductors"
    BICEPS = "biceps"
    CALVES = "calves"
    CHEST = "chest"
    FOREARMS = "forearms"
    GLUTES = "glutes"
    HAMSTRINGS = "hamstrings"
    LATS = "lats"
    LOWER_BACK = "lower back"
    MIDDLE_BACK = "middle back"
    NECK = "neck"
    QUADRICEPS = "quadriceps"
    SHOULDERS = "shoulders"
    TRAPS = "traps"
    TRICEPS = "triceps"


class Mechanic(StrEnum):
    COMPOUND = "compound"
    ISOLATION = "isolation"


class Force(StrEnum):
    PULL = "pull"
    PUSH = "push"
    STATIC = "static"


class Category(StrEnum):
    CARDIO = "cardio"
    OLYMPIC_WEIGHTLIFTING = "olympic weightlifting"
    PLYOMETRICS = "plyometrics"
    POWERLIFTING = "powerlifting"
    STRENGTH = "strength"
    STRETCHING = "stretching"
    STRONGMAN = "strongman"


class DietClass(StrEnum):
    """What a food is, for diets: a dish takes its most restrictive animal ingredient."""

    MEAT = "meat"
    FISH = "fish"
    EGG = "egg"
    DAIRY = "dairy"
    HONEY = "honey"
    PLANT = "plant"


class FoodRole(StrEnum):
    """What the meal planner uses a food for; `none` foods are never planned (drinks, condiments, dishes)."""

    PROTEIN = "protein"
    CARB = "carb"
    PRODUCE = "produce"
    FAT = "fat"
    NONE = "none"


class MealSlot(StrEnum):
    BREAKFAST = "breakfast"
    LUNCH = "lunch"
    DINNER = "dinner"
    SNACK = "snack"


@dataclass(frozen=True, slots=True)
class Exercise:
    """One free-exercise-db exercise; `id` is its stable free-exercise-db id."""

    id: str
    name: str
    level: Level
    equipment: Equipment | None
    primary_muscles: tuple[Muscle, ...]
    secondary_muscles: tuple[Muscle, ...]
    mechanic: Mechanic | None
    force: Force | None
    category: Category
    instructions: tuple[str, ...]

    @property
    def compound(self) -> bool:
        return self.mechanic is Mechanic.COMPOUND


@dataclass(frozen=True, slots=True)
class Food:
    """One food with its energy and macronutrients per 100 g; `id` is a stable slug (`chicken_breast`)."""

    id: str
    name: str
    description: str
    fdc_id: int | None
    kcal_100g: float
    protein_100g: float
    carbs_100g: float
    fat_100g: float
    default_grams: float
    diet_class: DietClass
    role: FoodRole
    slots: tuple[MealSlot, ...]


@dataclass(frozen=True, slots=True)
class Catalogue:
    """Every exercise and food, each sorted by id; `version` fingerprints the data it was read from."""

    exercises: tuple[Exercise, ...] = field(repr=False)
    foods: tuple[Food, ...] = field(repr=False)
    version: str = ""
    _exercises_by_id: dict[str, Exercise] = field(init=False, repr=False, compare=False)
    _foods_by_id: dict[str, Food] = field(init=False, repr=False, compare=False)

    @classmethod
    def of(cls, exercises: Iterable[Exercise], foods: Iterable[Food], version: str) -> "Catalogue":
        """Build a catalogue; ValueError if two exercises or two foods share an id."""
        return cls(tuple(sorted(exercises, key=_id)), tuple(sorted(foods, key=_id)), version)

    def __post_init__(self) -> None:
        exercises = {exercise.id: exercise for exercise in self.exercises}
        foods = {food.id: food for food in self.foods}
        if len(exercises) != len(self.exercises) or len(foods) != len(self.foods):
            raise ValueError("catalogue ids must be unique")
        object.__setattr__(self, "_exercises_by_id", exercises)
        object.__setattr__(self, "_foods_by_id", foods)

    def exercise(self, exercise_id: str) -> Exercise | None:
        return self._exercises_by_id.get(exercise_id)

    def food(self, food_id: str) -> Food | None:
        return self._foods_by_id.get(food_id)

    def food_ids(self) -> frozenset[str]:
        return frozenset(self._foods_by_id)


def _id(item: Exercise | Food) -> str:
    return item.id
