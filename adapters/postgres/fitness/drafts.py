"""Drafts, load changes and logged sets as JSON documents (JSONB columns), and back: exactly the same values; and
the count of rows a DELETE removed."""

from datetime import date
from typing import Any, cast

from sqlalchemy.engine import CursorResult, Result

from domain.fitness.meals import Meal, MealDay, MealDraft, MealItem, Nutrients
from domain.fitness.progression import LoadChange, LoggedSet
from domain.fitness.workout import DayFocus, MuscleGroup, Prescription, Split, WorkoutDay, WorkoutDraft

Json = dict[str, Any]


def workout_json(draft: WorkoutDraft) -> Json:
    return {
        "kind": "workout", "split": draft.split.value, "weeks": draft.weeks, "deload_weeks": list(draft.deload_weeks),
        "days": [{"day": day.day, "focus": day.focus.value, "exercises": [
            {"exercise_id": item.exercise_id, "name": item.name, "sets": item.sets, "rep_min": item.rep_min,
             "rep_max": item.rep_max, "rir": item.rir, "rest_seconds": item.rest_seconds, "load_kg": item.load_kg,
             "load_since_version": item.load_since_version}
            for item in day.exercises]} for day in draft.days],
        "weekly_sets_by_muscle": {group.value: sets for group, sets in draft.weekly_sets_by_muscle.items()},
    }


def workout_draft(value: Json) -> WorkoutDraft:
    return WorkoutDraft(
        split=Split(value["split"]), weeks=value["weeks"], deload_weeks=tuple(value["deload_weeks"]),
        days=tuple(WorkoutDay(day["day"], DayFocus(day["focus"]), tuple(
            Prescription(item["exercise_id"], item["name"], item["sets"], item["rep_min"], item["rep_max"],
                         item["rir"], item["rest_seconds"], _float(item["load_kg"]), item["load_since_version"])
            for item in day["exercises"])) for day in value["days"]),
        weekly_sets_by_muscle={MuscleGroup(group): float(sets) for group, sets in value["weekly_sets_by_muscle"].items()},
    )


def meal_json(draft: MealDraft) -> Json:
    return {"kind": "meals", "days": [{
        "date": day.date.isoformat(),
        "meals": [{"name": meal.name, "items": [
            {"food_id": item.food_id, "name": item.name, "grams": item.grams} for item in meal.items]}
            for meal in day.meals],
        "totals": _nutrients_json(day.totals), "target": _nutrients_json(day.target),
    } for day in draft.days]}


def meal_draft(value: Json) -> MealDraft:
    return MealDraft(tuple(MealDay(
        date.fromisoformat(day["date"]),
        tuple(Meal(meal["name"], tuple(MealItem(item["food_id"], item["name"], item["grams"]) for item in meal["items"]))
              for meal in day["meals"]),
        Nutrients(**day["totals"]), Nutrients(**day["target"]),
    ) for day in value["days"]))


def draft_json(draft: WorkoutDraft | MealDraft) -> Json:
    return workout_json(draft) if isinstance(draft, WorkoutDraft) else meal_json(draft)


def draft_of(value: Json) -> WorkoutDraft | MealDraft:
    return workout_draft(value) if value["kind"] == "workout" else meal_draft(value)


def changes_json(changes: tuple[LoadChange, ...]) -> list[Json]:
    return [{"day": c.day, "exercise_id": c.exercise_id, "from_kg": c.from_kg, "to_kg": c.to_kg, "reason": c.reason}
            for c in changes]


def changes_of(value: list[Json]) -> tuple[LoadChange, ...]:
    return tuple(LoadChange(c["day"], c["exercise_id"], _float(c["from_kg"]), float(c["to_kg"]), c["reason"])
                 for c in value)


def sets_json(sets: tuple[LoggedSet, ...]) -> list[Json]:
    return [{"exercise_id": s.exercise_id, "reps": s.reps, "weight_kg": s.weight_kg, "rir": s.rir} for s in sets]


def sets_of(value: list[Json]) -> tuple[LoggedSet, ...]:
    return tuple(LoggedSet(s["exercise_id"], s["reps"], float(s["weight_kg"]), s["rir"]) for s in value)


def deleted(result: Result[Any]) -> int:
    """The rows a DELETE removed."""
    return cast(CursorResult[Any], result).rowcount


def _nutrients_json(value: Nutrients) -> Json:
    return {"kcal": value.kcal, "protein_g": value.protein_g, "carbs_g": value.carbs_g, "fat_g": value.fat_g}


def _float(value: float | int | None) -> float | None:
    return None if value is None else float(value)
