"""The rules workout generator keeps every rule of the issue, or says which profile field stops it."""

import re
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.fitness.catalogue import Catalogue, Equipment
from domain.fitness.errors import PlanInfeasible
from domain.fitness.profile import Experience
from domain.fitness.workout import Prescription, WorkoutDraft, WorkoutRequest
from domain.fitness.workout_rules import generate_workout
from domain.fitness.workout_validation import validate_workout_draft
from tests.unit.fitness.support import make_profile

# The rules, restated here so the test does not lean on the code it checks.
LEVELS = {"beginner": {"beginner"}, "intermediate": {"beginner", "intermediate"},
          "advanced": {"beginner", "intermediate", "expert"}}
VOLUME = {"beginner": (8, 14), "intermediate": (10, 20), "advanced": (12, 22)}
GROUPS = {"chest": {"chest"}, "back": {"lats", "middle back"}, "shoulders": {"shoulders"},
          "quadriceps": {"quadriceps"}, "hamstrings": {"hamstrings"}, "glutes": {"glutes"}}


def expected_split(days: int) -> str:
    return "full_body" if days <= 3 else "upper_lower" if days == 4 else "push_pull_legs"


def weekly_sets(draft, catalogue: Catalogue) -> dict[str, float]:
    totals = dict.fromkeys(GROUPS, 0.0)
    for day in draft.days:
        for item in day.exercises:
            exercise = catalogue.exercise(item.exercise_id)
            for group, muscles in GROUPS.items():
                if muscles & set(exercise.primary_muscles):
                    totals[group] += item.sets
                elif muscles & set(exercise.secondary_muscles):
                    totals[group] += item.sets / 2
    return totals


def session_minutes(day) -> float:
    return 5 + sum(60 + item.sets * (45 + item.rest_seconds) for item in day.exercises) / 60


def assert_keeps_the_rules(draft, profile, catalogue: Catalogue, weeks: int) -> None:
    days = profile.training_days_per_week
    assert draft.split == expected_split(days) and len(draft.days) == days and draft.weeks == weeks
    for day in draft.days:
        assert session_minutes(day) <= profile.session_minutes
        for item in day.exercises:
            exercise = catalogue.exercise(item.exercise_id)
            assert exercise is not None and item.name == exercise.name
            assert exercise.equipment in (None, "body only") or exercise.equipment in profile.equipment
            assert exercise.level in LEVELS[profile.experience]
            assert item.load_kg is None and 1 <= item.rep_min <= item.rep_max and item.rest_seconds > 0
            assert item.deload_sets == max(1, int((Decimal(item.sets) * Decimal("0.6")).quantize(1, ROUND_HALF_UP)))
    low, high = VOLUME[profile.experience]
    counted = weekly_sets(draft, catalogue)
    assert all(low <= sets <= high for sets in counted.values()), counted
    assert {str(group): sets for group, sets in draft.weekly_sets_by_muscle.items()} == counted
    previous = 0
    for week in draft.deload_weeks:
        assert 4 <= week - previous <= 6 and week <= weeks
        previous = week
    assert weeks - previous <= 5
    assert validate_workout_draft(draft, profile, catalogue) == []


@settings(max_examples=60, deadline=None)
@given(
    experience=st.sampled_from(list(Experience)),
    equipment=st.lists(st.sampled_from(list(Equipment)), unique=True),
    days=st.integers(2, 6),
    minutes=st.integers(20, 180),
    weeks=st.integers(4, 16),
)
def test_a_plan_keeps_every_rule_or_names_the_field_to_change(catalogue, experience, equipment, days, minutes, weeks):
    profile = make_profile(
        catalogue, experience=experience.value, equipment=[e.value for e in equipment],
        training_days_per_week=days, session_minutes=minutes,
    )
    try:
        draft = generate_workout(profile, WorkoutRequest(weeks), catalogue)
    except PlanInfeasible as error:
        assert error.field in ("session_minutes", "equipment")
        return
    assert_keeps_the_rules(draft, profile, catalogue, weeks)
    assert generate_workout(profile, WorkoutRequest(weeks), catalogue) == draft


@pytest.mark.parametrize(("days", "split", "focuses"), [
    (2, "full_body", ["full_body"] * 2), (3, "full_body", ["full_body"] * 3),
    (4, "upper_lower", ["upper", "lower", "upper", "lower"]),
    (5, "push_pull_legs", ["push", "pull", "legs", "push", "legs"]),
    (6, "push_pull_legs", ["push", "pull", "legs", "push", "pull", "legs"]),
])
def test_the_split_follows_the_training_days(catalogue, days, split, focuses):
    profile = make_profile(catalogue, training_days_per_week=days, session_minutes=90)

    draft = generate_workout(profile, WorkoutRequest(), catalogue)

    assert (draft.split, [day.focus for day in draft.days]) == (split, focuses)


@pytest.mark.parametrize(("experience", "deloads"), [
    ("beginner", (6, 12)), ("intermediate", (5, 10, 15)), ("advanced", (4, 8, 12, 16)),
])
def test_a_deload_week_comes_every_four_to_six_weeks(catalogue, experience, deloads):
    profile = make_profile(catalogue, experience=experience, session_minutes=90)

    assert generate_workout(profile, WorkoutRequest(16), catalogue).deload_weeks == deloads


