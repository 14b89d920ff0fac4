"""The rules meal planner: deterministic, offline, with a fixed budget of attempts per day.

Each meal is built from the foods the diet and the exclusions allow whose data suits that meal: a
protein food, a carbohydrate food and a fruit or vegetable (and in later attempts a fat and more protein
and carbohydrate). Foods rotate with the date, so days differ. Portions start from each food's usual
portion; the protein foods and the rest are scaled to hit the protein and kcal targets, rounded to 5 g
and corrected item by item. A day is kept only when `validate_meal_draft` itself accepts it, so the
planner never returns a plan its rules refuse; the first attempt whose day passes wins, and when none
of the fixed attempts does, the planner says which target the allowed foods cannot reach.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date

from domain.fitness.catalogue import Catalogue, Food, FoodRole, MealSlot
from domain.fitness.diet import allows
from domain.fitness.energy import Energy
from domain.fitness.errors import PlanInfeasible
from domain.fitness.meals import (
    KCAL_TOLERANCE, MEAL_NAMES, PROTEIN_SHARE_MIN, USES_PER_DAY_MAX, MealDay, MealDraft, MealRequest, meal_slot,
    validate_meal_draft,
)
from domain.fitness.portions import PORTION_GRAMS, Item, largest_portion, portion_day
from domain.fitness.profile import Profile

GENERATOR = "rules"
VERSION = "1"
START_GRAMS: dict[FoodRole, tuple[int, int]] = {  # the usual portion, kept within these
    FoodRole.PROTEIN: (60, 200),
    FoodRole.CARB: (30, 200),
    FoodRole.PRODUCE: (80, 200),
    FoodRole.FAT: (10, 30),
}
ITEMS_PER_MEAL = 7  # the most an attempt puts in a meal: 2 protein, 2 carbohydrate, 1 produce, 2 fat


@dataclass(frozen=True, slots=True)
class _Attempt:
    shift: int
    densest_protein: bool
    densest_energy: bool
    fats: int
    proteins: int
    carbs: int


ATTEMPTS = (  # rotation shift, protein-densest proteins, energy-densest others; fats, proteins, carbs a meal
    _Attempt(0, False, False, 1, 1, 1),
    _Attempt(1, False, False, 1, 1, 1),
    _Attempt(0, False, False, 0, 1, 1),
    _Attempt(0, True, False, 1, 1, 1),
    _Attempt(0, True, False, 0, 1, 1),
    _Attempt(0, True, False, 1, 2, 1),
    _Attempt(0, True, False, 1, 2, 2),
    _Attempt(1, True, False, 1, 2, 2),
    _Attempt(0, True, False, 0, 1, 0),
    _Attempt(0, True, False, 0, 2, 0),
    _Attempt(0, False, True, 2, 1, 2),
    _Attempt(0, False, True, 2, 2, 2),
    _Attempt(0, True, True, 2, 2, 2),
)


def plan_meals(profile: Profile, energy: Energy, request: MealRequest, catalogue: Catalogue) -> MealDraft:
    """The plan for `profile`'s targets; PlanInfeasible (naming diet, excluded_foods or meals_per_day) when
    the allowed foods cannot meet them."""
    menu = _Menu(usable_foods(profile, catalogue))
    days, first = [], 0
    for day in request.dates():
        planned = _plan_day(day, menu, profile, energy, catalogue, first)
        if planned is None:
            raise _why_not(profile, energy, catalogue)
        meal_day, first = planned
        days.append(meal_day)
    return MealDraft(tuple(days))


def replan_from(draft: MealDraft, first_day: date, profile: Profile, energy: Energy, catalogue: Catalogue) -> MealDraft:
    """The plan with its days from `first_day` on planned again against today's `energy`; earlier days stay."""
    kept = tuple(day for day in draft.days if day.date < first_day)
    remaining = len(draft.days) - len(kept)
    if not remaining:
        return draft
    rebuilt = plan_meals(profile, energy, MealRequest(remaining, draft.days[len(kept)].date), catalogue)
    return MealDraft(kept + rebuilt.days)


def usable_foods(profile: Profile, catalogue: Catalogue, *, with_exclusions: bool = True) -> list[Food]:
    """The foods the planner may use: allowed by the diet, not excluded, with a planner role."""
    excluded = set(profile.excluded_foods) if with_exclusions else set()
    return [
        food for food in catalogue.foods
        if food.role is not FoodRole.NONE and allows(profile.diet, food) and food.id not in excluded
    ]


class _Menu:
    """The usable foods by meal slot and role, by id, by protein per kcal and by kcal per gram."""

    def __init__(self, foods: list[Food]) -> None:
        self.by_slot: dict[tuple[MealSlot, FoodRole], list[Food]] = {}
        for slot in MealSlot:
            for role in PORTION_GRAMS:
                suited = [food for food in foods if food.role is role and slot in food.slots]
                self.by_slot[slot, role] = suited or [food for food in foods if food.role is role]
        self.protein_densest = {
            key: sorted(options, key=lambda food: (-food.protein_100g / max(food.kcal_100g, 1.0), food.id))
            for key, options in self.by_slot.items()
        }
        self.energy_densest = {
            key: sorted(options, key=lambda food: (-food.kcal_100g, food.id)) for key, options in self.by_slot.items()
        }


