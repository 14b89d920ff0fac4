"""Generation cache keys: the same canonical inputs give the same key, any input that matters changes it."""

from datetime import date

from domain.fitness.cache_key import canonical_json, meal_key, workout_key
from domain.fitness.catalogue import Catalogue
from domain.fitness.energy import energy_targets
from domain.fitness.meals import MealRequest
from domain.fitness.workout import WorkoutRequest
from tests.unit.fitness.support import TODAY, make_profile


def test_canonical_json_sorts_keys_and_writes_dates_and_choices_as_text(catalogue):
    profile = make_profile(catalogue)

    assert canonical_json({"b": [1, 2.5], "a": date(2026, 3, 15), "c": profile.diet}) == (
        '{"a":"2026-03-15","b":[1,2.5],"c":"omnivore"}')


def workout(profile, catalogue, weeks=8, generator="rules", version="1"):
    return workout_key(profile, WorkoutRequest(weeks), generator=generator, version=version, catalogue=catalogue)


def test_a_workout_key_depends_on_what_the_generator_reads(catalogue):
    base = make_profile(catalogue)
    key = workout(base, catalogue)

    assert workout(make_profile(catalogue), catalogue) == key
    assert workout(make_profile(catalogue, equipment=["machine", "cable", "dumbbell", "barbell"]), catalogue) == key
    assert workout(make_profile(catalogue, weight_kg=95, diet="vegan"), catalogue) == key  # not read
    changed = [
        workout(make_profile(catalogue, experience="advanced"), catalogue),
        workout(make_profile(catalogue, equipment=["barbell"]), catalogue),
        workout(make_profile(catalogue, training_days_per_week=5), catalogue),
        workout(make_profile(catalogue, session_minutes=61), catalogue),
        workout(base, catalogue, weeks=9),
        workout(base, catalogue, generator="llm"),
        workout(base, catalogue, version="2"),
        workout(base, Catalogue.of(catalogue.exercises, catalogue.foods, "other data")),
    ]
    assert len({key, *changed}) == len(changed) + 1


def test_a_meal_key_depends_on_the_targets_and_the_preferences(catalogue):
    def key(profile, request=MealRequest(7, TODAY)):
        return meal_key(profile, energy_targets(profile, TODAY), request, generator="rules", version="1",
                        catalogue=catalogue)

    base = make_profile(catalogue)
    same = [key(make_profile(catalogue)), key(make_profile(catalogue, experience="beginner"))]
    changed = [
        key(make_profile(catalogue, diet="vegetarian")),
        key(make_profile(catalogue, excluded_foods=["egg"])),
        key(make_profile(catalogue, meals_per_day=4)),
        key(make_profile(catalogue, weight_kg=81)),  # other targets
        key(base, MealRequest(6, TODAY)),
        key(base, MealRequest(7, date(2026, 3, 16))),
    ]

    assert set(same) == {key(base)}
    assert len({key(base), *changed}) == len(changed) + 1
