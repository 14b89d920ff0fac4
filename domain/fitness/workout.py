"""Workout plans: the draft every generator produces, and the training rules that measure it.

Weekly sets per major muscle group: each set of an exercise counts 1 for a group holding one of its
primary muscles, else 0.5 for a group holding one of its secondary muscles (at most 1 per set and group).
"Back" is free-exercise-db's lats and middle back. A session lasts 5 minutes of warm-up, then per
exercise 60 s to set up and per set 45 s of work plus its rest.
"""

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from domain.fitness.catalogue import Catalogue, Equipment, Exercise, Level, Muscle
from domain.fitness.profile import Experience, Profile
from domain.fitness.values import check_int, round_half_up

WEEKS = (4, 16)
DEFAULT_WEEKS = 8
DELOAD_SET_SHARE = Decimal("0.6")  # a deload week keeps 60 % of the sets (about 40 % fewer)
DELOAD_EVERY = {Experience.BEGINNER: 6, Experience.INTERMEDIATE: 5, Experience.ADVANCED: 4}
DELOAD_GAP = (4, 6)  # weeks from one deload (or the start) to the next
WARMUP_MINUTES = 5
SETUP_SECONDS = 60
WORK_SECONDS = 45
SETS = (1, 6)
REPS = (1, 30)
RIR = (0, 5)
REST_SECONDS = (30, 300)
LOAD_KG_MAX = 500.0
EXERCISES_PER_DAY_MAX = 10


class Split(StrEnum):
    FULL_BODY = "full_body"
    UPPER_LOWER = "upper_lower"
    PUSH_PULL_LEGS = "push_pull_legs"


class DayFocus(StrEnum):
    FULL_BODY = "full_body"
    UPPER = "upper"
    LOWER = "lower"
    PUSH = "push"
    PULL = "pull"
    LEGS = "legs"


class MuscleGroup(StrEnum):
    CHEST = "chest"
    BACK = "back"
    SHOULDERS = "shoulders"
    QUADRICEPS = "quadriceps"
    HAMSTRINGS = "hamstrings"
    GLUTES = "glutes"


GROUP_MUSCLES: dict[MuscleGroup, frozenset[Muscle]] = {
    MuscleGroup.CHEST: frozenset({Muscle.CHEST}),
    MuscleGroup.BACK: frozenset({Muscle.LATS, Muscle.MIDDLE_BACK}),
    MuscleGroup.SHOULDERS: frozenset({Muscle.SHOULDERS}),
    MuscleGroup.QUADRICEPS: frozenset({Muscle.QUADRICEPS}),
    MuscleGroup.HAMSTRINGS: frozenset({Muscle.HAMSTRINGS}),
    MuscleGroup.GLUTES: frozenset({Muscle.GLUTES}),
}
VOLUME: dict[Experience, tuple[int, int]] = {
    Experience.BEGINNER: (8, 14), Experience.INTERMEDIATE: (10, 20), Experience.ADVANCED: (12, 22),
}
LEVELS: dict[Experience, frozenset[Level]] = {
    Experience.BEGINNER: frozenset({Level.BEGINNER}),
    Experience.INTERMEDIATE: frozenset({Level.BEGINNER, Level.INTERMEDIATE}),
    Experience.ADVANCED: frozenset(Level),
}
LOWER_BODY = frozenset({
    Muscle.QUADRICEPS, Muscle.HAMSTRINGS, Muscle.GLUTES, Muscle.CALVES, Muscle.ADDUCTORS, Muscle.ABDUCTORS,
})
_UPPER = frozenset({
    Muscle.CHEST, Muscle.LATS, Muscle.MIDDLE_BACK, Muscle.SHOULDERS, Muscle.TRAPS, Muscle.BICEPS,
    Muscle.TRICEPS, Muscle.FOREARMS,
})
_LOWER = LOWER_BODY | {Muscle.LOWER_BACK}
FOCUS_MUSCLES: dict[DayFocus, frozenset[Muscle]] = {  # the primary muscles a day of that focus trains
    DayFocus.FULL_BODY: frozenset(Muscle),
    DayFocus.UPPER: _UPPER,
    DayFocus.LOWER: _LOWER,
    DayFocus.PUSH: frozenset({Muscle.CHEST, Muscle.SHOULDERS, Muscle.TRICEPS}),
    DayFocus.PULL: frozenset({Muscle.LATS, Muscle.MIDDLE_BACK, Muscle.TRAPS, Muscle.BICEPS, Muscle.FOREARMS}),
    DayFocus.LEGS: _LOWER,
}
_FOCUS_ORDER: dict[Split, tuple[DayFocus, ...]] = {
    Split.FULL_BODY: (DayFocus.FULL_BODY,) * 3,
    Split.UPPER_LOWER: (DayFocus.UPPER, DayFocus.LOWER) * 2,
    Split.PUSH_PULL_LEGS: (DayFocus.PUSH, DayFocus.PULL, DayFocus.LEGS, DayFocus.PUSH, DayFocus.PULL, DayFocus.LEGS),
}
_FIVE_DAY_PPL = (DayFocus.PUSH, DayFocus.PULL, DayFocus.LEGS, DayFocus.PUSH, DayFocus.LEGS)


@dataclass(frozen=True, slots=True)
class Prescription:
    """One exercise of a day; `load_kg` None until progression sets it; `load_since_version` is the plan
    version whose sessions the next adaptation of this slot reads."""

    exercise_id: str
    name: str
    sets: int
    rep_min: int
    rep_max: int
    rir: int
    rest_seconds: int
    load_kg: float | None = None
    load_since_version: int = 1

    @property
    def deload_sets(self) -> int:
        """Sets in a deload week: 60 % of `sets` rounded half up, at least 1."""
        return max(1, int(round_half_up(self.sets * DELOAD_SET_SHARE)))


