"""Diets: which diet classes of food each one allows."""

from enum import StrEnum

from domain.fitness.catalogue import DietClass, Food
from domain.fitness.values import parse_choice


class Diet(StrEnum):
    OMNIVORE = "omnivore"
    PESCATARIAN = "pescatarian"
    VEGETARIAN = "vegetarian"
    VEGAN = "vegan"


_ANIMAL_FREE = frozenset({DietClass.PLANT})
_VEGETARIAN = _ANIMAL_FREE | {DietClass.DAIRY, DietClass.EGG, DietClass.HONEY}
ALLOWED_CLASSES: dict[Diet, frozenset[DietClass]] = {
    Diet.OMNIVORE: frozenset(DietClass),
    Diet.PESCATARIAN: _VEGETARIAN | {DietClass.FISH},
    Diet.VEGETARIAN: _VEGETARIAN,
    Diet.VEGAN: _ANIMAL_FREE,
}


def allows(diet: Diet, food: Food) -> bool:
    """Vegetarian: no meat or fish; vegan: no animal product (honey included); pescatarian: no meat."""
    return food.diet_class in ALLOWED_CLASSES[diet]


def parse_diet(value: object, field: str = "diet") -> Diet:
    return parse_choice(Diet, value, field)
