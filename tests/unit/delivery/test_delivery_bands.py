"""DevLake's median and the band table, boundary by boundary, for every benchmark year."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.delivery.benchmarks import DAY, HOUR, Band, Per, parse_benchmark
from domain.delivery.median import devlake_median
from domain.shared.errors import InvalidValue


def percent_rank_median(values: list[int]) -> int:
    """DevLake's SQL, literally: max(v) where percent_rank() over (order by v) <= 0.5."""
    n = len(values)
    ranks = [(sum(other < value for other in values) / (n - 1) if n > 1 else 0.0, value) for value in values]
    return max(value for rank, value in ranks if rank <= 0.5)


@given(st.lists(st.integers(min_value=-10**9, max_value=10**9), min_size=1, max_size=60))
def test_the_median_is_the_largest_value_whose_percent_rank_is_at_most_a_half(values: list[int]) -> None:
    assert devlake_median(values) == percent_rank_median(values)


@given(st.lists(st.integers(min_value=0, max_value=100), min_size=1, max_size=60))
def test_the_median_is_one_of_the_values_and_at_most_half_lie_below_it(values: list[int]) -> None:
    median = devlake_median(values)
    assert median in values
    assert 2 * sum(v < median for v in values) <= len(values) - 1 or len(values) == 1
    assert devlake_median(sorted(values, reverse=True)) == median


def test_the_median_of_nothing_is_none_and_of_an_even_count_the_lower_middle() -> None:
    assert devlake_median([]) is None
    assert devlake_median([4, 1, 3, 2]) == 2
    assert devlake_median([7]) == 7


LEAD = {
    "2021": [(HOUR - 1, Band.ELITE), (HOUR, Band.HIGH), (7 * DAY - 1, Band.HIGH), (7 * DAY, Band.MEDIUM),
             (180 * DAY - 1, Band.MEDIUM), (180 * DAY, Band.LOW)],
    "2023": [(DAY - 1, Band.ELITE), (DAY, Band.HIGH), (7 * DAY - 1, Band.HIGH), (7 * DAY, Band.MEDIUM),
             (30 * DAY - 1, Band.MEDIUM), (30 * DAY, Band.LOW)],
    "2024": [(DAY - 1, Band.ELITE), (DAY, Band.HIGH), (7 * DAY, Band.MEDIUM), (30 * DAY, Band.LOW)],
}
RECOVERY = [(HOUR - 1, Band.ELITE), (HOUR, Band.HIGH), (DAY - 1, Band.HIGH), (DAY, Band.MEDIUM),
            (7 * DAY - 1, Band.MEDIUM), (7 * DAY, Band.LOW)]
FAILURE = {  # (failed, deployments) -> band; the bounds are inclusive, compared exactly
    "2021": [((0, 5), Band.ELITE), ((3, 20), Band.ELITE), ((31, 200), Band.HIGH), ((4, 20), Band.HIGH),
             ((41, 200), Band.MEDIUM), ((6, 20), Band.MEDIUM), ((61, 200), Band.LOW)],
    "2023": [((0, 5), Band.ELITE), ((1, 20), Band.ELITE), ((11, 200), Band.HIGH), ((2, 20), Band.HIGH),
             ((21, 200), Band.MEDIUM), ((3, 20), Band.MEDIUM), ((31, 200), Band.LOW), ((2, 5), Band.LOW)],
    "2024": [((1, 20), Band.ELITE), ((11, 200), Band.HIGH), ((4, 20), Band.HIGH), ((41, 200), Band.MEDIUM),
             ((8, 20), Band.MEDIUM), ((81, 200), Band.LOW)],
}


@pytest.mark.parametrize(("year", "seconds", "band"), [(y, s, b) for y, rows in LEAD.items() for s, b in rows])
def test_lead_time_bands(year: str, seconds: int, band: Band) -> None:
    assert parse_benchmark(year).lead_time_band(seconds) is band


@pytest.mark.parametrize("year", ["2021", "2023", "2024"])
@pytest.mark.parametrize(("seconds", "band"), RECOVERY)
def test_recovery_bands(year: str, seconds: int, band: Band) -> None:
    assert parse_benchmark(year).recovery_band(seconds) is band


@pytest.mark.parametrize(("year", "counts", "band"), [(y, c, b) for y, rows in FAILURE.items() for c, b in rows])
def test_change_failure_rate_bands(year: str, counts: tuple[int, int], band: Band) -> None:
    assert parse_benchmark(year).failure_rate_band(*counts) is band


@pytest.mark.parametrize(("year", "week", "month", "six", "band"), [
    ("2023", 7, 30, 180, Band.ELITE), ("2023", 6, 26, 150, Band.HIGH), ("2023", 1, 4, 24, Band.HIGH),
    ("2023", 0, 1, 6, Band.MEDIUM), ("2023", 0, 0, 5, Band.LOW),
    ("2024", 7, 30, 180, Band.ELITE), ("2024", 0, 1, 6, Band.MEDIUM), ("2024", 0, 0, 5, Band.LOW),
    ("2021", 7, 30, 180, Band.ELITE), ("2021", 6, 26, 150, Band.HIGH), ("2021", 0, 1, 6, Band.HIGH),
    ("2021", 0, 0, 1, Band.MEDIUM), ("2021", 0, 0, 0, Band.LOW),
])
def test_deployment_frequency_bands(year: str, week: int, month: int, six: int, band: Band) -> None:
    medians = {Per.WEEK: week, Per.MONTH: month, Per.SIX_MONTHS: six}
    assert parse_benchmark(year).frequency_band(medians) is band


def test_every_year_cites_its_source_and_2023_is_the_default() -> None:
    assert parse_benchmark(None).year == "2023"
    assert parse_benchmark(2024).year == "2024"
    assert all("Accelerate State of DevOps" in parse_benchmark(y).source for y in ("2021", "2023", "2024"))


@pytest.mark.parametrize("value", ["2022", "", "twenty", 2023.5, True])
def test_an_unknown_benchmark_year_is_refused(value: object) -> None:
    with pytest.raises(InvalidValue) as error:
        parse_benchmark(value)
    assert error.value.field == "benchmark"