_Meals = list[tuple[str, list[tuple[str, int]]]]


def _plan_day(
    day: date, menu: _Menu, profile: Profile, energy: Energy, catalogue: Catalogue, first: int,
) -> tuple[MealDay, int] | None:
    """The day and the attempt that made it, trying attempts from `first` (the one that worked the day before)
    round to the one before it; a day is kept only when the validator finds no broken rule in it."""
    names = MEAL_NAMES[profile.meals_per_day]
    for number in range(first, first + len(ATTEMPTS)):
        meals = _compose(day, names, menu, ATTEMPTS[number % len(ATTEMPTS)])
        items = [item for meal in meals for item in meal]
        if not (all(meals) and portion_day(items, energy)):
            continue
        planned: _Meals = [(name, [(item.food.id, int(item.grams)) for item in meal])
                           for name, meal in zip(names, meals)]
        meal_day = MealDay.build(day, planned, energy, catalogue)
        if not validate_meal_draft(MealDraft((meal_day,)), profile, energy, catalogue):
            return meal_day, number % len(ATTEMPTS)
    return None


def _compose(day: date, names: tuple[str, ...], menu: _Menu, attempt: _Attempt) -> list[list[Item]]:
    """Choose each meal's foods: no food more than twice a day, none twice in a meal."""
    uses: Counter[str] = Counter()
    meals = []
    for index, name in enumerate(names):
        slot = meal_slot(name)
        seed = day.toordinal() * 3 + index * 5 + attempt.shift
        wanted = [
            (FoodRole.PROTEIN, attempt.proteins), (FoodRole.CARB, attempt.carbs), (FoodRole.PRODUCE, 1),
            (FoodRole.FAT, attempt.fats),
        ]
        meal: list[Item] = []
        for role, count in wanted:
            options = menu.by_slot[slot, role]
            if role is FoodRole.PROTEIN and attempt.densest_protein:
                options = menu.protein_densest[slot, role]
            elif role is not FoodRole.PROTEIN and attempt.densest_energy:
                options = menu.energy_densest[slot, role]
            start = 0 if options is not menu.by_slot[slot, role] else seed % max(len(options), 1)
            chosen = 0
            for offset in range(len(options)):
                if chosen == count:
                    break
                food = options[(start + offset) % len(options)]
                if uses[food.id] < USES_PER_DAY_MAX and all(item.food.id != food.id for item in meal):
                    uses[food.id] += 1
                    low, high = START_GRAMS[role]
                    meal.append(Item(food, min(max(food.default_grams, low), high)))
                    chosen += 1
        meals.append(meal)
    return meals


def _why_not(profile: Profile, energy: Energy, catalogue: Catalogue) -> PlanInfeasible:
    target, protein = energy.target_kcal, energy.protein_g
    foods = usable_foods(profile, catalogue)
    most_kcal = _most_kcal(foods, profile.meals_per_day)
    if most_kcal < (1 - KCAL_TOLERANCE) * target:
        return PlanInfeasible("meals_per_day", (
            f"the target of {target} kcal cannot be reached in {profile.meals_per_day} meals of the allowed foods"))
    field = "diet"
    if profile.excluded_foods and _most_protein(usable_foods(profile, catalogue, with_exclusions=False), target) >= (
            PROTEIN_SHARE_MIN * protein):
        field = "excluded_foods"
    which = f"{profile.diet} foods" + (" without the excluded ones" if profile.excluded_foods else "")
    if _most_protein(foods, target) < PROTEIN_SHARE_MIN * protein:
        return PlanInfeasible(field, (
            f"the protein target of {protein} g cannot be reached with {which} at {target} kcal"))
    return PlanInfeasible(field, (
        f"no day within 5 % of {target} kcal with at least 90 % of {protein} g protein was found with {which}"))


def _most_protein(foods: list[Food], target_kcal: int) -> float:
    """An upper bound on a day's protein within target + 5 % kcal: densest foods first, each at most
    twice its largest portion."""
    budget = (1 + KCAL_TOLERANCE) * target_kcal
    protein = 0.0
    for food in sorted(foods, key=lambda f: -f.protein_100g / max(f.kcal_100g, 0.01)):
        grams = USES_PER_DAY_MAX * largest_portion(food)
        if food.kcal_100g > 0:
            grams = min(grams, budget * 100 / food.kcal_100g)
        budget -= food.kcal_100g * grams / 100
        protein += food.protein_100g * grams / 100
        if budget <= 0:
            break
    return protein


def _most_kcal(foods: list[Food], meals: int) -> float:
    """An upper bound on a day's kcal: the largest portions, each food at most twice, as many as fit the meals."""
    portions = sorted(
        (food.kcal_100g * largest_portion(food) / 100 for food in foods for _ in range(USES_PER_DAY_MAX)),
        reverse=True,
    )
    return sum(portions[:meals * ITEMS_PER_MEAL])
