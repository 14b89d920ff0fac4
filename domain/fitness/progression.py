"""Logged sessions, double-progression adaptation, and swapping one exercise for another."""

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal

from domain.fitness.catalogue import Catalogue, Exercise
from domain.fitness.profile import Profile
from domain.fitness.values import check_int, check_number, exact, round_half_up
from domain.fitness.workout import LOAD_KG_MAX, Prescription, WorkoutDraft, is_lower_body, prescribe
from domain.fitness.workout_validation import validate_workout_draft
from domain.shared.dates import MIN_DATE
from domain.shared.errors import InvalidValue

UPPER_STEP_KG = Decimal("2.5")
LOWER_STEP_KG = Decimal(5)
DROP_SHARE = Decimal("0.9")
PLATE_KG = Decimal("0.5")
SESSIONS_BELOW = 3
SETS_PER_SESSION_MAX = 100
REPS_MAX = 100
RIR_MAX = 10


@dataclass(frozen=True, slots=True)
class LoggedSet:
    exercise_id: str
    reps: int
    weight_kg: float
    rir: int | None = None


@dataclass(frozen=True, slots=True)
class LoggedSession:
    """What was done on one day of a plan, against the plan version current when it was logged."""

    day: int
    performed_on: date
    plan_version: int
    sets: tuple[LoggedSet, ...]

    @classmethod
    def create(
        cls, *, plan: WorkoutDraft, plan_version: int, catalogue: Catalogue, today: date, day: object,
        performed_on: object, sets: Iterable[dict[str, object]],
    ) -> "LoggedSession":
        """Validate raw values: a day of the plan, a date up to today, 1-100 sets of catalogue exercises."""
        number = check_int(day, "day", 1, len(plan.days))
        if not isinstance(performed_on, date) or isinstance(performed_on, datetime) or not (
                MIN_DATE <= performed_on <= today):
            raise InvalidValue("performed_on", f"must be a date from {MIN_DATE} to today")
        logged: list[LoggedSet] = []
        for index, raw in enumerate(sets):
            if index == SETS_PER_SESSION_MAX:
                raise InvalidValue("sets", f"must have at most {SETS_PER_SESSION_MAX} sets")
            logged.append(_logged_set(raw, f"sets[{index}]", catalogue))
        if not logged:
            raise InvalidValue("sets", "must have at least one set")
        return cls(number, performed_on, plan_version, tuple(logged))

    def sets_of(self, exercise_id: str) -> list[LoggedSet]:
        return [logged for logged in self.sets if logged.exercise_id == exercise_id]


@dataclass(frozen=True, slots=True)
class LoadChange:
    day: int
    exercise_id: str
    from_kg: float | None
    to_kg: float
    reason: str


@dataclass(frozen=True, slots=True)
class Adaptation:
    """The next version's content and what changed (empty when every load stays)."""

    draft: WorkoutDraft
    changes: tuple[LoadChange, ...]


def adapt_workout(
    draft: WorkoutDraft, sessions: Iterable[LoggedSession], version: int, catalogue: Catalogue,
) -> Adaptation:
    """Double progression for each exercise of each day (`version` is the draft's; changed loads date from
    version + 1). Only sessions of that day logged since the exercise's load was set count. When every set
    of the last one reached rep_max, the load rises 2.5 kg (upper body) or 5 kg (lower body); when the last
    three each had a set below rep_min, it drops 10 %, rounded to 0.5 kg; otherwise it stays. The load
    moved is the prescribed one, or when none is set yet the heaviest weight of the last session (rounded
    to 0.5 kg); bodyweight work (no weight logged) keeps no load.
    """
    ordered = sorted(sessions, key=lambda session: (session.performed_on, session.plan_version))
    changes: list[LoadChange] = []
    days = []
    for day in draft.days:
        items = []
        for item in day.exercises:
            exercise = catalogue.exercise(item.exercise_id)
            history = [
                session.sets_of(item.exercise_id) for session in ordered
                if session.day == day.day and item.load_since_version <= session.plan_version <= version
                and session.sets_of(item.exercise_id)
            ]
            change = None if exercise is None else _progress(item, exercise, history)
            if change is not None:
                load, reason = change
                changes.append(LoadChange(day.day, item.exercise_id, item.load_kg, load, reason))
                item = replace(item, load_kg=load, load_since_version=version + 1)
            items.append(item)
        days.append(replace(day, exercises=tuple(items)))
    return Adaptation(replace(draft, days=tuple(days)), tuple(changes))


