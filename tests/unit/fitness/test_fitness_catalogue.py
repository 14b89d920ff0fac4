"""The vendored catalogue and its queries: filters and keyset pages by id."""

import csv
import json

import pytest

from adapters.fitness.catalogue import DATA, parse_foods
from domain.fitness.catalogue import DietClass, Equipment, FoodRole, Level, Muscle
from domain.fitness.diet import Diet, allows
from domain.fitness.search import ExerciseQuery, FoodQuery, find_exercises, find_foods
from domain.fitness.workout_rules import STAPLES
from domain.shared.errors import InvalidValue


def test_every_vendored_exercise_and_food_is_loaded_with_its_stable_id(catalogue):
    raw_exercises = json.loads((DATA / "exercises.json").read_text())
    raw_foods = list(csv.DictReader((DATA / "foods.csv").open()))

    assert sorted(exercise.id for exercise in catalogue.exercises) == sorted(item["id"] for item in raw_exercises)
    assert sorted(food.id for food in catalogue.foods) == sorted(row["id"] for row in raw_foods)
    assert (len(catalogue.exercises), len(catalogue.foods)) == (873, 158)
    squat = catalogue.exercise("Barbell_Squat")
    assert (squat.level, squat.equipment, squat.primary_muscles) == (
        Level.BEGINNER, Equipment.BARBELL, (Muscle.QUADRICEPS,))
    breast = catalogue.food("chicken_breast")
    assert (breast.fdc_id, breast.kcal_100g, breast.protein_100g, breast.diet_class) == (
        171477, 165.0, 31.02, DietClass.MEAT)


@pytest.mark.parametrize(("food_id", "diet_class"), [
    ("salmon", DietClass.FISH), ("mayonnaise", DietClass.EGG), ("pogaca", DietClass.EGG),
    ("mercimek_corbasi", DietClass.DAIRY), ("honey", DietClass.HONEY), ("lentils", DietClass.PLANT),
    ("sucuklu_yumurta", DietClass.MEAT),
])
def test_diet_classes_follow_the_most_restrictive_animal_ingredient(catalogue, food_id, diet_class):
    assert catalogue.food(food_id).diet_class is diet_class


@pytest.mark.parametrize(("diet", "allowed"), [
    (Diet.OMNIVORE, set(DietClass)),
    (Diet.PESCATARIAN, {DietClass.FISH, DietClass.EGG, DietClass.DAIRY, DietClass.HONEY, DietClass.PLANT}),
    (Diet.VEGETARIAN, {DietClass.EGG, DietClass.DAIRY, DietClass.HONEY, DietClass.PLANT}),
    (Diet.VEGAN, {DietClass.PLANT}),
])
def test_each_diet_allows_its_classes(catalogue, diet, allowed):
    assert {food.diet_class for food in catalogue.foods if allows(diet, food)} == allowed


def test_planned_foods_have_meal_slots_and_the_others_none(catalogue):
    for food in catalogue.foods:
        assert bool(food.slots) == (food.role is not FoodRole.NONE), food.id


def test_a_food_without_its_class_row_is_refused():
    foods = (DATA / "foods.csv").read_text()
    classes = (DATA / "food_classes.csv").read_text().replace("lentils,plant,protein,lunch|dinner,\n", "")

    with pytest.raises(ValueError, match="lentils"):
        parse_foods(foods, classes)


def test_the_generator_staples_are_catalogue_exercises(catalogue):
    assert [exercise_id for exercise_id in STAPLES if catalogue.exercise(exercise_id) is None] == []


def test_exercise_filters_narrow_together(catalogue):
    query = ExerciseQuery.create(muscle="chest", equipment="dumbbell", level="beginner", q="PRESS")

    page = find_exercises(catalogue.exercises, query, None, 100)

    assert page.items and page.next_after is None
    for exercise in page.items:
        assert Muscle.CHEST in exercise.primary_muscles and exercise.equipment is Equipment.DUMBBELL
        assert exercise.level is Level.BEGINNER and "press" in exercise.name.lower()
    assert "Dumbbell_Bench_Press" in [exercise.id for exercise in page.items]


def test_equipment_none_finds_exercises_that_need_nothing(catalogue):
    page = find_exercises(catalogue.exercises, ExerciseQuery.create(equipment="none"), None, 1000)

    assert len(page.items) == 77 and all(exercise.equipment is None for exercise in page.items)


def test_keyset_pages_cover_every_match_once_in_id_order(catalogue):
    query = ExerciseQuery.create(muscle="quadriceps")
    seen, after = [], None
    while True:
        page = find_exercises(catalogue.exercises, query, after, 17)
        seen += [exercise.id for exercise in page.items]
        if page.next_after is None:
            break
        after = page.next_after

    expected = sorted(e.id for e in catalogue.exercises if Muscle.QUADRICEPS in e.primary_muscles)
    assert seen == expected


def test_a_page_after_an_unknown_id_continues_from_its_place(catalogue):
    page = find_foods(catalogue.foods, FoodQuery.create(), "b", 3)

    assert [food.id for food in page.items] == ["bagel", "baklava", "banana"]


def test_foods_by_text_and_diet(catalogue):
    vegan_beans = find_foods(catalogue.foods, FoodQuery.create(q="Beans", diet="vegan"), None, 100).items
    vegan = find_foods(catalogue.foods, FoodQuery.create(diet="vegan"), None, 1000).items

    assert {food.id for food in vegan_beans} >= {"white_beans", "kidney_beans", "green_beans"}
    assert "honey" not in {food.id for food in vegan} and "lentils" in {food.id for food in vegan}


@pytest.mark.parametrize(("make", "field"), [
    (lambda: ExerciseQuery.create(muscle="wings"), "muscle"),
    (lambda: ExerciseQuery.create(equipment="rowing machine"), "equipment"),
    (lambda: ExerciseQuery.create(level="advanced"), "level"),
    (lambda: ExerciseQuery.create(q="x" * 101), "q"),
    (lambda: FoodQuery.create(diet="keto"), "diet"),
])
def test_bad_filters_name_their_field(make, field):
    with pytest.raises(InvalidValue) as caught:
        make()

    assert caught.value.field == field
