"""The DORA performance bands per benchmark year: one versioned table, each row citing its source.

Cut points are Apache DevLake's (`dora_benchmarks` and its DORA dashboard queries) for 2021 and 2023; 2024 takes
the 2024 Accelerate State of DevOps report's levels in DevLake's form (see docs/delivery.md for the two places
where that report needs a reading).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from domain.shared.errors import InvalidValue

HOUR, DAY = 3600, 86400


class Band(StrEnum):
    ELITE = "elite"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class BenchmarkYear(StrEnum):
    Y2021 = "2021"
    Y2023 = "2023"
    Y2024 = "2024"


DEFAULT_BENCHMARK = BenchmarkYear.Y2023


class Per(StrEnum):
    """The calendar bucket whose median number of deployment days a frequency band looks at."""

    WEEK = "week"
    MONTH = "month"
    SIX_MONTHS = "six_months"


@dataclass(frozen=True, slots=True)
class FrequencyRule:
    """The band holds when the median number of deployment days per `per` is at least `at_least`."""

    band: Band
    per: Per
    at_least: int


@dataclass(frozen=True, slots=True)
class Benchmark:
    """Bands of one year; each tuple holds the elite, high and medium bounds, and anything beyond is low."""

    year: BenchmarkYear
    source: str
    frequency: tuple[FrequencyRule, ...]
    lead_time_below_seconds: tuple[int, int, int]
    failure_rate_at_most_percent: tuple[int, int, int]
    recovery_below_seconds: tuple[int, int, int]

    def frequency_band(self, medians: dict[Per, int]) -> Band:
        for rule in self.frequency:
            if medians[rule.per] >= rule.at_least:
                return rule.band
        return Band.LOW

    def lead_time_band(self, seconds: int) -> Band:
        return _below(seconds, self.lead_time_below_seconds)

    def failure_rate_band(self, failed: int, deployments: int) -> Band:
        """Exact: `failed / deployments <= p %` is compared as `failed * 100 <= p * deployments`."""
        for band, percent in zip(_LEVELS, self.failure_rate_at_most_percent):
            if failed * 100 <= percent * deployments:
                return band
        return Band.LOW

    def recovery_band(self, seconds: int) -> Band:
        return _below(seconds, self.recovery_below_seconds)


_LEVELS = (Band.ELITE, Band.HIGH, Band.MEDIUM)
_DEVLAKE = "Apache DevLake, docs/Metrics (DeploymentFrequency, LeadTimeForChanges, CFR, FailedDeploymentRecoveryTime)"
_FREQUENCY_2023 = (
    FrequencyRule(Band.ELITE, Per.WEEK, 7), FrequencyRule(Band.HIGH, Per.WEEK, 1),
    FrequencyRule(Band.MEDIUM, Per.MONTH, 1),
)

BENCHMARKS: dict[BenchmarkYear, Benchmark] = {
    BenchmarkYear.Y2021: Benchmark(
        year=BenchmarkYear.Y2021,
        source=f"2021 Accelerate State of DevOps (Google), as cut by {_DEVLAKE}",
        frequency=(
            FrequencyRule(Band.ELITE, Per.WEEK, 7), FrequencyRule(Band.HIGH, Per.MONTH, 1),
            FrequencyRule(Band.MEDIUM, Per.SIX_MONTHS, 1),
        ),
        lead_time_below_seconds=(HOUR, 7 * DAY, 180 * DAY),
        failure_rate_at_most_percent=(15, 20, 30),
        recovery_below_seconds=(HOUR, DAY, 7 * DAY),
    ),
    BenchmarkYear.Y2023: Benchmark(
        year=BenchmarkYear.Y2023,
        source=f"2023 Accelerate State of DevOps (Google), as cut by {_DEVLAKE}",
        frequency=_FREQUENCY_2023,
        lead_time_below_seconds=(DAY, 7 * DAY, 30 * DAY),
        failure_rate_at_most_percent=(5, 10, 15),
        recovery_below_seconds=(HOUR, DAY, 7 * DAY),
    ),
    BenchmarkYear.Y2024: Benchmark(
        year=BenchmarkYear.Y2024,
        source="2024 Accelerate State of DevOps (Google), its performance levels cut the way DevLake cuts 2023's",
        frequency=_FREQUENCY_2023,
        lead_time_below_seconds=(DAY, 7 * DAY, 30 * DAY),
        failure_rate_at_most_percent=(5, 20, 40),
        recovery_below_seconds=(HOUR, DAY, 7 * DAY),
    ),
}


def parse_benchmark(value: object, field: str = "benchmark") -> Benchmark:
    """The benchmark of a year given as 2021, 2023 or 2024 (number or text); None is the default (2023)."""
    if value is None:
        return BENCHMARKS[DEFAULT_BENCHMARK]
    try:
        return BENCHMARKS[BenchmarkYear(str(value).strip())]
    except ValueError:
        raise InvalidValue(field, "must be 2021, 2023 or 2024") from None


def _below(seconds: int, bounds: Sequence[int]) -> Band:
    for band, bound in zip(_LEVELS, bounds):
        if seconds < bound:
            return band
    return Band.LOW
