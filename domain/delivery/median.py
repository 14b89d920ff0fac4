"""DevLake's median: the largest value whose `percent_rank()` is at most 0.5."""

from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T", int, float)


def devlake_median(values: Sequence[T]) -> T | None:
    """The lower median, None for no values.

    percent_rank of a value is (number of smaller values) / (n - 1), and 0 when n = 1. The largest value with
    rank <= 0.5 is the one at index (n - 1) // 2 of the sorted values: every later, larger value has more than
    half of the others below it. SQL: `max(v) FILTER (WHERE percent_rank <= 0.5)`.
    """
    if not values:
        return None
    return sorted(values)[(len(values) - 1) // 2]
