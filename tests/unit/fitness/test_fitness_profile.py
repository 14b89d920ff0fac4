"""The profile's fields and ranges: each bad value is refused naming its field."""

import math
from datetime import date, datetime

import pytest

from domain.fitness.catalogue import Equipment
from domain.fitness.profile import Goal
from domain.shared.errors import InvalidValue
from tests.unit.fitness.support import TODAY, make_profile


def test_a_valid_profile_is_normalized(catalogue):
    profile = make_profile(
        catalogue, equipment=["machine", "barbell", "machine"], excluded_foods=["salmon", "egg", "salmon"],
    )

    assert profile.equipment == (Equipment.BARBELL, Equipment.MACHINE)
    assert profile.excluded_foods == ("egg", "salmon")
    assert profile.age_on(TODAY) == 35
    assert profile.weekly_rate_kg == 0


@pytest.mark.parametrize(("field", "value"), [
    ("sex", "other"),
    ("birth_date", date(2012, 3, 16)),  # 13 today
    ("birth_date", date(1925, 3, 14)),  # 101 today
    ("birth_date", "1990-06-01"),
    ("birth_date", datetime(1990, 6, 1)),
    ("height_cm", 99.9),
    ("height_cm", 250.5),
    ("height_cm", "180"),
    ("height_cm", True),
    ("height_cm", math.nan),
    ("weight_kg", 29.9),
    ("weight_kg", 300.1),
    ("weight_kg", math.inf),
    ("activity_level", "couch"),
    ("goal", "bulk"),
    ("experience", "expert"),
    ("equipment", ["treadmill"]),
    ("equipment", "barbell"),
    ("equipment", ["barbell"] * 201),
    ("training_days_per_week", 1),
    ("training_days_per_week", 7),
    ("training_days_per_week", 3.0),
    ("session_minutes", 19),
    ("session_minutes", 181),
    ("diet", "keto"),
    ("excluded_foods", ["unicorn_steak"]),
    ("excluded_foods", [3]),
    ("meals_per_day", 1),
    ("meals_per_day", 6),
])
def test_an_out_of_range_value_names_its_field(catalogue, field, value):
    with pytest.raises(InvalidValue) as caught:
        make_profile(catalogue, **{field: value})

    assert caught.value.field == field


@pytest.mark.parametrize(("goal", "rate"), [("lose", 1.01), ("lose", 0.05), ("gain", 1.5), ("maintain", 0.5)])
def test_the_weekly_rate_fits_the_goal(catalogue, goal, rate):
    with pytest.raises(InvalidValue) as caught:
        make_profile(catalogue, goal=goal, weekly_rate_kg=rate)

    assert caught.value.field == "weekly_rate_kg"


def test_the_age_range_is_14_to_100_on_today(catalogue):
    assert make_profile(catalogue, birth_date=date(2012, 3, 15)).age_on(TODAY) == 14
    assert make_profile(catalogue, birth_date=date(1925, 3, 16)).age_on(TODAY) == 100


@pytest.mark.parametrize(("goal", "rate"), [(Goal.LOSE, 0.5), (Goal.GAIN, 0.25), (Goal.MAINTAIN, 0.0)])
def test_a_missing_weekly_rate_takes_the_goal_default(catalogue, goal, rate):
    assert make_profile(catalogue, goal=goal.value).weekly_rate_kg == rate