def test_too_short_sessions_say_how_long_would_do(catalogue):
    profile = make_profile(catalogue, experience="advanced", training_days_per_week=2, session_minutes=30)

    with pytest.raises(PlanInfeasible) as caught:
        generate_workout(profile, WorkoutRequest(), catalogue)

    assert caught.value.field == "session_minutes"
    enough = int(re.search(r"about (\d+) minutes", caught.value.detail).group(1))
    longer = make_profile(catalogue, experience="advanced", training_days_per_week=2, session_minutes=enough)
    assert_keeps_the_rules(generate_workout(longer, WorkoutRequest(), catalogue), longer, catalogue, 8)


def test_equipment_that_trains_no_exercise_for_a_group_is_named(catalogue):
    chest_only = Catalogue.of(
        [e for e in catalogue.exercises if "chest" in e.primary_muscles], catalogue.foods, "chest-only",
    )

    with pytest.raises(PlanInfeasible) as caught:
        generate_workout(make_profile(chest_only), WorkoutRequest(), chest_only)

    assert caught.value.field == "equipment"
    assert "quadriceps" in caught.value.detail and "chest," not in caught.value.detail


def test_a_bodyweight_beginner_gets_bodyweight_exercises(catalogue):
    profile = make_profile(catalogue, experience="beginner", equipment=[], training_days_per_week=3)

    draft = generate_workout(profile, WorkoutRequest(), catalogue)

    assert_keeps_the_rules(draft, profile, catalogue, 8)
    assert {catalogue.exercise(item.exercise_id).equipment for day in draft.days for item in day.exercises} <= {
        None, Equipment.BODY_ONLY}


class TestTheValidatorFindsEachBrokenRule:
    @pytest.fixture
    def plan(self, catalogue):
        profile = make_profile(catalogue, experience="beginner", equipment=["dumbbell"], training_days_per_week=3)
        return profile, generate_workout(profile, WorkoutRequest(), catalogue)

    @staticmethod
    def with_first_exercise(draft, **changes):
        day = draft.days[0]
        first = replace(day.exercises[0], **changes)
        return replace(draft, days=(replace(day, exercises=(first, *day.exercises[1:])), *draft.days[1:]))

    def rules(self, draft, profile, catalogue) -> set[str]:
        return {violation.rule for violation in validate_workout_draft(draft, profile, catalogue)}

    def test_an_unknown_exercise(self, plan, catalogue):
        profile, draft = plan
        unknown = self.with_first_exercise(draft, exercise_id="Moon_Walk")
        assert "unknown_exercise" in self.rules(unknown, profile, catalogue)

    def test_missing_equipment_and_a_level_above_the_profile(self, plan, catalogue):
        profile, draft = plan
        squat = catalogue.exercise("Front_Barbell_Squat")  # barbell, expert
        broken = self.with_first_exercise(draft, exercise_id=squat.id, name=squat.name)
        assert {"equipment", "level"} <= self.rules(broken, profile, catalogue)

    def test_a_day_longer_than_the_session(self, plan, catalogue):
        profile, draft = plan
        longer = self.with_first_exercise(draft, sets=6, rest_seconds=300)
        assert "session_minutes" in self.rules(longer, profile, catalogue)

    def test_weekly_sets_out_of_range_and_a_wrong_count(self, plan, catalogue):
        profile, draft = plan
        fewer = self.with_first_exercise(draft, sets=1)
        assert "weekly_sets_by_muscle" in self.rules(fewer, profile, catalogue)
        cut = replace(draft, days=tuple(replace(day, exercises=day.exercises[:1]) for day in draft.days))
        assert "weekly_sets" in self.rules(cut, profile, catalogue)

    @pytest.mark.parametrize(("sets", "too_many"), [((5, 5, 4), False), ((5, 5, 5), True)])
    def test_more_than_the_maximum_weekly_sets(self, plan, catalogue, sets, too_many):
        profile, draft = plan  # a beginner: at most 14 sets a week per group
        flyes = catalogue.exercise("Decline_Dumbbell_Flyes")  # chest only, no secondary muscle
        days = [[Prescription(flyes.id, flyes.name, count, 10, 15, 3, 60)] for count in sets]
        chest_only = WorkoutDraft.build(weeks=8, deload_weeks=(6,), days=days, catalogue=catalogue)

        problems = validate_workout_draft(chest_only, profile, catalogue)

        assert any(v.rule == "weekly_sets" and v.detail.startswith("chest ") for v in problems) is too_many

    def test_the_split_the_days_and_the_deloads(self, plan, catalogue):
        profile, draft = plan
        assert "split" in self.rules(replace(draft, split="upper_lower"), profile, catalogue)
        assert "days" in self.rules(replace(draft, days=draft.days[:2]), profile, catalogue)
        assert "deload_weeks" in self.rules(replace(draft, deload_weeks=(2,)), profile, catalogue)
        assert "deload_weeks" in self.rules(replace(draft, weeks=16, deload_weeks=(6,)), profile, catalogue)

    def test_a_valid_plan_breaks_nothing(self, plan, catalogue):
        profile, draft = plan
        assert validate_workout_draft(draft, profile, catalogue) == []
