"""Read the vendored exercise and food data (adapters/fitness/data/) once into a domain Catalogue."""

import csv
import functools
import hashlib
import io
import json
from pathlib import Path

from domain.fitness.catalogue import (
    Catalogue, Category, DietClass, Equipment, Exercise, Food, FoodRole, Force, Level, MealSlot, Mechanic, Muscle,
)
from domain.fitness.values import E, parse_choice
from domain.shared.errors import InvalidValue

DATA = Path(__file__).parent / "data"
FILES = ("exercises.json", "foods.csv", "food_classes.csv")


@functools.cache
def load_catalogue() -> Catalogue:
    """The catalogue of the vendored files, read once per process; ValueError when the data is inconsistent."""
    raw = {name: (DATA / name).read_bytes() for name in FILES}
    version = hashlib.sha256(b"".join(raw[name] for name in FILES)).hexdigest()[:16]
    exercises = parse_exercises(raw["exercises.json"].decode())
    foods = parse_foods(raw["foods.csv"].decode(), raw["food_classes.csv"].decode())
    return Catalogue.of(exercises, foods, version)


def parse_exercises(text: str) -> list[Exercise]:
    """free-exercise-db's dist/exercises.json; `images` are dropped (the photos are not vendored)."""
    items = json.loads(text)
    if not isinstance(items, list):
        raise ValueError("exercises.json must hold a list")
    return [_exercise(item) for item in items]


def parse_foods(foods_csv: str, classes_csv: str) -> list[Food]:
    """foods.csv (USDA values) joined by id with food_classes.csv (diet class, planner role, meal slots)."""
    classes = {row["id"]: row for row in _rows(classes_csv)}
    foods = [_food(row, classes.pop(row["id"], None)) for row in _rows(foods_csv)]
    if classes:
        raise ValueError(f"food_classes.csv names unknown foods: {sorted(classes)}")
    return foods


def _exercise(item: object) -> Exercise:
    if not isinstance(item, dict):
        raise ValueError("each exercise must be an object")
    equipment = item.get("equipment")
    mechanic, force = item.get("mechanic"), item.get("force")
    return Exercise(
        id=_str(item, "id"),
        name=_str(item, "name"),
        level=_choice(Level, item.get("level")),
        equipment=None if equipment is None else _choice(Equipment, equipment),
        primary_muscles=tuple(_choice(Muscle, name) for name in _list(item, "primaryMuscles")),
        secondary_muscles=tuple(_choice(Muscle, name) for name in _list(item, "secondaryMuscles")),
        mechanic=None if mechanic is None else _choice(Mechanic, mechanic),
        force=None if force is None else _choice(Force, force),
        category=_choice(Category, item.get("category")),
        instructions=tuple(str(line) for line in _list(item, "instructions")),
    )


def _food(row: dict[str, str], classes: dict[str, str] | None) -> Food:
    if classes is None:
        raise ValueError(f"food {row['id']!r} has no row in food_classes.csv")
    slots = classes["slots"]
    return Food(
        id=row["id"],
        name=row["name_en"],
        description=row["usda_description"],
        fdc_id=int(row["fdc_id"]) if row["fdc_id"] else None,
        kcal_100g=float(row["kcal_100g"]),
        protein_100g=float(row["protein_100g"]),
        carbs_100g=float(row["carbs_100g"]),
        fat_100g=float(row["fat_100g"]),
        default_grams=float(row["default_grams"]),
        diet_class=_choice(DietClass, classes["diet_class"]),
        role=_choice(FoodRole, classes["role"]),
        slots=tuple(_choice(MealSlot, slot) for slot in slots.split("|")) if slots else (),
    )


def _rows(text: str) -> list[dict[str, str]]:
    return [{str(key): str(value) for key, value in row.items()} for row in csv.DictReader(io.StringIO(text))]


def _str(item: dict[object, object], key: str) -> str:
    value = item.get(key)
    if not isinstance(value, str) or not value:
        raise ValueError(f"exercise field {key!r} must be text")
    return value


def _list(item: dict[object, object], key: str) -> list[object]:
    value = item.get(key)
    if not isinstance(value, list):
        raise ValueError(f"exercise field {key!r} must be a list")
    return list(value)


def _choice(kind: type[E], value: object) -> E:
    try:
        return parse_choice(kind, value, kind.__name__)
    except InvalidValue as error:
        raise ValueError(f"bad {kind.__name__} in the data: {value!r}") from error
