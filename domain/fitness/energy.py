"""Energy targets: Mifflin-St Jeor BMR, activity TDEE, goal target with caps and floors, macros."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from domain.fitness.expenditure import IntakeEntry, WeightEntry, estimate_expenditure
from domain.fitness.profile import ActivityLevel, Goal, Profile, Sex
from domain.fitness.values import exact, round_half_up

ACTIVITY_FACTOR = {
    ActivityLevel.SEDENTARY: Decimal("1.2"),
    ActivityLevel.LIGHT: Decimal("1.375"),
    ActivityLevel.MODERATE: Decimal("1.55"),
    ActivityLevel.ACTIVE: Decimal("1.725"),
    ActivityLevel.VERY_ACTIVE: Decimal("1.9"),
}
KCAL_PER_KG = Decimal(7700)
MAX_WEEKLY_LOSS_SHARE = Decimal("0.01")  # of body weight
KCAL_FLOOR = {Sex.MALE: Decimal(1500), Sex.FEMALE: Decimal(1200)}
PROTEIN_G_PER_KG = {Goal.LOSE: Decimal("2.0"), Goal.MAINTAIN: Decimal("1.6"), Goal.GAIN: Decimal("1.8")}
FAT_SHARE = Decimal("0.25")
KCAL_PER_G_PROTEIN, KCAL_PER_G_CARBS, KCAL_PER_G_FAT = 4, 4, 9


class EnergyMethod(StrEnum):
    FORMULA = "formula"
    ADAPTIVE = "adaptive"


@dataclass(frozen=True, slots=True)
class Energy:
    """Daily targets in whole kcal and grams; `floor_applied` when the minimum intake raised the target."""

    bmr_kcal: int
    tdee_kcal: int
    target_kcal: int
    protein_g: int
    fat_g: int
    carbs_g: int
    method: EnergyMethod
    floor_applied: bool


def bmr(profile: Profile, today: date) -> Decimal:
    """Mifflin-St Jeor: 10 kg + 6.25 cm - 5 age + 5 (male) or - 161 (female), age in whole years today."""
    base = 10 * exact(profile.weight_kg) + Decimal("6.25") * exact(profile.height_cm) - 5 * profile.age_on(today)
    return base + (5 if profile.sex is Sex.MALE else -161)


def formula_tdee(profile: Profile, today: date) -> Decimal:
    """BMR times the activity factor (1.2 / 1.375 / 1.55 / 1.725 / 1.9)."""
    return bmr(profile, today) * ACTIVITY_FACTOR[profile.activity_level]


def energy_targets(profile: Profile, today: date, adaptive_tdee: float | None = None) -> Energy:
    """Targets from the formula TDEE, or from `adaptive_tdee` (the adaptive estimate) when given.

    Target: TDEE -/+ weekly_rate_kg * 7700 / 7, a loss at most 1 % of body weight a week, never below
    1,500 kcal (male) / 1,200 kcal (female). Protein 2.0 / 1.6 / 1.8 g per kg (lose / maintain / gain),
    fat 25 % of the target's energy, carbohydrate the rest (never negative). Each value is rounded half up
    to a whole number once, from the unrounded value before it.
    """
    tdee = formula_tdee(profile, today) if adaptive_tdee is None else exact(adaptive_tdee)
    weight = exact(profile.weight_kg)
    rate = exact(profile.weekly_rate_kg)
    if profile.goal is Goal.LOSE:
        rate = min(rate, weight * MAX_WEEKLY_LOSS_SHARE)
    sign = {Goal.LOSE: -1, Goal.MAINTAIN: 0, Goal.GAIN: 1}[profile.goal]
    wanted = tdee + sign * rate * KCAL_PER_KG / 7
    floor = KCAL_FLOOR[profile.sex]
    target = int(round_half_up(max(wanted, floor)))
    protein = int(round_half_up(PROTEIN_G_PER_KG[profile.goal] * weight))
    fat = int(round_half_up(target * FAT_SHARE / KCAL_PER_G_FAT))
    carbs_kcal = target - protein * KCAL_PER_G_PROTEIN - fat * KCAL_PER_G_FAT
    carbs = max(0, int(round_half_up(Decimal(carbs_kcal) / KCAL_PER_G_CARBS)))
    return Energy(
        bmr_kcal=int(round_half_up(bmr(profile, today))),
        tdee_kcal=int(round_half_up(tdee)),
        target_kcal=target,
        protein_g=protein,
        fat_g=fat,
        carbs_g=carbs,
        method=EnergyMethod.FORMULA if adaptive_tdee is None else EnergyMethod.ADAPTIVE,
        floor_applied=wanted < floor,
    )


def current_energy(
    profile: Profile, today: date, weights: Iterable[WeightEntry] = (), intakes: Iterable[IntakeEntry] = (),
) -> Energy:
    """Targets from the adaptive estimate when the logged history has enough data, else from the formula."""
    spent = estimate_expenditure(weights, intakes, float(formula_tdee(profile, today)))
    return energy_targets(profile, today, spent.tdee_kcal if spent.adaptive else None)

