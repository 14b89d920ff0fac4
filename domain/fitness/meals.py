"""Meal plans: the draft every generator produces, and the rules it must keep."""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from domain.fitness.catalogue import Catalogue, MealSlot
from domain.fitness.diet import allows
from domain.fitness.energy import Energy
from domain.fitness.errors import Violation
from domain.fitness.profile import Profile
from domain.fitness.values import check_int, round_half_up
from domain.shared.errors import InvalidValue

Day = date  # the type, for classes with a field named `date`
DAYS = (1, 14)
START_WITHIN_DAYS = 366  # a plan starts at most about a year before or after today
KCAL_TOLERANCE = 0.05
PROTEIN_SHARE_MIN = 0.9
GRAMS_STEP = 5
ITEM_GRAMS_MAX = 1000
ITEMS_PER_MEAL_MAX = 8
USES_PER_DAY_MAX = 2
MEAL_NAMES: dict[int, tuple[str, ...]] = {
    2: ("breakfast", "dinner"),
    3: ("breakfast", "lunch", "dinner"),
    4: ("breakfast", "lunch", "afternoon snack", "dinner"),
    5: ("breakfast", "morning snack", "lunch", "afternoon snack", "dinner"),
}


def meal_slot(name: str) -> MealSlot:
    """The kind of meal a name stands for: the snacks are snacks."""
    return MealSlot.SNACK if name.endswith("snack") else MealSlot(name)


@dataclass(frozen=True, slots=True)
class Nutrients:
    kcal: int
    protein_g: int
    carbs_g: int
    fat_g: int


@dataclass(frozen=True, slots=True)
class MealItem:
    food_id: str
    name: str
    grams: int


@dataclass(frozen=True, slots=True)
class Meal:
    name: str
    items: tuple[MealItem, ...]


@dataclass(frozen=True, slots=True)
class MealDay:
    """One day: its meals, their `totals` (rounded) and the `target` they were planned against."""

    date: Day
    meals: tuple[Meal, ...]
    totals: Nutrients
    target: Nutrients

    @classmethod
    def build(
        cls, day: Day, meals: Iterable[tuple[str, Iterable[tuple[str, int]]]], energy: Energy, catalogue: Catalogue,
    ) -> "MealDay":
        """Name each item from the catalogue (an unknown food gets an empty name) and add up the totals."""
        built = tuple(
            Meal(name, tuple(MealItem(food_id, _food_name(food_id, catalogue), grams) for food_id, grams in items))
            for name, items in meals
        )
        return cls(day, built, rounded(exact_totals(built, catalogue)), target_of(energy))


@dataclass(frozen=True, slots=True)
class MealDraft:
    days: tuple[MealDay, ...]


@dataclass(frozen=True, slots=True)
class MealRequest:
    days: int
    start_date: date

    @classmethod
    def create(cls, *, today: date, days: object = 7, start_date: object = None) -> "MealRequest":
        """1-14 days from `start_date` (default today), which lies within about a year of today."""
        count = check_int(days, "days", *DAYS)
        start = today if start_date is None else start_date
        if not isinstance(start, date) or isinstance(start, datetime) or abs((start - today).days) > START_WITHIN_DAYS:
            raise InvalidValue("start_date", f"must be a date within {START_WITHIN_DAYS} days of today")
        return cls(count, start)

    def dates(self) -> list[date]:
        return [self.start_date + timedelta(days=offset) for offset in range(self.days)]


def target_of(energy: Energy) -> Nutrients:
    return Nutrients(energy.target_kcal, energy.protein_g, energy.carbs_g, energy.fat_g)


def exact_totals(meals: Iterable[Meal], catalogue: Catalogue) -> tuple[float, float, float, float]:
    """(kcal, protein, carbs, fat) of the meals' items; unknown foods count nothing."""
    kcal = protein = carbs = fat = 0.0
    for meal in meals:
        for item in meal.items:
            food = catalogue.food(item.food_id)
            if food is not None:
                share = item.grams / 100
                kcal += food.kcal_100g * share
                protein += food.protein_100g * share
                carbs += food.carbs_100g * share
                fat += food.fat_100g * share
    return kcal, protein, carbs, fat


