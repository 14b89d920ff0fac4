"""Checks for raw input values: choices, bounded numbers and integers; each failure names its field."""

import math
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import TypeVar

from domain.shared.errors import InvalidValue

E = TypeVar("E", bound=StrEnum)


def parse_choice(kind: type[E], value: object, field: str) -> E:
    """Return the member of `kind` whose value is `value`; InvalidValue listing the choices otherwise."""
    if isinstance(value, str):
        for member in kind:
            if member.value == value:
                return member
    choices = [member.value for member in kind]
    raise InvalidValue(field, f"must be one of {', '.join(choices[:-1])} or {choices[-1]}")


def check_number(value: object, field: str, low: float, high: float) -> float:
    """Return `value` as a float when it is a finite number in [low, high]; InvalidValue otherwise."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise InvalidValue(field, "must be a number")
    number = float(value)
    if not math.isfinite(number) or not low <= number <= high:
        raise InvalidValue(field, f"must be between {low:g} and {high:g}")
    return number


def check_int(value: object, field: str, low: int, high: int) -> int:
    """Return `value` when it is an integer in [low, high]; InvalidValue otherwise."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidValue(field, f"must be a whole number from {low} to {high}")
    return value


def exact(value: float) -> Decimal:
    """The decimal a float is written as (72.3 -> Decimal('72.3'), not its binary expansion)."""
    return Decimal(repr(value))


def round_half_up(value: float | Decimal, step: Decimal = Decimal(1)) -> Decimal:
    """Round to a multiple of `step`, halves away from zero (2.5 -> 3), exactly as written in decimal."""
    number = value if isinstance(value, Decimal) else exact(value)
    return (number / step).quantize(Decimal(1), ROUND_HALF_UP) * step
