"""Energy targets by the issue's formulas, checked against numbers worked out by hand."""

from datetime import date

import pytest

from domain.fitness.energy import Energy, EnergyMethod, current_energy, energy_targets
from domain.fitness.expenditure import IntakeEntry, WeightEntry
from tests.unit.fitness.support import TODAY, make_profile


def test_maintaining_man(catalogue):
    # 35 years old on 2026-03-15 (born 1990-06-01), 80 kg, 180 cm, moderate (x1.55).
    # BMR  = 10*80 + 6.25*180 - 5*35 + 5 = 800 + 1125 - 175 + 5 = 1755
    # TDEE = 1755 * 1.55 = 2720.25 -> 2720; target = TDEE
    # protein 1.6 * 80 = 128 g; fat 2720 * 0.25 / 9 = 75.56 -> 76 g; carbs (2720 - 4*128 - 9*76) / 4 = 1524 / 4 = 381 g
    profile = make_profile(catalogue)

    assert energy_targets(profile, TODAY) == Energy(1755, 2720, 2720, 128, 76, 381, EnergyMethod.FORMULA, False)


def test_losing_woman(catalogue):
    # 29 on 2026-03-15 (her 30th birthday is tomorrow), 65 kg, 165 cm, light (x1.375), lose 0.5 kg a week.
    # BMR  = 650 + 1031.25 - 145 - 161 = 1375.25 -> 1375
    # TDEE = 1375.25 * 1.375 = 1890.97 -> 1891
    # target = 1890.97 - 0.5 * 7700 / 7 (= 550) = 1340.97 -> 1341 (the 1 % cap is 0.65 kg, the floor 1,200)
    # protein 2.0 * 65 = 130; fat 1341 / 4 / 9 = 37.25 -> 37; carbs (1341 - 520 - 333) / 4 = 122
    profile = make_profile(
        catalogue, sex="female", birth_date=date(1996, 3, 16), weight_kg=65, height_cm=165, activity_level="light",
        goal="lose", weekly_rate_kg=0.5,
    )

    assert energy_targets(profile, TODAY) == Energy(1375, 1891, 1341, 130, 37, 122, EnergyMethod.FORMULA, False)


def test_a_loss_is_capped_at_one_percent_of_body_weight_a_week(catalogue):
    # 25 years old, 60 kg, 175 cm, very active (x1.9), asks to lose 1.0 kg a week: 1 % of 60 kg is 0.6 kg.
    # BMR = 600 + 1093.75 - 125 + 5 = 1573.75 -> 1574; TDEE = 2990.125 -> 2990
    # target = 2990.125 - 0.6 * 1100 = 2330.125 -> 2330 (uncapped it would be 1890)
    # protein 120; fat 2330 / 36 = 64.7 -> 65; carbs (2330 - 480 - 585) / 4 = 316.25 -> 316
    profile = make_profile(
        catalogue, birth_date=date(2000, 6, 1), weight_kg=60, height_cm=175, activity_level="very_active",
        goal="lose", weekly_rate_kg=1.0,
    )

    assert energy_targets(profile, TODAY) == Energy(1574, 2990, 2330, 120, 65, 316, EnergyMethod.FORMULA, False)


def test_gaining_man(catalogue):
    # 2720.25 + 0.25 * 1100 = 2995.25 -> 2995; protein 1.8 * 80 = 144; fat 2995 / 36 = 83.2 -> 83;
    # carbs (2995 - 576 - 747) / 4 = 418
    profile = make_profile(catalogue, goal="gain", weekly_rate_kg=0.25)

    assert energy_targets(profile, TODAY) == Energy(1755, 2720, 2995, 144, 83, 418, EnergyMethod.FORMULA, False)


@pytest.mark.parametrize(("sex", "floor"), [("male", 1500), ("female", 1200)])
def test_the_target_never_goes_below_the_floor(catalogue, sex, floor):
    # 80 years old, 45 kg, 150 cm, sedentary, lose 0.25: BMR = 450 + 937.5 - 400 + 5 = 992.5 (male) or
    # 826.5 (female); TDEE x1.2 = 1191 or 991.8; minus 275 is far below the floor.
    profile = make_profile(
        catalogue, sex=sex, birth_date=date(1945, 6, 1), weight_kg=45, height_cm=150, activity_level="sedentary",
        goal="lose", weekly_rate_kg=0.25,
    )

    energy = energy_targets(profile, TODAY)

    assert (energy.target_kcal, energy.floor_applied) == (floor, True)
    assert energy.bmr_kcal == (993 if sex == "male" else 827)  # halves round up


def test_carbohydrate_is_never_negative(catalogue):
    # 100 years old, 300 kg, 150 cm, sedentary, lose 1 kg: BMR = 3000 + 937.5 - 500 + 5 = 3442.5,
    # TDEE 4131, target 3031; protein 600 g (2400 kcal) + fat 84 g (756 kcal) already exceed it.
    profile = make_profile(
        catalogue, birth_date=date(1926, 1, 1), weight_kg=300, height_cm=150, activity_level="sedentary",
        goal="lose", weekly_rate_kg=1.0,
    )

    energy = energy_targets(profile, TODAY)

    assert (energy.target_kcal, energy.protein_g, energy.fat_g, energy.carbs_g) == (3031, 600, 84, 0)


def test_an_adaptive_estimate_replaces_the_formula_tdee(catalogue):
    # 28 days at a steady 80 kg eating 3000 kcal: one check-in moves the formula's 2720.25 by
    # min(150, 0.25 * (3000 - 2720.25) = 69.94) -> 2790.19; target (maintain) = 2790
    profile = make_profile(catalogue)
    start = date(2026, 2, 15)
    days = [date.fromordinal(start.toordinal() + offset) for offset in range(28)]

    energy = current_energy(
        profile, TODAY, [WeightEntry(day, 80.0) for day in days], [IntakeEntry(day, 3000.0) for day in days],
    )

    assert (energy.method, energy.bmr_kcal, energy.tdee_kcal, energy.target_kcal) == (
        EnergyMethod.ADAPTIVE, 1755, 2790, 2790)


def test_without_enough_history_the_formula_answers(catalogue):
    profile = make_profile(catalogue)
    days = [date(2026, 3, day) for day in range(1, 10)]

    energy = current_energy(profile, TODAY, [WeightEntry(day, 80.0) for day in days],
                            [IntakeEntry(day, 3000.0) for day in days])

    assert energy == energy_targets(profile, TODAY)
