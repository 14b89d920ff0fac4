"""The fitness profile: body, activity, goal, training and eating preferences, each field range-checked."""

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from domain.fitness.catalogue import Equipment
from domain.fitness.diet import Diet, parse_diet
from domain.fitness.values import check_int, check_number, parse_choice
from domain.shared.errors import InvalidValue

AGE_MIN, AGE_MAX = 14, 100
HEIGHT_CM = (100.0, 250.0)
WEIGHT_KG = (30.0, 300.0)
WEEKLY_RATE_KG = (0.1, 1.0)
TRAINING_DAYS = (2, 6)
SESSION_MINUTES = (20, 180)
MEALS_PER_DAY = (2, 5)
LIST_MAX = 200  # raw entries read from equipment or excluded_foods


class Sex(StrEnum):
    MALE = "male"
    FEMALE = "female"


class ActivityLevel(StrEnum):
    SEDENTARY = "sedentary"
    LIGHT = "light"
    MODERATE = "moderate"
    ACTIVE = "active"
    VERY_ACTIVE = "very_active"


class Goal(StrEnum):
    LOSE = "lose"
    MAINTAIN = "maintain"
    GAIN = "gain"


class Experience(StrEnum):
    BEGINNER = "beginner"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"


DEFAULT_WEEKLY_RATE_KG = {Goal.LOSE: 0.5, Goal.MAINTAIN: 0.0, Goal.GAIN: 0.25}


@dataclass(frozen=True, slots=True)
class Profile:
    """A valid profile; `equipment` and `excluded_foods` are sorted and unique; maintain has rate 0."""

    sex: Sex
    birth_date: date
    height_cm: float
    weight_kg: float
    activity_level: ActivityLevel
    goal: Goal
    weekly_rate_kg: float
    experience: Experience
    equipment: tuple[Equipment, ...]
    training_days_per_week: int
    session_minutes: int
    diet: Diet
    excluded_foods: tuple[str, ...]
    meals_per_day: int

    @classmethod
    def create(
        cls, *, today: date, food_ids: Collection[str], sex: object, birth_date: object, height_cm: object,
        weight_kg: object, activity_level: object, goal: object, weekly_rate_kg: object = None,
        experience: object, equipment: object = (), training_days_per_week: object, session_minutes: object,
        diet: object, excluded_foods: object = (), meals_per_day: object,
    ) -> "Profile":
        """Validate raw values (InvalidValue names the first bad field); `food_ids` are the known food ids."""
        goal_ = parse_choice(Goal, goal, "goal")
        return cls(
            sex=parse_choice(Sex, sex, "sex"),
            birth_date=_birth_date(birth_date, today),
            height_cm=check_number(height_cm, "height_cm", *HEIGHT_CM),
            weight_kg=check_number(weight_kg, "weight_kg", *WEIGHT_KG),
            activity_level=parse_choice(ActivityLevel, activity_level, "activity_level"),
            goal=goal_,
            weekly_rate_kg=_weekly_rate(weekly_rate_kg, goal_),
            experience=parse_choice(Experience, experience, "experience"),
            equipment=tuple(sorted(set(parse_choice(Equipment, name, "equipment")
                                       for name in _entries(equipment, "equipment")))),
            training_days_per_week=check_int(training_days_per_week, "training_days_per_week", *TRAINING_DAYS),
            session_minutes=check_int(session_minutes, "session_minutes", *SESSION_MINUTES),
            diet=parse_diet(diet),
            excluded_foods=_excluded(excluded_foods, food_ids),
            meals_per_day=check_int(meals_per_day, "meals_per_day", *MEALS_PER_DAY),
        )

    def age_on(self, today: date) -> int:
        """Whole years of age on `today`."""
        return age_on(self.birth_date, today)


def age_on(birth_date: date, today: date) -> int:
    before_birthday = (today.month, today.day) < (birth_date.month, birth_date.day)
    return today.year - birth_date.year - before_birthday


def _birth_date(value: object, today: date) -> date:
    if not isinstance(value, date) or isinstance(value, datetime):
        raise InvalidValue("birth_date", "must be a date (YYYY-MM-DD)")
    if not AGE_MIN <= age_on(value, today) <= AGE_MAX:
        raise InvalidValue("birth_date", f"age must be from {AGE_MIN} to {AGE_MAX} years today")
    return value


def _weekly_rate(value: object, goal: Goal) -> float:
    if value is None:
        return DEFAULT_WEEKLY_RATE_KG[goal]
    if goal is Goal.MAINTAIN:
        if check_number(value, "weekly_rate_kg", 0.0, WEEKLY_RATE_KG[1]) != 0:
            raise InvalidValue("weekly_rate_kg", "must be 0 when the goal is maintain")
        return 0.0
    return check_number(value, "weekly_rate_kg", *WEEKLY_RATE_KG)


def _entries(value: object, field: str) -> list[object]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise InvalidValue(field, "must be a list")
    entries: list[object] = []
    for entry in value:
        if len(entries) == LIST_MAX:
            raise InvalidValue(field, f"must have at most {LIST_MAX} entries")
        entries.append(entry)
    return entries


def _excluded(value: object, food_ids: Collection[str]) -> tuple[str, ...]:
    ids = set()
    for entry in _entries(value, "excluded_foods"):
        if not isinstance(entry, str) or entry not in food_ids:
            raise InvalidValue("excluded_foods", f"{str(entry)[:60]!r} is not a food id")
        ids.add(entry)
    return tuple(sorted(ids))
