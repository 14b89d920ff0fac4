"""Double progression, logged sessions and exercise swaps."""

from dataclasses import replace
from datetime import date, timedelta

import pytest

from domain.fitness.progression import LoggedSession, LoggedSet, adapt_workout, swap_exercise
from domain.fitness.workout import Prescription, WorkoutDraft, WorkoutRequest, weekly_sets
from domain.fitness.workout_rules import generate_workout
from domain.shared.errors import InvalidValue
from tests.unit.fitness.support import TODAY, make_profile

MONDAY = date(2026, 3, 2)


def item(exercise_id: str, name: str, load: float | None, since: int = 1) -> Prescription:
    return Prescription(exercise_id, name, 3, 8, 12, 2, 120, load, since)


@pytest.fixture
def draft(catalogue) -> WorkoutDraft:
    day_one = [
        item("Barbell_Bench_Press_-_Medium_Grip", "Barbell Bench Press - Medium Grip", 60.0),
        item("Barbell_Squat", "Barbell Squat", 100.0),
        item("Barbell_Hip_Thrust", "Barbell Hip Thrust", 80.0),
        item("Standing_Calf_Raises", "Standing Calf Raises", 50.0),
        item("Pushups", "Pushups", None),
    ]
    day_two = [item("Barbell_Bench_Press_-_Medium_Grip", "Barbell Bench Press - Medium Grip", None)]
    return WorkoutDraft.build(weeks=8, deload_weeks=(5,), days=[day_one, day_two], catalogue=catalogue)


def session(day: int, week: int, reps: list[int], *, exercise: str, weight: float, version: int = 1) -> LoggedSession:
    sets = tuple(LoggedSet(exercise, count, weight) for count in reps)
    return LoggedSession(day, MONDAY + timedelta(weeks=week), version, sets)


def loads(draft: WorkoutDraft) -> dict[tuple[int, str], float | None]:
    return {(day.day, entry.exercise_id): entry.load_kg for day in draft.days for entry in day.exercises}


BENCH, SQUAT = "Barbell_Bench_Press_-_Medium_Grip", "Barbell_Squat"


def test_every_set_at_rep_max_raises_upper_body_by_2_5_and_lower_body_by_5(draft, catalogue):
    sessions = [
        session(1, 0, [12, 12, 12], exercise=BENCH, weight=60),
        session(1, 0, [12, 13, 12], exercise=SQUAT, weight=100),
        session(1, 0, [12, 12, 12], exercise="Barbell_Hip_Thrust", weight=80),
        session(1, 0, [12, 12, 12], exercise="Standing_Calf_Raises", weight=50),
    ]

    adapted = adapt_workout(draft, sessions, 1, catalogue)

    after = loads(adapted.draft)
    assert after[1, BENCH] == 62.5
    assert (after[1, SQUAT], after[1, "Barbell_Hip_Thrust"], after[1, "Standing_Calf_Raises"]) == (105, 85, 55)
    assert {change.reason for change in adapted.changes} == {"every set reached rep_max"}
    assert all(entry.load_since_version == 2 for entry in adapted.draft.days[0].exercises[:4])


def test_one_set_short_of_rep_max_keeps_the_load(draft, catalogue):
    adapted = adapt_workout(draft, [session(1, 0, [12, 12, 11], exercise=BENCH, weight=60)], 1, catalogue)

    assert loads(adapted.draft)[1, BENCH] == 60 and adapted.changes == ()


def test_three_sessions_in_a_row_below_rep_min_drop_ten_percent_rounded_to_half_a_kilo(draft, catalogue):
    draft = replace_load(draft, 62.5)
    below = [session(1, week, [8, 7, 6], exercise=BENCH, weight=62.5) for week in range(3)]

    adapted = adapt_workout(draft, below, 1, catalogue)

    assert loads(adapted.draft)[1, BENCH] == 56.5  # 62.5 * 0.9 = 56.25, rounded half up to 56.5
    assert adapted.changes[0].reason == "3 sessions in a row below rep_min"


def test_two_below_then_one_in_range_keeps_the_load(draft, catalogue):
    logs = [session(1, 0, [7, 7, 6], exercise=BENCH, weight=60), session(1, 1, [7, 7, 6], exercise=BENCH, weight=60),
            session(1, 2, [9, 8, 8], exercise=BENCH, weight=60)]

    assert loads(adapt_workout(draft, logs, 1, catalogue).draft)[1, BENCH] == 60


def test_the_same_log_moves_a_load_once(draft, catalogue):
    logs = [session(1, 0, [12, 12, 12], exercise=BENCH, weight=60)]
    first = adapt_workout(draft, logs, 1, catalogue)

    second = adapt_workout(first.draft, logs, 2, catalogue)

    assert loads(second.draft)[1, BENCH] == 62.5 and second.changes == ()


def test_sessions_of_another_day_do_not_count(draft, catalogue):
    adapted = adapt_workout(draft, [session(2, 0, [12, 12, 12], exercise=BENCH, weight=70)], 1, catalogue)

    assert loads(adapted.draft)[1, BENCH] == 60