@dataclass(frozen=True, slots=True)
class WorkoutDay:
    day: int
    focus: DayFocus
    exercises: tuple[Prescription, ...]


@dataclass(frozen=True, slots=True)
class WorkoutDraft:
    """A plan's content: a week of training days repeated for `weeks`, lighter in `deload_weeks`."""

    split: Split
    weeks: int
    deload_weeks: tuple[int, ...]
    days: tuple[WorkoutDay, ...]
    weekly_sets_by_muscle: dict[MuscleGroup, float]

    @classmethod
    def build(
        cls, *, weeks: int, deload_weeks: Iterable[int], days: Iterable[Iterable[Prescription]], catalogue: Catalogue,
    ) -> "WorkoutDraft":
        """Number the days, derive the split and their focus from the day count, and count the weekly sets."""
        exercise_lists = [tuple(exercises) for exercises in days]
        split = split_for(len(exercise_lists))
        workout_days = tuple(
            WorkoutDay(number, focus, exercises)
            for number, (focus, exercises) in enumerate(zip(focuses(len(exercise_lists)), exercise_lists), 1)
        )
        return cls(split, weeks, tuple(deload_weeks), workout_days, weekly_sets(workout_days, catalogue))


@dataclass(frozen=True, slots=True)
class WorkoutRequest:
    """What a caller asks for; the plan's name is the caller's business."""

    weeks: int = DEFAULT_WEEKS

    @classmethod
    def create(cls, *, weeks: object = DEFAULT_WEEKS) -> "WorkoutRequest":
        return cls(check_int(weeks, "weeks", *WEEKS))


def split_for(training_days: int) -> Split:
    """full_body for up to 3 days a week, upper_lower for 4, push_pull_legs for 5 or 6."""
    if training_days <= 3:
        return Split.FULL_BODY
    return Split.UPPER_LOWER if training_days == 4 else Split.PUSH_PULL_LEGS


def focuses(training_days: int) -> tuple[DayFocus, ...]:
    """Each day's focus: 5-day push/pull/legs is push, pull, legs, push, legs."""
    if training_days == 5:
        return _FIVE_DAY_PPL
    order = _FOCUS_ORDER[split_for(training_days)]
    return tuple(order[i % len(order)] for i in range(training_days))


def deload_weeks(weeks: int, experience: Experience) -> tuple[int, ...]:
    """Every 6th (beginner), 5th (intermediate) or 4th (advanced) week."""
    every = DELOAD_EVERY[experience]
    return tuple(range(every, weeks + 1, every))


def credit(exercise: Exercise, group: MuscleGroup) -> float:
    muscles = GROUP_MUSCLES[group]
    if muscles.intersection(exercise.primary_muscles):
        return 1.0
    return 0.5 if muscles.intersection(exercise.secondary_muscles) else 0.0


def weekly_sets(days: Iterable[WorkoutDay], catalogue: Catalogue) -> dict[MuscleGroup, float]:
    """Sets per major muscle group in a normal (not deload) week; unknown exercises count nothing."""
    totals = dict.fromkeys(MuscleGroup, 0.0)
    for day in days:
        for item in day.exercises:
            exercise = catalogue.exercise(item.exercise_id)
            if exercise is not None:
                for group in MuscleGroup:
                    totals[group] += item.sets * credit(exercise, group)
    return totals


def minutes(exercises: Iterable[Prescription]) -> float:
    """How long a session of these exercises lasts (see the module docstring)."""
    seconds = sum(SETUP_SECONDS + item.sets * (WORK_SECONDS + item.rest_seconds) for item in exercises)
    return WARMUP_MINUTES + seconds / 60


def equipment_allows(exercise: Exercise, equipment: Iterable[Equipment]) -> bool:
    """An exercise needing no equipment, or 'body only', is always allowed."""
    return exercise.equipment in (None, Equipment.BODY_ONLY) or exercise.equipment in tuple(equipment)


def level_allows(exercise: Exercise, experience: Experience) -> bool:
    """Beginners get beginner exercises, intermediates up to intermediate, advanced lifters all (expert too)."""
    return exercise.level in LEVELS[experience]


def suits(exercise: Exercise, profile: Profile) -> bool:
    return equipment_allows(exercise, profile.equipment) and level_allows(exercise, profile.experience)


def scheme(exercise: Exercise, experience: Experience) -> tuple[int, int, int, int]:
    """(rep_min, rep_max, rir, rest_seconds): compound 8-12 for beginners, 6-10 otherwise, 120 s rest;
    isolation 10-15, 75 s; RIR 3 / 2 / 1 by experience."""
    rir = {Experience.BEGINNER: 3, Experience.INTERMEDIATE: 2, Experience.ADVANCED: 1}[experience]
    if not exercise.compound:
        return 10, 15, rir, 75
    return (8, 12, rir, 120) if experience is Experience.BEGINNER else (6, 10, rir, 120)


def prescribe(exercise: Exercise, experience: Experience, sets: int, version: int = 1) -> Prescription:
    rep_min, rep_max, rir, rest = scheme(exercise, experience)
    return Prescription(exercise.id, exercise.name, sets, rep_min, rep_max, rir, rest, None, version)


def is_lower_body(exercise: Exercise) -> bool:
    """Lower body: a primary muscle among quadriceps, hamstrings, glutes, calves, adductors, abductors."""
    return bool(LOWER_BODY.intersection(exercise.primary_muscles))


def volume_range(experience: Experience) -> tuple[int, int]:
    return VOLUME[experience]


def sets_close(a: Mapping[MuscleGroup, float], b: Mapping[MuscleGroup, float]) -> bool:
    return set(a) == set(b) and all(math.isclose(a[group], b[group], abs_tol=1e-9) for group in a)
