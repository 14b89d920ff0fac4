"""Adaptive expenditure: weekly check-ins move the estimate toward what the weight trend and intake imply."""

import math
import random
from datetime import date, timedelta

import pytest

from domain.fitness.expenditure import CheckIn, IntakeEntry, WeightEntry, estimate_expenditure, trend_weights

START = date(2026, 1, 1)


def days(count: int, start: date = START) -> list[date]:
    return [start + timedelta(days=offset) for offset in range(count)]


def steady(count: int, kg: float = 80.0, kcal: float = 2500.0) -> tuple[list[WeightEntry], list[IntakeEntry]]:
    return [WeightEntry(day, kg) for day in days(count)], [IntakeEntry(day, kcal) for day in days(count)]


def test_the_worked_example_of_the_docs():
    # Weighed and logged 2026-01-01..01-28 at 80 kg and 2,500 kcal; the formula says 2,200.
    # Check-ins fall on 01-08, 01-15, 01-22 (7, 14, 21 days of intake: under 23, skipped) and 01-29
    # (the day after the last entry): 28 weigh-ins, 28 intake days, a flat trend, so it observes
    # 2,500 - 0 * 7700 = 2,500 and moves 25 % of the way: 2,200 + 0.25 * 300 = 2,275.
    weights, intakes = steady(28)

    spent = estimate_expenditure(weights, intakes, 2200.0)

    assert spent.adaptive
    assert spent.check_ins == (CheckIn(date(2026, 1, 29), 2500.0, 2275.0),)
    assert spent.tdee_kcal == 2275.0


def test_the_trend_moves_a_tenth_of_the_way_to_each_weigh_in():
    weighed = [(START, 80.0), (START + timedelta(days=3), 90.0), (START + timedelta(days=4), 90.0)]

    assert list(trend_weights(weighed).values()) == pytest.approx([80.0, 81.0, 81.9])


def test_a_steady_weight_at_a_known_intake_converges_toward_the_intake():
    weights, intakes = steady(26 * 7)  # check-ins 4..26 have enough data: 23 of them

    spent = estimate_expenditure(weights, intakes, 2200.0)

    assert len(spent.check_ins) == 23
    assert spent.tdee_kcal == pytest.approx(2500 - 300 * 0.75 ** 23)
    estimates = [check.estimate_kcal for check in spent.check_ins]
    assert estimates == sorted(estimates)


def test_one_check_in_moves_at_most_150_kcal():
    weights, intakes = steady(28, kcal=3000.0)

    assert estimate_expenditure(weights, intakes, 2000.0).tdee_kcal == 2150.0  # not 2000 + 250
    assert estimate_expenditure(weights, steady(28, kcal=1000.0)[1], 2000.0).tdee_kcal == 1850.0


def test_a_losing_trend_adds_its_energy_to_the_intake():
    # Losing exactly 0.5 kg a week for 30 weeks at 2,000 kcal: once the average has settled its slope is
    # -0.5/7 kg a day, so a check-in observes 2,000 + 0.5 / 7 * 7,700 = 2,550 kcal.
    weights = [WeightEntry(day, 100 - 0.5 / 7 * offset) for offset, day in enumerate(days(210))]
    intakes = [IntakeEntry(day, 2000.0) for day in days(210)]

    spent = estimate_expenditure(weights, intakes, 2000.0)

    assert spent.check_ins[-1].observed_tdee_kcal == pytest.approx(2550, abs=0.01)


@pytest.mark.parametrize(("weigh_ins", "adaptive"), [(9, False), (10, True)])
def test_a_check_in_needs_ten_weigh_ins(weigh_ins, adaptive):
    weigh_days = [START + timedelta(days=3 * index) for index in range(weigh_ins)]  # all within 01-01..01-28

    spent = estimate_expenditure([WeightEntry(day, 80.0) for day in weigh_days], steady(28)[1], 2200.0)

    assert spent.adaptive is adaptive
    assert spent.tdee_kcal == (2275.0 if adaptive else 2200.0)


@pytest.mark.parametrize(("intake_days", "adaptive"), [(22, False), (23, True)])
def test_a_check_in_needs_intake_on_80_percent_of_its_28_days(intake_days, adaptive):
    weights = steady(28)[0]
    intakes = [IntakeEntry(day, 2500.0) for day in days(28)[28 - intake_days:]]

    assert estimate_expenditure(weights, intakes, 2200.0).adaptive is adaptive


def test_no_history_gives_the_formula():
    spent = estimate_expenditure([], [], 2345.0)

    assert (spent.tdee_kcal, spent.adaptive) == (2345.0, False)


def test_the_same_history_gives_the_same_number_in_any_order():
    rng = random.Random(7)
    weights = [WeightEntry(day, 80 + rng.uniform(-1, 1)) for day in days(120) if rng.random() < 0.7]
    intakes = [IntakeEntry(day, rng.uniform(1800, 2800)) for day in days(120) if rng.random() < 0.9]
    first = estimate_expenditure(weights, intakes, 2300.0)

    rng.shuffle(weights)
    rng.shuffle(intakes)

    assert estimate_expenditure(weights, intakes, 2300.0) == first


def test_a_later_entry_for_the_same_day_replaces_the_earlier():
    weights, intakes = steady(28)
    replaced = intakes + [IntakeEntry(day, 2900.0) for day in days(28)]

    assert estimate_expenditure(weights, replaced, 2200.0).check_ins[0].observed_tdee_kcal == 2900.0


def test_only_the_365_days_ending_at_the_last_entry_are_read():
    weights, intakes = steady(60)
    ancient = days(30, START - timedelta(days=400))
    noisy_weights = [WeightEntry(day, 150.0) for day in ancient] + weights
    noisy_intakes = [IntakeEntry(day, 9000.0) for day in ancient] + intakes

    assert estimate_expenditure(noisy_weights, noisy_intakes, 2200.0) == estimate_expenditure(weights, intakes, 2200.0)


def test_ten_years_of_daily_logs_are_read_in_bounded_time():
    weights, intakes = steady(3650)

    spent = estimate_expenditure(weights, intakes, 2200.0)

    assert len(spent.check_ins) <= 53
    assert math.isclose(spent.tdee_kcal, 2500, abs_tol=1)