def test_without_a_load_the_heaviest_logged_weight_is_the_start(draft, catalogue):
    adapted = adapt_workout(draft, [session(2, 0, [12, 12, 12], exercise=BENCH, weight=61.3)], 1, catalogue)

    assert loads(adapted.draft)[2, BENCH] == 64.0  # 61.3 -> 61.5 (plates) + 2.5


def test_bodyweight_work_keeps_no_load(draft, catalogue):
    adapted = adapt_workout(draft, [session(1, 0, [15, 15, 15], exercise="Pushups", weight=0)], 1, catalogue)

    assert loads(adapted.draft)[1, "Pushups"] is None


def replace_load(draft: WorkoutDraft, load: float) -> WorkoutDraft:
    day = draft.days[0]
    return replace(draft, days=(replace(day, exercises=(replace(day.exercises[0], load_kg=load), *day.exercises[1:])),
                                *draft.days[1:]))


class TestSwap:
    @pytest.fixture
    def plan(self, catalogue):
        profile = make_profile(
            catalogue, experience="beginner", equipment=["barbell", "dumbbell"], training_days_per_week=3,
        )
        return profile, generate_workout(profile, WorkoutRequest(), catalogue)

    @staticmethod
    def twin(catalogue, profile, draft, exercise_id):
        """A catalogue exercise crediting the same muscles, that the profile may do, not yet on day 1."""
        original = catalogue.exercise(exercise_id)
        on_day = {entry.exercise_id for entry in draft.days[0].exercises}
        return next(
            e for e in catalogue.exercises
            if e.primary_muscles == original.primary_muscles
            and set(e.secondary_muscles) == set(original.secondary_muscles)
            and e.id not in on_day and e.level == "beginner" and e.equipment in (None, "body only", *profile.equipment)
        )

    def test_a_swap_keeps_the_sets_and_takes_the_new_exercise(self, plan, catalogue):
        profile, draft = plan
        old = draft.days[0].exercises[0]
        new = self.twin(catalogue, profile, draft, old.exercise_id)

        swapped = swap_exercise(draft, day=1, exercise_id=old.exercise_id, replacement_id=new.id, profile=profile,
                                catalogue=catalogue, version=2)

        first = swapped.days[0].exercises[0]
        assert (first.exercise_id, first.name, first.sets, first.load_kg, first.load_since_version) == (
            new.id, new.name, old.sets, None, 2)
        assert swapped.weekly_sets_by_muscle == weekly_sets(swapped.days, catalogue)

    @pytest.mark.parametrize(("change", "field"), [
        (dict(replacement_id="Front_Barbell_Squat"), "replacement_id"),  # expert level
        (dict(replacement_id="Leg_Press"), "replacement_id"),  # a machine the profile lacks
        (dict(replacement_id="Moon_Walk"), "replacement_id"),
        (dict(exercise_id="Leg_Press"), "exercise_id"),
        (dict(day=4), "day"),
    ])
    def test_a_swap_that_breaks_a_rule_is_refused(self, plan, catalogue, change, field):
        profile, draft = plan
        args = dict(day=1, exercise_id=draft.days[0].exercises[0].exercise_id, replacement_id="Dumbbell_Bench_Press")

        with pytest.raises(InvalidValue) as caught:
            swap_exercise(draft, **(args | change), profile=profile, catalogue=catalogue, version=2)

        assert caught.value.field == field

    def test_swapping_in_an_exercise_already_on_the_day_is_refused(self, plan, catalogue):
        profile, draft = plan
        first, second = draft.days[0].exercises[:2]

        with pytest.raises(InvalidValue, match="already"):
            swap_exercise(draft, day=1, exercise_id=first.exercise_id, replacement_id=second.exercise_id,
                          profile=profile, catalogue=catalogue, version=2)


@pytest.mark.parametrize(("change", "field"), [
    (dict(day=3), "day"),
    (dict(performed_on=TODAY + timedelta(days=1)), "performed_on"),
    (dict(sets=[{"exercise_id": "Moon_Walk", "reps": 5, "weight_kg": 10}]), "sets[0].exercise_id"),
    (dict(sets=[{"exercise_id": BENCH, "reps": -1, "weight_kg": 10}]), "sets[0].reps"),
    (dict(sets=[{"exercise_id": BENCH, "reps": 5, "weight_kg": 501}]), "sets[0].weight_kg"),
    (dict(sets=[]), "sets"),
    (dict(sets=[{"exercise_id": BENCH, "reps": 5, "weight_kg": 10}] * 101), "sets"),
])
def test_a_logged_session_is_checked(draft, catalogue, change, field):
    raw = dict(day=1, performed_on=TODAY, sets=[{"exercise_id": BENCH, "reps": 10, "weight_kg": 60}])

    with pytest.raises(InvalidValue) as caught:
        LoggedSession.create(plan=draft, plan_version=1, catalogue=catalogue, today=TODAY, **(raw | change))

    assert caught.value.field == field
