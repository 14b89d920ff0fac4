"""Adaptive expenditure: the TDEE the logged weights and intake imply, moved toward weekly.

Trend weight: an exponential moving average over the weigh-ins in date order (alpha 0.1 per weigh-in,
starting at the first). Check-ins fall every 7 days counted from the first logged day F (F+7, F+14, ...)
up to the day after the last logged day L; each looks at the 28 days before it. A check-in with >= 10
weigh-ins and intake logged on >= 80 % of those days (23 of 28) observes
    TDEE = mean logged intake - (least-squares slope of the trend, kg/day) * 7700
and moves the estimate (starting at the formula's TDEE) 25 % of the way toward it, at most 150 kcal.
Only the 365 days ending at L are read. The result depends on the history alone.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from domain.fitness.values import check_number
from domain.shared.errors import InvalidValue

TREND_ALPHA = 0.1
CHECK_IN_DAYS = 7
WINDOW_DAYS = 28
MIN_WEIGH_INS = 10
MIN_INTAKE_DAYS = math.ceil(0.8 * WINDOW_DAYS)  # 23
STEP_SHARE = 0.25
MAX_STEP_KCAL = 150.0
KCAL_PER_KG = 7700.0
HISTORY_DAYS = 365
EARLIEST_DAY = date(1900, 1, 1)
WEIGHT_KG = (30.0, 300.0)
INTAKE_KCAL = (0.0, 20_000.0)
INTAKE_PROTEIN_G = (0.0, 1_000.0)


@dataclass(frozen=True, slots=True)
class WeightEntry:
    day: date
    weight_kg: float

    @classmethod
    def create(cls, *, today: date, day: object, weight_kg: object) -> "WeightEntry":
        return cls(_day(day, today), check_number(weight_kg, "weight_kg", *WEIGHT_KG))


@dataclass(frozen=True, slots=True)
class IntakeEntry:
    day: date
    kcal: float
    protein_g: float | None = None

    @classmethod
    def create(cls, *, today: date, day: object, kcal: object, protein_g: object = None) -> "IntakeEntry":
        protein = None if protein_g is None else check_number(protein_g, "protein_g", *INTAKE_PROTEIN_G)
        return cls(_day(day, today), check_number(kcal, "kcal", *INTAKE_KCAL), protein)


@dataclass(frozen=True, slots=True)
class CheckIn:
    """A check-in with enough data: what it observed and the estimate after it."""

    day: date
    observed_tdee_kcal: float
    estimate_kcal: float


@dataclass(frozen=True, slots=True)
class Expenditure:
    """The current estimate; `adaptive` when at least one check-in had enough data."""

    tdee_kcal: float
    check_ins: tuple[CheckIn, ...]

    @property
    def adaptive(self) -> bool:
        return bool(self.check_ins)


def estimate_expenditure(
    weights: Iterable[WeightEntry], intakes: Iterable[IntakeEntry], formula_tdee_kcal: float,
) -> Expenditure:
    """Apply every check-in of the history in turn (see the module docstring); a later entry for a day wins."""
    weight_by_day = {entry.day: entry.weight_kg for entry in weights}
    intake_by_day = {entry.day: entry.kcal for entry in intakes}
    if not weight_by_day and not intake_by_day:
        return Expenditure(formula_tdee_kcal, ())
    last = max([*weight_by_day, *intake_by_day])
    oldest = last - timedelta(days=HISTORY_DAYS - 1)
    weight_by_day = {day: kg for day, kg in weight_by_day.items() if day >= oldest}
    intake_by_day = {day: kcal for day, kcal in intake_by_day.items() if day >= oldest}
    first = min([*weight_by_day, *intake_by_day])
    trend = trend_weights(sorted(weight_by_day.items()))
    estimate, check_ins = formula_tdee_kcal, []
    check_in = first + timedelta(days=CHECK_IN_DAYS)
    while check_in <= last + timedelta(days=1):
        observed = _observed_tdee(check_in, trend, intake_by_day)
        if observed is not None:
            step = STEP_SHARE * (observed - estimate)
            estimate += max(-MAX_STEP_KCAL, min(MAX_STEP_KCAL, step))
            check_ins.append(CheckIn(check_in, observed, estimate))
        check_in += timedelta(days=CHECK_IN_DAYS)
    return Expenditure(estimate, tuple(check_ins))


def trend_weights(weights: list[tuple[date, float]]) -> dict[date, float]:
    """The trend at each weigh-in: t0 = w0, then t = t + 0.1 (w - t), weigh-ins in date order."""
    trend: dict[date, float] = {}
    value: float | None = None
    for day, kg in weights:
        value = kg if value is None else value + TREND_ALPHA * (kg - value)
        trend[day] = value
    return trend


def _observed_tdee(check_in: date, trend: dict[date, float], intake: dict[date, float]) -> float | None:
    days = [check_in - timedelta(days=offset) for offset in range(WINDOW_DAYS, 0, -1)]
    points = [((day - days[0]).days, trend[day]) for day in days if day in trend]
    eaten = [intake[day] for day in days if day in intake]
    if len(points) < MIN_WEIGH_INS or len(eaten) < MIN_INTAKE_DAYS:
        return None
    return sum(eaten) / len(eaten) - least_squares_slope(points) * KCAL_PER_KG


def least_squares_slope(points: list[tuple[int, float]]) -> float:
    """Slope of the least-squares line through (x, y) points with at least two distinct x."""
    mean_x = sum(x for x, _ in points) / len(points)
    mean_y = sum(y for _, y in points) / len(points)
    spread = sum((x - mean_x) ** 2 for x, _ in points)
    return sum((x - mean_x) * (y - mean_y) for x, y in points) / spread


def _day(value: object, today: date) -> date:
    if not isinstance(value, date) or isinstance(value, datetime):
        raise InvalidValue("date", "must be a date (YYYY-MM-DD)")
    if not EARLIEST_DAY <= value <= today:
        raise InvalidValue("date", f"must be from {EARLIEST_DAY} to today")
    return value
