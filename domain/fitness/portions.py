"""Portioning a day's items: the protein foods and the rest scaled to the day's kcal and protein targets, rounded to
5 g and corrected item by item, each item within its role's bounds."""

from dataclasses import dataclass

from domain.fitness.catalogue import Food, FoodRole
from domain.fitness.energy import Energy
from domain.fitness.meals import GRAMS_STEP, PROTEIN_SHARE_MIN, meets_targets

PORTION_GRAMS: dict[FoodRole, tuple[int, int]] = {  # the planner's own bounds on one item, by role
    FoodRole.PROTEIN: (30, 400),
    FoodRole.CARB: (20, 400),
    FoodRole.PRODUCE: (50, 250),
    FoodRole.FAT: (5, 60),
}
PORTIONS_MAX = 3  # an item weighs at most three usual portions
# A portioned day lands this far (kcal and g) inside each bound, so that a day's sums added up in another order
# (floats) can never put it on the wrong side of a rule: 102.6 g of protein is 90 % of 114 g, or just under.
MARGIN = 0.01


@dataclass(slots=True)
class Item:
    """One food of a meal and its grams (changed in place while portioning)."""

    food: Food
    grams: float

    @property
    def kcal(self) -> float:
        return self.food.kcal_100g * self.grams / 100

    @property
    def protein(self) -> float:
        return self.food.protein_100g * self.grams / 100


def portion_day(items: list[Item], energy: Energy) -> bool:
    """Scale, round and correct the items' grams in place; True when the day then meets its targets."""
    target, protein_goal = float(energy.target_kcal), float(energy.protein_g)
    proteins = [item for item in items if item.food.role is FoodRole.PROTEIN]
    rest = [item for item in items if item.food.role in (FoodRole.CARB, FoodRole.FAT)]
    fixed = [item for item in items if item.food.role is FoodRole.PRODUCE]
    _scale(proteins, rest, fixed, target, protein_goal)
    for item in items:
        item.grams = _clamp(item, _round(item.grams))
    for _ in range(2):
        _raise_protein(proteins, items, PROTEIN_SHARE_MIN * protein_goal + 1)
        kcal_error = target - sum(item.kcal for item in items)
        for group in (rest, proteins, fixed):
            kcal_error = _correct(
                group, kcal_error, keep_protein_over=PROTEIN_SHARE_MIN * protein_goal, all_items=items,
            )
    kcal = sum(item.kcal for item in items)
    protein = sum(item.protein for item in items)
    return meets_targets(kcal, protein, energy, MARGIN) and all(item.grams >= GRAMS_STEP for item in items)


def _scale(proteins: list[Item], rest: list[Item], fixed: list[Item], target: float, protein_goal: float) -> None:
    """Scale the protein foods by one factor and the other foods by another to hit protein and kcal."""
    kcal_left = target - sum(item.kcal for item in fixed)
    protein_left = protein_goal - sum(item.protein for item in fixed)
    ka, pa = sum(item.kcal for item in proteins), sum(item.protein for item in proteins)
    kb, pb = sum(item.kcal for item in rest), sum(item.protein for item in rest)
    low = 0.25
    if ka <= 0:
        scale_a, scale_b = 0.0, kcal_left / kb if kb > 0 else 0.0
    elif kb <= 0:
        scale_a, scale_b = kcal_left / ka, 0.0
    else:
        det = ka * pb - kb * pa
        scale_a = (kcal_left * pb - kb * protein_left) / det if det else kcal_left / (ka + kb)
        scale_b = (ka * protein_left - pa * kcal_left) / det if det else scale_a
        if scale_b < low:
            scale_b = low
            scale_a = (kcal_left - scale_b * kb) / ka
        if scale_a < low:
            scale_a = low
            scale_b = (kcal_left - scale_a * ka) / kb
    for item in proteins:
        item.grams *= max(scale_a, 0.0)
    for item in rest:
        item.grams *= max(scale_b, 0.0)


def _raise_protein(proteins: list[Item], items: list[Item], wanted: float) -> None:
    """Add grams to the protein-densest protein foods until the day's items hold `wanted` g of protein."""
    missing = wanted - sum(item.protein for item in items)
    for item in sorted(proteins, key=lambda i: -i.food.protein_100g):
        if missing <= 0:
            return
        per_step = item.food.protein_100g * GRAMS_STEP / 100
        steps = -(-missing // per_step) if per_step > 0 else 0
        before = item.protein
        item.grams = _clamp(item, item.grams + steps * GRAMS_STEP)
        missing -= item.protein - before


def _correct(group: list[Item], kcal_error: float, *, keep_protein_over: float, all_items: list[Item]) -> float:
    """Move the group's grams in 5 g steps to cancel `kcal_error` (fats last, else energy-densest first);
    return what is left."""
    for item in sorted(group, key=lambda i: (i.food.role is FoodRole.FAT, -i.food.kcal_100g, i.food.id)):
        per_step = item.food.kcal_100g * GRAMS_STEP / 100
        if abs(kcal_error) < per_step / 2 or per_step <= 0:
            continue
        before_grams, before_kcal = item.grams, item.kcal
        item.grams = _clamp(item, item.grams + round(kcal_error / per_step) * GRAMS_STEP)
        if sum(i.protein for i in all_items) < keep_protein_over and item.grams < before_grams:
            item.grams = before_grams
            continue
        kcal_error -= item.kcal - before_kcal
    return kcal_error


def _round(grams: float) -> float:
    return float(max(GRAMS_STEP, GRAMS_STEP * round(grams / GRAMS_STEP)))


def _clamp(item: Item, grams: float) -> float:
    return min(max(grams, float(PORTION_GRAMS[item.food.role][0])), largest_portion(item.food))


def largest_portion(food: Food) -> float:
    """The most grams of `food` the planner puts in one item: three usual portions, within its role's bounds."""
    low, high = PORTION_GRAMS[food.role]
    steps = PORTIONS_MAX * food.default_grams // GRAMS_STEP
    return float(min(max(steps * GRAMS_STEP, low), high))
