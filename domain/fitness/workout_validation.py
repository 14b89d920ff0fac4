"""The rules every workout draft must keep, whichever generator wrote it."""

from domain.fitness.catalogue import Catalogue
from domain.fitness.errors import Violation
from domain.fitness.profile import Profile
from domain.fitness.workout import (
    DELOAD_GAP, EXERCISES_PER_DAY_MAX, LOAD_KG_MAX, REPS, REST_SECONDS, RIR, SETS, WEEKS, Prescription,
    WorkoutDraft, equipment_allows, focuses, level_allows, minutes, sets_close, split_for, volume_range,
    weekly_sets,
)


def validate_workout_draft(draft: WorkoutDraft, profile: Profile, catalogue: Catalogue) -> list[Violation]:
    """Every broken rule of `draft` for `profile` (empty when it keeps them all); reads a bounded draft only."""
    wanted_days = profile.training_days_per_week
    if len(draft.days) != wanted_days:
        return [Violation("days", f"the plan must have {wanted_days} training days, not {len(draft.days)}")]
    crowded = [day.day for day in draft.days if not 1 <= len(day.exercises) <= EXERCISES_PER_DAY_MAX]
    if crowded:
        return [
            Violation("exercises", f"day {day} must have 1 to {EXERCISES_PER_DAY_MAX} exercises") for day in crowded
        ]
    problems: list[Violation] = []
    if draft.split != split_for(wanted_days):
        problems.append(Violation("split", f"{wanted_days} training days need the {split_for(wanted_days)} split"))
    expected_focus = focuses(wanted_days)
    for number, (day, focus) in enumerate(zip(draft.days, expected_focus), 1):
        if day.day != number or day.focus != focus:
            problems.append(Violation("days", f"day {number} must be numbered {number} with focus {focus}"))
    problems += _weeks(draft)
    for day in draft.days:
        seen: set[str] = set()
        for item in day.exercises:
            problems += _prescription(item, day.day, profile, catalogue)
            if item.exercise_id in seen:
                problems.append(Violation("exercises", f"day {day.day} lists {item.exercise_id!r} twice"))
            seen.add(item.exercise_id)
        if minutes(day.exercises) > profile.session_minutes:
            problems.append(Violation("session_minutes", (
                f"day {day.day} takes {minutes(day.exercises):.0f} minutes, more than {profile.session_minutes}")))
    counted = weekly_sets(draft.days, catalogue)
    low, high = volume_range(profile.experience)
    for group, sets in counted.items():
        if not low <= sets <= high:
            problems.append(Violation("weekly_sets", f"{group} gets {sets:g} sets a week, not {low}-{high}"))
    if not sets_close(counted, draft.weekly_sets_by_muscle):
        problems.append(Violation("weekly_sets_by_muscle", "must be the sets the days add up to"))
    return problems


def _weeks(draft: WorkoutDraft) -> list[Violation]:
    if not WEEKS[0] <= draft.weeks <= WEEKS[1]:
        return [Violation("weeks", f"must be {WEEKS[0]}-{WEEKS[1]}")]
    previous, gaps_ok = 0, True
    for week in draft.deload_weeks:
        gaps_ok = gaps_ok and DELOAD_GAP[0] <= week - previous <= DELOAD_GAP[1] and week <= draft.weeks
        previous = week
    if not gaps_ok or draft.weeks - previous >= DELOAD_GAP[1]:
        return [Violation("deload_weeks", (
            f"a deload week must come every {DELOAD_GAP[0]}-{DELOAD_GAP[1]} weeks within the {draft.weeks} weeks"))]
    return []


def _prescription(item: Prescription, day: int, profile: Profile, catalogue: Catalogue) -> list[Violation]:
    where = f"day {day}, {item.exercise_id[:60]!r}"
    exercise = catalogue.exercise(item.exercise_id)
    if exercise is None:
        return [Violation("unknown_exercise", f"{where} is not in the catalogue")]
    problems = []
    if item.name != exercise.name:
        problems.append(Violation("name", f"{where} is named {exercise.name!r}"))
    if not equipment_allows(exercise, profile.equipment):
        problems.append(Violation("equipment", f"{where} needs {exercise.equipment}, which the profile lacks"))
    if not level_allows(exercise, profile.experience):
        problems.append(Violation("level", f"{where} is {exercise.level}, above {profile.experience}"))
    if not SETS[0] <= item.sets <= SETS[1]:
        problems.append(Violation("sets", f"{where} must have {SETS[0]}-{SETS[1]} sets"))
    if not REPS[0] <= item.rep_min <= item.rep_max <= REPS[1]:
        problems.append(Violation("reps", f"{where} needs {REPS[0]} <= rep_min <= rep_max <= {REPS[1]}"))
    if not RIR[0] <= item.rir <= RIR[1]:
        problems.append(Violation("rir", f"{where} must have rir {RIR[0]}-{RIR[1]}"))
    if not REST_SECONDS[0] <= item.rest_seconds <= REST_SECONDS[1]:
        problems.append(Violation("rest_seconds", f"{where} must rest {REST_SECONDS[0]}-{REST_SECONDS[1]} s"))
    if item.load_kg is not None and not (0 <= item.load_kg <= LOAD_KG_MAX and (item.load_kg * 2).is_integer()):
        problems.append(Violation("load_kg", f"{where} must load 0-{LOAD_KG_MAX:g} kg in 0.5 kg steps, or none"))
    if item.load_since_version < 1:
        problems.append(Violation("load_since_version", f"{where} must be a plan version"))
    return problems