def rounded(totals: tuple[float, float, float, float]) -> Nutrients:
    kcal, protein, carbs, fat = (int(round_half_up(round(value, 6))) for value in totals)
    return Nutrients(kcal, protein, carbs, fat)


def meets_targets(kcal: float, protein: float, energy: Energy, margin: float = 0.0) -> bool:
    """Within 5 % of target_kcal, and at least 90 % of protein_g; `margin` (kcal and g) further inside both."""
    target = energy.target_kcal
    return (abs(kcal - target) <= KCAL_TOLERANCE * target - margin
            and protein >= PROTEIN_SHARE_MIN * energy.protein_g + margin)


def validate_meal_draft(
    draft: MealDraft, profile: Profile, energy: Energy, catalogue: Catalogue,
) -> list[Violation]:
    """Every broken rule of `draft` against `profile` and today's `energy` (empty when it keeps them all)."""
    if not DAYS[0] <= len(draft.days) <= DAYS[1]:
        return [Violation("days", f"a meal plan has {DAYS[0]}-{DAYS[1]} days")]
    names = MEAL_NAMES[profile.meals_per_day]
    problems: list[Violation] = []
    excluded = set(profile.excluded_foods)
    for index, day in enumerate(draft.days):
        where = f"{day.date}"
        if day.date != draft.days[0].date + timedelta(days=index):
            problems.append(Violation("date", f"{where} must follow the day before it"))
        if tuple(meal.name for meal in day.meals) != names:
            problems.append(Violation("meals", f"{where} must have the meals {', '.join(names)}"))
            continue
        uses: Counter[str] = Counter()
        for meal in day.meals:
            if not 1 <= len(meal.items) <= ITEMS_PER_MEAL_MAX:
                problems.append(Violation("items", f"{where} {meal.name} must have 1-{ITEMS_PER_MEAL_MAX} items"))
                continue
            for item in meal.items:
                uses[item.food_id] += 1
                problems += _item(item, f"{where} {meal.name}", profile, excluded, catalogue)
        for food_id, count in sorted(uses.items()):
            if count > USES_PER_DAY_MAX:
                problems.append(Violation("repeats", f"{where} has {food_id[:60]!r} {count} times, at most twice"))
        kcal, protein, carbs, fat = exact_totals(day.meals, catalogue)
        if abs(kcal - energy.target_kcal) > KCAL_TOLERANCE * energy.target_kcal:
            problems.append(Violation("kcal", f"{where} has {kcal:.0f} kcal, not within 5 % of {energy.target_kcal}"))
        if protein < PROTEIN_SHARE_MIN * energy.protein_g:
            problems.append(Violation("protein", (
                f"{where} has {protein:.0f} g protein, under 90 % of {energy.protein_g} g")))
        if day.totals != rounded((kcal, protein, carbs, fat)) or day.target != target_of(energy):
            problems.append(Violation("totals", (
                f"{where} totals and target must be the items' sums and today's target")))
    return problems


def _item(item: MealItem, where: str, profile: Profile, excluded: set[str], catalogue: Catalogue) -> list[Violation]:
    food = catalogue.food(item.food_id)
    label = f"{where}: {item.food_id[:60]!r}"
    if food is None:
        return [Violation("unknown_food", f"{label} is not in the catalogue")]
    problems = []
    if item.name != food.name:
        problems.append(Violation("name", f"{label} is named {food.name!r}"))
    if not allows(profile.diet, food):
        problems.append(Violation("diet", f"{label} is {food.diet_class}, which a {profile.diet} diet excludes"))
    if food.id in excluded:
        problems.append(Violation("excluded_foods", f"{label} is excluded by the profile"))
    if not (GRAMS_STEP <= item.grams <= ITEM_GRAMS_MAX and item.grams % GRAMS_STEP == 0):
        problems.append(Violation("grams", (
            f"{label} must weigh {GRAMS_STEP}-{ITEM_GRAMS_MAX} g in steps of {GRAMS_STEP}")))
    return problems


def _food_name(food_id: str, catalogue: Catalogue) -> str:
    food = catalogue.food(food_id)
    return "" if food is None else food.name