def _progress(item: Prescription, exercise: Exercise, history: list[list[LoggedSet]]) -> tuple[float, str] | None:
    if not history:
        return None
    last = history[-1]
    heaviest = max(logged.weight_kg for logged in last)
    reference = exact(item.load_kg) if item.load_kg is not None else round_half_up(heaviest, PLATE_KG)
    if reference <= 0:
        return None
    if all(logged.reps >= item.rep_max for logged in last):
        step = LOWER_STEP_KG if is_lower_body(exercise) else UPPER_STEP_KG
        return float(min(reference + step, exact(LOAD_KG_MAX))), "every set reached rep_max"
    recent = history[-SESSIONS_BELOW:]
    if len(recent) == SESSIONS_BELOW and all(any(s.reps < item.rep_min for s in sets) for sets in recent):
        dropped = round_half_up(reference * DROP_SHARE, PLATE_KG)
        return float(dropped), f"{SESSIONS_BELOW} sessions in a row below rep_min"
    return None


def swap_exercise(
    draft: WorkoutDraft, *, day: object, exercise_id: object, replacement_id: object, profile: Profile,
    catalogue: Catalogue, version: int,
) -> WorkoutDraft:
    """Replace one exercise of a day with a catalogue exercise (same sets, its own reps and rest, no load yet);
    InvalidValue when the swap itself breaks a rule the plan kept."""
    number = check_int(day, "day", 1, len(draft.days))
    current = draft.days[number - 1]
    ids = [item.exercise_id for item in current.exercises]
    if not isinstance(exercise_id, str) or exercise_id not in ids:
        raise InvalidValue("exercise_id", f"is not an exercise of day {number}")
    replacement = catalogue.exercise(replacement_id) if isinstance(replacement_id, str) else None
    if replacement is None:
        raise InvalidValue("replacement_id", "is not an exercise of the catalogue")
    if replacement.id in ids:
        raise InvalidValue("replacement_id", f"is already on day {number}")
    items = [
        prescribe(replacement, profile.experience, item.sets, version) if item.exercise_id == exercise_id else item
        for item in current.exercises
    ]
    days = [items if other.day == number else list(other.exercises) for other in draft.days]
    swapped = WorkoutDraft.build(weeks=draft.weeks, deload_weeks=draft.deload_weeks, days=days, catalogue=catalogue)
    before = set(validate_workout_draft(draft, profile, catalogue))
    broken = [violation for violation in validate_workout_draft(swapped, profile, catalogue) if violation not in before]
    if broken:
        raise InvalidValue("replacement_id", "; ".join(str(violation) for violation in broken[:3]))
    return swapped


def _logged_set(raw: dict[str, object], field: str, catalogue: Catalogue) -> LoggedSet:
    exercise_id = raw.get("exercise_id")
    if not isinstance(exercise_id, str) or catalogue.exercise(exercise_id) is None:
        raise InvalidValue(f"{field}.exercise_id", "is not an exercise of the catalogue")
    rir = raw.get("rir")
    return LoggedSet(
        exercise_id=exercise_id,
        reps=check_int(raw.get("reps"), f"{field}.reps", 0, REPS_MAX),
        weight_kg=check_number(raw.get("weight_kg"), f"{field}.weight_kg", 0.0, LOAD_KG_MAX),
        rir=None if rir is None else check_int(rir, f"{field}.rir", 0, RIR_MAX),
    )

