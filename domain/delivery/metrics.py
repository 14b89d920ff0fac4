"""The four DORA metrics, as Apache DevLake defines them, over plain lists of records.

Each function is a few set operations (filter, group, join, median) so the PostgreSQL adapter can compute the
same numbers in one query and a contract test can compare the two. A metric without data is None with a
`reason`, never 0.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from domain.delivery.attribution import Failure, Shipped, production_deployments, seconds_between
from domain.delivery.benchmarks import Band, Benchmark, Per
from domain.delivery.median import devlake_median
from domain.delivery.records import Change, Deployment
from domain.delivery.window import Granularity, Window, bucket_of


class NoData(StrEnum):
    """Why a metric has no value."""

    NO_DEPLOYMENTS = "no deployments"
    NO_DEPLOYMENTS_IN_PERIOD = "no deployments in the period"
    NO_DEPLOYED_CHANGES = "no deployed changes in the period"
    NO_INCIDENTS = "no incidents"
    NO_RECOVERIES = "no resolved incidents caused by the period's deployments"


@dataclass(frozen=True, slots=True)
class FrequencyPoint:
    start: date
    deployments: int
    deployment_days: int


@dataclass(frozen=True, slots=True)
class Point:
    """One bucket of a series: its value (None without data) and how many items made it."""

    start: date
    value: float | None
    count: int


@dataclass(frozen=True, slots=True)
class DeploymentFrequency:
    deployments: int
    deployment_days: int
    median_days_per_week: int | None
    band: Band | None
    reason: NoData | None
    series: tuple[FrequencyPoint, ...]


@dataclass(frozen=True, slots=True)
class LeadTimeForChanges:
    median_hours: float | None
    changes: int
    band: Band | None
    reason: NoData | None
    series: tuple[Point, ...]


@dataclass(frozen=True, slots=True)
class ChangeFailureRate:
    value: float | None
    failed_deployments: int
    deployments: int
    band: Band | None
    reason: NoData | None
    series: tuple[Point, ...]


@dataclass(frozen=True, slots=True)
class FailedDeploymentRecoveryTime:
    median_hours: float | None
    incidents: int
    band: Band | None
    reason: NoData | None
    series: tuple[Point, ...]


@dataclass(frozen=True, slots=True)
class Scope:
    """What every metric of one period starts from (DevLake's `_deployments`): the production deployments, and
    the local day and series bucket of those that finished in the window."""

    production: tuple[Shipped, ...]
    window: Window
    granularity: Granularity
    day: dict[str, date]
    bucket: dict[str, date]
    buckets: tuple[date, ...]

    @classmethod
    def of(cls, deployments: Iterable[Deployment], window: Window, granularity: Granularity) -> "Scope":
        production = tuple(production_deployments(deployments))
        day = {d.key: window.day_of(d.finished_at) for d in production if window.contains(d.finished_at)}
        bucket = {key: bucket_of(local, granularity) for key, local in day.items()}
        return cls(production, window, granularity, day, bucket, tuple(window.buckets(granularity)))


def deployment_frequency(scope: Scope, benchmark: Benchmark) -> DeploymentFrequency:
    """Deployment days (local dates with a deployment); the band reads the medians of days per week/month/six months."""
    days = set(scope.day.values())
    per_bucket = Counter(scope.bucket.values())
    days_per_bucket = Counter(bucket_of(day, scope.granularity) for day in days)
    series = tuple(FrequencyPoint(start, per_bucket[start], days_per_bucket[start]) for start in scope.buckets)
    medians = _frequency_medians(days, scope.window)
    return frequency_of(bool(scope.production), len(scope.day), len(days), medians, series, benchmark)


def frequency_of(
    any_production: bool, deployments: int, days: int, medians: dict[Per, int], series: tuple[FrequencyPoint, ...],
    benchmark: Benchmark,
) -> DeploymentFrequency:
    """The metric from its counts (computed here or by a database): no production deployment at all is no data."""
    if not any_production:
        return DeploymentFrequency(0, 0, None, None, NoData.NO_DEPLOYMENTS, series)
    return DeploymentFrequency(deployments, days, medians[Per.WEEK], benchmark.frequency_band(medians), None, series)


def lead_time_for_changes(
    scope: Scope, changes: Iterable[Change], shipped: dict[str, Shipped], benchmark: Benchmark,
) -> LeadTimeForChanges:
    """The median lead time of the changes whose (first) deployment finished in the window."""
    target = {  # merge commit -> (deployment finish, the deployment's bucket), for the window only
        commit: (deployment.finished_at, scope.bucket[deployment.key])
        for commit, deployment in shipped.items() if deployment.key in scope.bucket
    }
    grouped: defaultdict[date, list[int]] = defaultdict(list)
    for change in changes:
        found = target.get(change.merge_commit)
        if found is not None:
            grouped[found[1]].append(seconds_between(found[0], change.first_commit_at))
    values = [seconds for group in grouped.values() for seconds in group]
    return lead_time_of(bool(scope.production), len(values), devlake_median(values),
                        _median_series(grouped, scope.buckets), benchmark)


def lead_time_of(
    any_production: bool, changes: int, median_seconds: int | None, series: tuple[Point, ...], benchmark: Benchmark,
) -> LeadTimeForChanges:
    """The metric from the number of deployed changes and their median lead time in seconds."""
    if not any_production:
        return LeadTimeForChanges(None, 0, None, NoData.NO_DEPLOYMENTS, series)
    if median_seconds is None:
        return LeadTimeForChanges(None, 0, None, NoData.NO_DEPLOYED_CHANGES, series)
    return LeadTimeForChanges(median_seconds / 3600, changes, benchmark.lead_time_band(median_seconds), None, series)


def change_failure_rate(
    scope: Scope, found: Sequence[Failure], incidents_known: bool, benchmark: Benchmark,
) -> ChangeFailureRate:
    """Deployments of the window with at least one incident / deployments of the window.

    `incidents_known` is whether the sources hold any incident at all; without any the rate is unknown, not 0.
    """
    failed = {f.deployment_key for f in found} & scope.bucket.keys()
    total_per = Counter(scope.bucket.values())
    failed_per = Counter(scope.bucket[key] for key in failed)
    counts = tuple((start, failed_per[start], total_per[start]) for start in scope.buckets)
    return failure_rate_of(bool(scope.production), incidents_known, len(failed), len(scope.bucket), counts, benchmark)


def failure_rate_of(
    any_production: bool, incidents_known: bool, failed: int, deployments: int,
    counts: Sequence[tuple[date, int, int]], benchmark: Benchmark,
) -> ChangeFailureRate:
    """The metric from the failed and total deployments of the window, and of each bucket (start, failed, total)."""
    series = tuple(Point(start, part / total if total and incidents_known else None, total)
                   for start, part, total in counts)
    reason = (NoData.NO_DEPLOYMENTS if not any_production else NoData.NO_DEPLOYMENTS_IN_PERIOD if not deployments
              else None if incidents_known else NoData.NO_INCIDENTS)
    if reason is not None:
        return ChangeFailureRate(None, 0, deployments, None, reason, series)
    band = benchmark.failure_rate_band(failed, deployments)
    return ChangeFailureRate(failed / deployments, failed, deployments, band, None, series)


def failed_deployment_recovery_time(
    scope: Scope, found: Sequence[Failure], incidents_known: bool, benchmark: Benchmark,
) -> FailedDeploymentRecoveryTime:
    """The median of (incident resolved - finish of the deployment that caused it), DevLake's way: the deployment
    finished in the window and the incident was resolved in the window."""
    grouped: defaultdict[date, list[int]] = defaultdict(list)
    for failure in found:
        start = scope.bucket.get(failure.deployment_key)
        if start is not None and failure.resolved_at is not None and scope.window.contains(failure.resolved_at):
            grouped[start].append(seconds_between(failure.resolved_at, failure.deployed_at))
    values = [seconds for group in grouped.values() for seconds in group]
    return recovery_of(bool(scope.production), incidents_known, len(values), devlake_median(values),
                       _median_series(grouped, scope.buckets), benchmark)


def recovery_of(
    any_production: bool, incidents_known: bool, incidents: int, median_seconds: int | None,
    series: tuple[Point, ...], benchmark: Benchmark,
) -> FailedDeploymentRecoveryTime:
    """The metric from the number of recovered incidents and their median recovery in seconds."""
    reason = (NoData.NO_DEPLOYMENTS if not any_production else NoData.NO_INCIDENTS if not incidents_known
              else NoData.NO_RECOVERIES if median_seconds is None else None)
    if reason is not None or median_seconds is None:
        return FailedDeploymentRecoveryTime(None, 0, None, reason, series)
    return FailedDeploymentRecoveryTime(median_seconds / 3600, incidents, benchmark.recovery_band(median_seconds),
                                        None, series)


def median_point(start: date, count: int, median_seconds: int | None) -> Point:
    """A bucket of a median series: hours, None without values."""
    return Point(start, None if median_seconds is None else median_seconds / 3600, count)


def _frequency_medians(days: set[date], window: Window) -> dict[Per, int]:
    weeks = Counter(bucket_of(day, Granularity.WEEK) for day in days)
    months = Counter(bucket_of(day, Granularity.MONTH) for day in days)
    month_starts = window.buckets(Granularity.MONTH)
    halves: defaultdict[int, int] = defaultdict(int)
    for index, start in enumerate(month_starts):
        halves[index // 6] += months[start]
    return {
        Per.WEEK: devlake_median([weeks[start] for start in window.buckets(Granularity.WEEK)]) or 0,
        Per.MONTH: devlake_median([months[start] for start in month_starts]) or 0,
        Per.SIX_MONTHS: devlake_median([halves[index] for index in range((len(month_starts) + 5) // 6)]) or 0,
    }


def _median_series(grouped: dict[date, list[int]], buckets: Sequence[date]) -> tuple[Point, ...]:
    return tuple(median_point(start, len(grouped.get(start, [])), devlake_median(grouped.get(start, [])))
                 for start in buckets)
