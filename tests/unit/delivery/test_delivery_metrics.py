"""Golden histories that pin the four DORA metrics to DevLake's definitions."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from domain.delivery.attribution import failures, lead_times, production_deployments, shipped_by_commit
from domain.delivery.benchmarks import Band, parse_benchmark
from domain.delivery.metrics import NoData
from domain.delivery.records import Change, DeployedCommit, Deployment, DeploymentResult, Incident
from domain.delivery.report import History, dora_report
from domain.delivery.window import Granularity, Window

B2023 = parse_benchmark(None)
JUNE = Window.create(date(2026, 6, 1), date(2026, 6, 30), "UTC")


def at(day: int, hour: int = 12, month: int = 6) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


def deployment(key: str, finished_at: datetime | None, *, commit: str | None = None, production: bool = True,
               result: DeploymentResult = DeploymentResult.SUCCESS) -> Deployment:
    return Deployment(key, key, "production", production, result, commit or f"sha-{key}", finished_at)


def change(key: str, first_commit_at: datetime, commit: str) -> Change:
    return Change(key, key, first_commit_at, first_commit_at, commit)


def incident(key: str, created_at: datetime, resolved_at: datetime | None = None) -> Incident:
    return Incident(key, key, created_at, resolved_at)


def report(history: History, window: Window = JUNE, granularity: Granularity = Granularity.WEEK,
           year: str = "2023"):
    return dora_report(history, window, granularity, parse_benchmark(year))


def test_devlake_example_five_deployments_two_with_incidents_is_forty_percent() -> None:
    deployments = [deployment(f"d{i}", at(i * 3)) for i in range(1, 6)]
    incidents = [
        incident("i1", at(6, 13), at(6, 15)),  # after d2 (day 6, 12:00)
        incident("i2", at(12, 14), at(12, 18)),  # after d4 (day 12)
        incident("i3", at(13, 9), at(13, 10)),  # still d4: the latest that finished before it
    ]

    cfr = report(History(deployments, incidents=incidents)).change_failure_rate

    assert (cfr.value, cfr.failed_deployments, cfr.deployments) == (0.4, 2, 5)
    assert cfr.band is Band.LOW and cfr.reason is None


def test_an_incident_belongs_to_the_latest_deployment_that_finished_strictly_before_it() -> None:
    production = production_deployments([deployment("a", at(1)), deployment("b", at(2)), deployment("c", at(3))])

    found = failures([incident("same-instant", at(2)), incident("before-all", at(1, 0)), incident("x", at(2, 13))],
                     production)

    assert [(f.incident_key, f.deployment_key) for f in found] == [("same-instant", "a"), ("x", "b")]


def test_no_incidents_at_all_is_unknown_not_zero() -> None:
    result = report(History([deployment("d1", at(2))]))

    assert result.change_failure_rate.value is None
    assert result.change_failure_rate.reason is NoData.NO_INCIDENTS
    assert result.failed_deployment_recovery_time.median_hours is None
    assert result.failed_deployment_recovery_time.reason is NoData.NO_INCIDENTS


def test_incidents_elsewhere_in_time_make_a_real_zero_rate() -> None:
    history = History([deployment("old", at(1, 12, month=5)), deployment("d1", at(2))],
                      incidents=[incident("i", at(1, 13, month=5), at(1, 14, month=5))])

    cfr = report(history).change_failure_rate

    assert (cfr.value, cfr.failed_deployments, cfr.deployments, cfr.band) == (0.0, 0, 1, Band.ELITE)


def test_no_deployments_says_so_for_every_metric() -> None:
    result = report(History(changes=[change("c", at(1), "abc")], incidents=[incident("i", at(2))]))

    assert result.deployment_frequency.median_days_per_week is None
    assert result.deployment_frequency.reason is NoData.NO_DEPLOYMENTS
    assert result.lead_time_for_changes.reason is NoData.NO_DEPLOYMENTS
    assert result.change_failure_rate.reason is NoData.NO_DEPLOYMENTS
    assert result.failed_deployment_recovery_time.reason is NoData.NO_DEPLOYMENTS
    assert {p.deployments for p in result.deployment_frequency.series} == {0}


def test_no_deployments_in_the_period_leaves_the_rate_unknown() -> None:
    history = History([deployment("may", at(3, month=5))], incidents=[incident("i", at(4, month=5))])

    cfr = report(history).change_failure_rate

    assert (cfr.value, cfr.reason, cfr.deployments) == (None, NoData.NO_DEPLOYMENTS_IN_PERIOD, 0)


def test_an_even_count_of_lead_times_takes_the_lower_middle_as_devlake_does() -> None:
    deployed_at = at(10)
    changes = [change(f"c{h}", deployed_at - timedelta(hours=h), f"m{h}") for h in (1, 2, 3, 4)]
    deployed = [DeployedCommit("d", f"m{h}") for h in (1, 2, 3, 4)]

    lead = report(History([deployment("d", deployed_at)], changes, deployed_commits=deployed)).lead_time_for_changes

    assert (lead.median_hours, lead.changes, lead.band) == (2.0, 4, Band.ELITE)


def test_a_change_counts_from_its_first_commit_to_the_first_deployment_that_shipped_it() -> None:
    production = production_deployments([
        deployment("late", at(9), commit="s2"), deployment("first", at(5), commit="s1"),
        deployment("failed", at(3), commit="s0", result=DeploymentResult.FAILURE),
        deployment("staging", at(4), commit="s3", production=False),
    ])
    deployed = [DeployedCommit("first", "m1"), DeployedCommit("late", "m1"), DeployedCommit("late", "m2"),
                DeployedCommit("failed", "m3"), DeployedCommit("staging", "m3")]
    changes = [change("pr1", at(1), "m1"), change("pr2", at(8), "m2"), change("pr3", at(2), "m3")]

    times = lead_times(changes, shipped_by_commit(production, deployed))

    assert [(t.change_key, t.deployment_key, t.seconds) for t in times] == [
        ("pr1", "first", 4 * 86400), ("pr2", "late", 86400),
    ]


def test_a_deployment_with_no_changes_counts_for_frequency_but_adds_no_lead_time() -> None:
    history = History(
        [deployment("with", at(2)), deployment("empty", at(3))],
        [change("c", at(2, 6), "m")], deployed_commits=[DeployedCommit("with", "m")],
    )

    result = report(history)

    assert (result.deployment_frequency.deployments, result.deployment_frequency.deployment_days) == (2, 2)
    assert (result.lead_time_for_changes.median_hours, result.lead_time_for_changes.changes) == (6.0, 1)


def test_deployments_of_one_commit_are_one_deployment_the_earliest() -> None:
    runs = [deployment("run", at(2, 10), commit="abc"), deployment("api", at(2, 11), commit="abc")]

    [shipped] = production_deployments(runs)

    assert (shipped.key, shipped.finished_at) == ("run", at(2, 10))


def test_deployment_frequency_counts_days_and_the_weekly_median() -> None:
    # June 2026: Mon 1, 8, 15, 22, 29 start the five weeks of the window.
    finishes = [at(1, 9), at(1, 17), at(2), at(3), at(9), at(16), at(17), at(18), at(19)]
    history = History([deployment(f"d{i}", t) for i, t in enumerate(finishes)])

    frequency = report(history).deployment_frequency

    assert (frequency.deployments, frequency.deployment_days) == (9, 8)
    assert [(p.start.day, p.deployments, p.deployment_days) for p in frequency.series] == [
        (1, 4, 3), (8, 1, 1), (15, 4, 4), (22, 0, 0), (29, 0, 0),
    ]
    assert frequency.median_days_per_week == 1  # sorted 0 0 1 3 4
    assert frequency.band is Band.HIGH


def test_a_week_that_crosses_a_daylight_saving_change_is_counted_in_local_time() -> None:
    oslo = ZoneInfo("Europe/Oslo")  # clocks go forward on Sunday 2026-03-29
    window = Window.create(date(2026, 3, 23), date(2026, 4, 5), "Europe/Oslo")
    finishes = [
        datetime(2026, 3, 23, 0, 30, tzinfo=oslo),  # Monday 00:30 +01 = Sunday 23:30 UTC: this week
        datetime(2026, 3, 29, 23, 30, tzinfo=oslo),  # Sunday 23:30 +02 = 21:30 UTC: still this week
        datetime(2026, 3, 30, 0, 30, tzinfo=oslo),  # Monday 00:30 +02 = Sunday 22:30 UTC: next week
    ]
    history = History([deployment(f"d{i}", t.astimezone(UTC)) for i, t in enumerate(finishes)])

    frequency = report(history, window).deployment_frequency

    assert [(p.start, p.deployments) for p in frequency.series] == [(date(2026, 3, 23), 2), (date(2026, 3, 30), 1)]
    assert window.start == datetime(2026, 3, 22, 23, tzinfo=UTC)
    assert window.end == datetime(2026, 4, 5, 22, tzinfo=UTC)


def test_recovery_time_is_resolution_minus_the_causing_deployment_finish() -> None:
    history = History(
        [deployment("d1", at(2, 10)), deployment("d2", at(9, 10)), deployment("d3", at(20, 10))],
        incidents=[
            incident("i1", at(2, 10) + timedelta(minutes=20), at(2, 11)),  # DevLake's example: one hour
            incident("i2", at(9, 12), at(10, 10)),  # 24 h
            incident("open", at(20, 12)),
        ],
    )

    recovery = report(history).failed_deployment_recovery_time

    assert (recovery.median_hours, recovery.incidents, recovery.band) == (1.0, 2, Band.HIGH)


def test_recovery_needs_the_resolution_inside_the_period_as_devlake_filters_it() -> None:
    history = History([deployment("d", at(30, 20))], incidents=[incident("i", at(30, 21), at(1, 9, month=7))])

    recovery = report(history).failed_deployment_recovery_time

    assert (recovery.median_hours, recovery.reason) == (None, NoData.NO_RECOVERIES)


def test_monthly_series_split_by_calendar_month() -> None:
    window = Window.create(date(2026, 5, 15), date(2026, 6, 15), "UTC")
    history = History([deployment("may", at(20, month=5)), deployment("june", at(2))],
                      incidents=[incident("i", at(2, 13))])

    cfr = report(history, window, Granularity.MONTH).change_failure_rate

    assert [(p.start, p.value, p.count) for p in cfr.series] == [(date(2026, 5, 1), 0.0, 1), (date(2026, 6, 1), 1.0, 1)]


@pytest.mark.parametrize(("first", "last", "field"), [
    (date(2026, 6, 2), date(2026, 6, 1), "to"), (date(2026, 1, 1), date(2036, 6, 1), "to"),
    (date(1900, 1, 1), date(1900, 2, 1), "from"), (datetime(2026, 1, 1), date(2026, 2, 1), "from"),
])
def test_bad_windows_are_refused_naming_the_field(first: date, last: date, field: str) -> None:
    from domain.shared.errors import InvalidValue

    with pytest.raises(InvalidValue) as error:
        Window.create(first, last, "UTC")
    assert error.value.field == field


def test_an_unknown_time_zone_is_refused() -> None:
    from domain.shared.errors import InvalidValue

    with pytest.raises(InvalidValue) as error:
        Window.create(date(2026, 1, 1), date(2026, 1, 2), "Mars/Olympus")
    assert error.value.field == "time_zone"


def test_the_listed_lead_times_are_the_ones_the_median_is_taken_of() -> None:
    deployments = [deployment(f"d{i}", at(i)) for i in range(1, 29, 3)]
    changes = [change(f"c{i}", at(1 + i % 27, i % 24), f"m{i}") for i in range(60)]
    deployed = [DeployedCommit(f"d{1 + 3 * (i % 9)}", f"m{i}") for i in range(0, 60, 2)]
    production = production_deployments(deployments)

    listed = lead_times(changes, shipped_by_commit(production, deployed))
    lead = report(History(deployments, changes, deployed_commits=deployed)).lead_time_for_changes

    from domain.delivery.median import devlake_median
    assert lead.changes == len(listed) == 30
    assert lead.median_hours == devlake_median([t.seconds for t in listed]) / 3600


def test_each_production_deployment_without_a_range_asks_from_the_previous_ones_commit() -> None:
    from domain.delivery.ranges import RangeRequest, missing_ranges

    production = production_deployments([
        deployment("b", at(2), commit="s2"), deployment("a", at(1), commit="s1"), deployment("c", at(3), commit="s3"),
        deployment("staging", at(2, 13), commit="s9", production=False),
    ])

    assert missing_ranges(production, {"b"}) == [RangeRequest("a", None, "s1"), RangeRequest("c", "s2", "s3")]
