"""A valid profile to vary, on a fixed today."""

from datetime import date

from domain.fitness.catalogue import Catalogue
from domain.fitness.profile import Profile

TODAY = date(2026, 3, 15)
PROFILE_FIELDS: dict[str, object] = dict(
    sex="male", birth_date=date(1990, 6, 1), height_cm=180, weight_kg=80, activity_level="moderate",
    goal="maintain", weekly_rate_kg=None, experience="intermediate",
    equipment=["barbell", "dumbbell", "cable", "machine"], training_days_per_week=4, session_minutes=60,
    diet="omnivore", excluded_foods=[], meals_per_day=3,
)


def make_profile(catalogue: Catalogue, **changes: object) -> Profile:
    """A valid profile (35 years old on TODAY) with `changes` applied to its raw fields."""
    return Profile.create(today=TODAY, food_ids=catalogue.food_ids(), **(PROFILE_FIELDS | changes))
