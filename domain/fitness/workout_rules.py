"""The rules workout generator: deterministic, offline, bounded.

It fills a week set by set: while a major muscle group is below its goal (first the range's minimum for
every group, then minimum + a third of the range), it adds one set to the group's best option that keeps
every group under its maximum and the day within session_minutes: another set of an exercise already on
a day that trains the group (up to 3 sets before a new exercise, 5 at most), or a new exercise (2 sets)
from the strength and powerlifting exercises the profile's equipment and level allow, well-known lifts first.
"""

from dataclasses import dataclass, field, replace

from domain.fitness.catalogue import Catalogue, Category, Exercise
from domain.fitness.errors import PlanInfeasible
from domain.fitness.profile import SESSION_MINUTES, Profile
from domain.fitness.workout import (
    FOCUS_MUSCLES, SETUP_SECONDS, WARMUP_MINUTES, WORK_SECONDS, DayFocus, MuscleGroup, WorkoutDraft,
    WorkoutRequest, credit, deload_weeks, focuses, prescribe, scheme, suits, volume_range,
)
from domain.fitness.workout_validation import validate_workout_draft

GENERATOR = "rules"
VERSION = "1"
CATEGORIES = frozenset({Category.STRENGTH, Category.POWERLIFTING})
NEW_EXERCISE_SETS = 2
COMFORTABLE_SETS = 3
MAX_SETS = 5
MAX_EXERCISES = 8
CANDIDATES_PER_DAY = 4
STAPLES = (  # well-known lifts, preferred in this order when the profile allows them
    "Barbell_Squat", "Barbell_Bench_Press_-_Medium_Grip", "Bent_Over_Barbell_Row", "Romanian_Deadlift",
    "Standing_Military_Press", "Pullups", "Barbell_Hip_Thrust", "Dumbbell_Bench_Press", "One-Arm_Dumbbell_Row",
    "Seated_Dumbbell_Press", "Goblet_Squat", "Stiff-Legged_Dumbbell_Deadlift", "Wide-Grip_Lat_Pulldown",
    "Seated_Cable_Rows", "Leg_Press", "Lying_Leg_Curls", "Seated_Leg_Curl", "Machine_Bench_Press",
    "Machine_Shoulder_Military_Press", "Incline_Dumbbell_Press", "Side_Lateral_Raise", "Face_Pull",
    "Dumbbell_Lunges", "Split_Squat_with_Dumbbells", "Barbell_Glute_Bridge", "Pull_Through", "Chin-Up",
    "Inverted_Row", "Pushups", "Bodyweight_Squat", "Glute_Kickback", "Leg_Extensions",
)
_STAPLE_RANK = {exercise_id: rank for rank, exercise_id in enumerate(STAPLES)}


def generate_workout(profile: Profile, request: WorkoutRequest, catalogue: Catalogue) -> WorkoutDraft:
    """The plan for `profile`; PlanInfeasible naming `equipment` or `session_minutes` when none fits."""
    draft = _valid_fill(profile, request, catalogue, profile.session_minutes)
    if draft is None:
        raise _why_not(profile, request, catalogue)
    return draft


def _valid_fill(profile: Profile, request: WorkoutRequest, catalogue: Catalogue, minutes: int) -> WorkoutDraft | None:
    """The week filled for sessions of `minutes` when the validator finds no broken rule in it for such sessions
    (never a wrong plan), else None."""
    draft = _fill(profile, request, catalogue, minutes)
    if draft is None or validate_workout_draft(draft, replace(profile, session_minutes=minutes), catalogue):
        return None
    return draft


@dataclass(frozen=True, slots=True)
class _Option:
    """An exercise the profile may do, with what one set of it credits each group and costs in seconds."""

    exercise: Exercise
    credits: tuple[float, ...]  # in MuscleGroup order
    seconds: int
    rank: tuple[int, int, str]


@dataclass(slots=True)
class _Slot:
    option: _Option
    sets: int


@dataclass(slots=True)
class _Day:
    focus: DayFocus
    slots: list[_Slot] = field(default_factory=list)
    seconds: int = WARMUP_MINUTES * 60


_GROUPS = tuple(MuscleGroup)


def _fill(profile: Profile, request: WorkoutRequest, catalogue: Catalogue, session_minutes: int) -> WorkoutDraft | None:
    pool = _pool(profile, catalogue)
    days = [_Day(focus) for focus in focuses(profile.training_days_per_week)]
    counts = [0.0] * len(_GROUPS)
    low, high = volume_range(profile.experience)
    for goal in (low, low + (high - low) // 3):
        stuck: set[int] = set()
        while True:
            short = [g for g in range(len(_GROUPS)) if counts[g] < goal and g not in stuck]
            if not short:
                break
            group = max(short, key=lambda g: goal - counts[g])  # the first of the largest deficits
            if not _add_set(group, days, pool[group], counts, goal, high, session_minutes * 60):
                stuck.add(group)
        if min(counts) < low:
            return None
    return WorkoutDraft.build(
        weeks=request.weeks,
        deload_weeks=deload_weeks(request.weeks, profile.experience),
        days=[
            [prescribe(slot.option.exercise, profile.experience, slot.sets) for slot in sorted(day.slots, key=_order)]
            for day in days
        ],
        catalogue=catalogue,
    )


def _add_set(
    group: int, days: list[_Day], candidates: list[_Option], counts: list[float], goal: int, high: int, budget: int,
) -> bool:
    """Add the best set for `group`; False when no set fits."""
    best: tuple[tuple[float, ...], _Day, _Slot] | None = None
    for day in days:
        for slot in day.slots:
            option = slot.option
            if option.credits[group] and slot.sets < MAX_SETS and _fits(option, 1, 0, day, counts, high, budget):
                score = _score(option, group, counts, goal, 0 if slot.sets < COMFORTABLE_SETS else 2, day)
                if best is None or score < best[0]:
                    best = (score, day, slot)
        if len(day.slots) >= MAX_EXERCISES:
            continue
        on_day = {slot.option.exercise.id for slot in day.slots}
        found = 0
        for option in candidates:
            if found == CANDIDATES_PER_DAY:
                break
            if (option.exercise.primary_muscles[0] in FOCUS_MUSCLES[day.focus] and option.exercise.id not in on_day
                    and _fits(option, NEW_EXERCISE_SETS, SETUP_SECONDS, day, counts, high, budget)):
                found += 1
                score = _score(option, group, counts, goal, 1, day)
                if best is None or score < best[0]:
                    best = (score, day, _Slot(option, 0))
    if best is None:
        return False
    _, day, slot = best
    added = 1
    if slot.sets == 0:
        day.slots.append(slot)
        day.seconds += SETUP_SECONDS
        added = NEW_EXERCISE_SETS
    slot.sets += added
    day.seconds += added * slot.option.seconds
    for other, value in enumerate(slot.option.credits):
        counts[other] += added * value
    return True


def _score(option: _Option, group: int, counts: list[float], goal: int, kind: int, day: _Day) -> tuple[float, ...]:
    """Lower is better: primary credit, fewer sets spilling onto groups already at goal, extra sets on
    exercises with under 3 before new exercises, the emptier day, the better-known lift."""
    spill = sum(value for other, value in enumerate(option.credits) if other != group and counts[other] >= goal)
    return (-option.credits[group], spill, kind, day.seconds, *option.rank[:2])


def _fits(option: _Option, sets: int, setup: int, day: _Day, counts: list[float], high: int, budget: int) -> bool:
    if any(count + sets * value > high for count, value in zip(counts, option.credits)):
        return False
    return day.seconds + setup + sets * option.seconds <= budget


def _pool(profile: Profile, catalogue: Catalogue) -> list[list[_Option]]:
    """Per group (MuscleGroup order), the usable exercises crediting it: primary first, well-known first."""
    usable = [
        _Option(
            exercise, tuple(credit(exercise, group) for group in _GROUPS),
            WORK_SECONDS + scheme(exercise, profile.experience)[3], _rank(exercise),
        )
        for exercise in catalogue.exercises
        if exercise.category in CATEGORIES and exercise.primary_muscles and suits(exercise, profile)
    ]
    return [
        sorted((option for option in usable if option.credits[g]), key=lambda o: (-o.credits[g], *o.rank))
        for g in range(len(_GROUPS))
    ]


def _rank(exercise: Exercise) -> tuple[int, int, str]:
    return _STAPLE_RANK.get(exercise.id, len(STAPLES)), 0 if exercise.compound else 1, exercise.id


def _order(slot: _Slot) -> tuple[int, int, str]:
    """Within a day: compound lifts first, then well-known ones."""
    rank = slot.option.rank
    return rank[1], rank[0], rank[2]


def _why_not(profile: Profile, request: WorkoutRequest, catalogue: Catalogue) -> PlanInfeasible:
    low, _ = volume_range(profile.experience)
    pool = _pool(profile, catalogue)
    missing = [str(group) for group, options in zip(_GROUPS, pool) if not options]
    if missing:
        return PlanInfeasible("equipment", (
            f"no exercise for {', '.join(missing)} suits this equipment at the {profile.experience} level"))
    longest = SESSION_MINUTES[1]
    if _valid_fill(profile, request, catalogue, longest) is None:
        return PlanInfeasible("equipment", (
            f"the exercises this equipment allows at the {profile.experience} level cannot give every major muscle "
            f"group {low} sets a week on {profile.training_days_per_week} days; add equipment"))
    enough, short = longest, profile.session_minutes  # _fill works at `enough`, fails at `short`
    while enough - short > 5:
        middle = (enough + short) // 2
        if _valid_fill(profile, request, catalogue, middle) is None:
            short = middle
        else:
            enough = middle
    return PlanInfeasible("session_minutes", (
        f"{profile.session_minutes} minutes on {profile.training_days_per_week} days cannot hold {low} sets a week "
        f"for every major muscle group; about {enough} minutes would"))
