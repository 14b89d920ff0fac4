"""The DORA metrics in one SQL statement, and the lists of the items behind them, with DevLake's definitions
exactly as `domain/delivery` states them (a contract test compares the two on the same histories):

- production deployments: successful, finished, production; one per (source, commit), the earliest by
  (finish, key); ordered across sources by (finish, source id, key) in byte order;
- a change's deployment: the earliest production deployment whose range holds its merge commit, which the
  records keep on the change as they are written (`records.py`);
- an incident's deployment: the latest production deployment that finished strictly before it was created
  (a running maximum over one timeline of finishes and incidents, incidents first at equal instants; deployments
  that finish at one instant are one cause, as only the last of them in (source id, key) order is ever one);
- medians: DevLake's (the largest value whose percent_rank is at most 0.5), which is the ceil(n/2)-th smallest,
  `percentile_disc(0.5)`;
- seconds: whole seconds, truncated, never negative.
"""

import json
from datetime import date, datetime
from typing import Any, final
from uuid import UUID

from sqlalchemy import text

from adapters.postgres.connection import LazyConnection
from adapters.postgres.delivery.rules import COUNTS, FIRST_OF_COMMIT
from application.delivery.ports import MetricsQuery, Period
from domain.delivery.attribution import seconds_between
from domain.delivery.benchmarks import Benchmark, Per
from domain.delivery.listing import ChangeRow, DeploymentRow, IncidentRow, RowKey
from domain.delivery.metrics import (
    FrequencyPoint, failure_rate_of, frequency_of, lead_time_of, median_point, recovery_of,
)
from domain.delivery.records import Change, Deployment, DeploymentResult, Incident
from domain.delivery.report import DoraReport
from domain.delivery.window import Granularity

_CHOSEN = "{a}owner_id = :owner_id AND {a}source_id = ANY(CAST(:sources AS text[])::uuid[])"
_MEDIAN = "percentile_disc(0.5) WITHIN GROUP (ORDER BY {v})"  # DevLake's median: the ceil(n/2)-th smallest
_BUCKET = "date_trunc(:unit, {t} AT TIME ZONE :tz)::date"
_IN_PERIOD = "{t} >= :start AND {t} < :end"

REPORT = text(f"""
WITH prod AS MATERIALIZED (
    SELECT DISTINCT ON (source_id, sha) source_id, key, finished_at FROM delivery_deployments
    WHERE {_CHOSEN.format(a='')} AND {COUNTS.format(a='')}
    ORDER BY source_id, sha, finished_at, key COLLATE "C"
), scoped AS MATERIALIZED (
    SELECT (finished_at AT TIME ZONE :tz)::date AS day, {_BUCKET.format(t='finished_at')} AS bucket
    FROM prod WHERE {_IN_PERIOD.format(t='finished_at')}
), days AS (
    SELECT DISTINCT day FROM scoped
), weeks AS (
    SELECT w.start, count(d.day) AS n FROM unnest(CAST(:weeks AS text[])::date[]) AS w(start)
    LEFT JOIN days d ON d.day >= w.start AND d.day < w.start + 7 GROUP BY w.start
), months AS (
    SELECT m.start, m.i, count(d.day) AS n FROM unnest(CAST(:months AS text[])::date[]) WITH ORDINALITY AS m(start, i)
    LEFT JOIN days d ON date_trunc('month', d.day)::date = m.start GROUP BY m.start, m.i
), halves AS (
    SELECT (i - 1) / 6 AS half, sum(n) AS n FROM months GROUP BY 1
), buckets AS (
    SELECT b.start FROM unnest(CAST(:buckets AS text[])::date[]) AS b(start)
), freq AS (
    SELECT b.start, count(s.day) AS deployments, count(DISTINCT s.day) AS days
    FROM buckets b LEFT JOIN scoped s ON s.bucket = b.start GROUP BY b.start
), leads AS MATERIALIZED (
    SELECT {_BUCKET.format(t='deployed_at')} AS bucket,
           greatest(trunc(extract(epoch FROM deployed_at - first_commit_at))::bigint, 0) AS seconds
    FROM delivery_changes WHERE {_CHOSEN.format(a='')} AND {_IN_PERIOD.format(t='deployed_at')}
), timeline AS (
    SELECT finished_at AS t, 1 AS kind, NULL::timestamptz AS resolved_at FROM prod
    UNION ALL
    SELECT created_at, 0, resolved_at FROM delivery_incidents WHERE {_CHOSEN.format(a='')}
), attributed AS (
    SELECT kind, resolved_at, max(t) FILTER (WHERE kind = 1) OVER (ORDER BY t, kind ROWS UNBOUNDED PRECEDING) AS caused_by
    FROM timeline
), failures AS MATERIALIZED (
    SELECT caused_by, {_BUCKET.format(t='caused_by')} AS bucket, resolved_at FROM attributed
    WHERE kind = 0 AND {_IN_PERIOD.format(t='caused_by')}
), failed AS (
    SELECT bucket, count(DISTINCT caused_by) AS n FROM failures GROUP BY bucket
), recoveries AS MATERIALIZED (
    SELECT bucket, greatest(trunc(extract(epoch FROM resolved_at - caused_by))::bigint, 0) AS seconds FROM failures
    WHERE {_IN_PERIOD.format(t='resolved_at')}
), lead_series AS (
    SELECT b.start, count(l.seconds) AS n, {_MEDIAN.format(v="l.seconds")} AS median
    FROM buckets b LEFT JOIN leads l ON l.bucket = b.start GROUP BY b.start
), recovery_series AS (
    SELECT b.start, count(r.seconds) AS n, {_MEDIAN.format(v="r.seconds")} AS median
    FROM buckets b LEFT JOIN recoveries r ON r.bucket = b.start GROUP BY b.start
)
SELECT
    EXISTS (SELECT FROM prod) AS any_production,
    EXISTS (SELECT FROM delivery_incidents WHERE {_CHOSEN.format(a='')}) AS incidents_known,
    (SELECT count(*) FROM scoped) AS deployments,
    (SELECT count(*) FROM days) AS deployment_days,
    (SELECT {_MEDIAN.format(v="n")} FROM weeks) AS per_week,
    (SELECT {_MEDIAN.format(v="n")} FROM months) AS per_month,
    (SELECT {_MEDIAN.format(v="n")} FROM halves) AS per_six_months,
    (SELECT json_agg(json_build_array(start, deployments, days) ORDER BY start) FROM freq) AS frequency_series,
    (SELECT count(*) FROM leads) AS changes,
    (SELECT {_MEDIAN.format(v="seconds")} FROM leads) AS lead_median,
    (SELECT json_agg(json_build_array(start, n, median) ORDER BY start) FROM lead_series) AS lead_series,
    (SELECT count(DISTINCT caused_by) FROM failures) AS failed,
    (SELECT json_agg(json_build_array(f.start, coalesce(x.n, 0), f.deployments) ORDER BY f.start)
     FROM freq f LEFT JOIN failed x ON x.bucket = f.start) AS failure_series,
    (SELECT count(*) FROM recoveries) AS recovered,
    (SELECT {_MEDIAN.format(v="seconds")} FROM recoveries) AS recovery_median,
    (SELECT json_agg(json_build_array(start, n, median) ORDER BY start) FROM recovery_series) AS recovery_series
""")

_AFTER = """AND (CAST(:after_time AS timestamptz) IS NULL
    OR ({t}, {a}.source_id::text COLLATE "C", {a}.key COLLATE "C") < (:after_time, CAST(:after_source AS text), CAST(:after_key AS text)))"""
_ORDER = """ORDER BY {t} DESC, {a}.source_id::text COLLATE "C" DESC, {a}.key COLLATE "C" DESC LIMIT :limit"""

DEPLOYMENTS = text(f"""
SELECT d.*, (d.production AND d.result = 'success' AND {FIRST_OF_COMMIT.format(d="d")}) AS counted
FROM delivery_deployments d
WHERE {_CHOSEN.format(a='d.')} AND d.finished_at >= :start AND d.finished_at < :end {_AFTER.format(t="d.finished_at", a="d")}
{_ORDER.format(t="d.finished_at", a="d")}
""")

CHANGES = text(f"""
SELECT ch.* FROM delivery_changes ch
WHERE {_CHOSEN.format(a='ch.')} AND ch.merged_at >= :start AND ch.merged_at < :end {_AFTER.format(t="ch.merged_at", a="ch")}
{_ORDER.format(t="ch.merged_at", a="ch")}
""")

INCIDENTS = text(f"""
SELECT i.*, cause.source_id AS cause_source_id, cause.key AS cause_key, cause.finished_at AS deployed_at
FROM delivery_incidents i
LEFT JOIN LATERAL (
    SELECT p.source_id, p.key, p.finished_at FROM delivery_deployments p
    WHERE {_CHOSEN.format(a='p.')} AND {COUNTS.format(a='p.')} AND p.finished_at < i.created_at AND {FIRST_OF_COMMIT.format(d="p")}
    ORDER BY p.finished_at DESC, p.source_id::text COLLATE "C" DESC, p.key COLLATE "C" DESC LIMIT 1
) cause ON true
WHERE {_CHOSEN.format(a='i.')} AND i.created_at >= :start AND i.created_at < :end {_AFTER.format(t="i.created_at", a="i")}
{_ORDER.format(t="i.created_at", a="i")}
""")


def _json(value: Any) -> list[list[Any]]:
    return [] if value is None else json.loads(value) if isinstance(value, str) else value


def _days(days: list[date]) -> list[str]:
    """Dates as ISO text (asyncpg looks array types up once per connection: text[] is known, date[] is not)."""
    return [day.isoformat() for day in days]


def _int(value: Any) -> int | None:
    return None if value is None else int(value)


@final
class PostgresMetricsQuery(MetricsQuery):
    def __init__(self, conn: LazyConnection) -> None:
        self._conn = conn

    async def report(self, period: Period, granularity: Granularity, benchmark: Benchmark) -> DoraReport:
        window = period.window
        row = (await self._conn.execute(REPORT, {
            **self._chosen(period), "tz": window.time_zone.key, "unit": granularity.value,
            "buckets": _days(window.buckets(granularity)), "weeks": _days(window.buckets(Granularity.WEEK)),
            "months": _days(window.buckets(Granularity.MONTH)),
        })).one()
        anything = bool(row.any_production)
        medians = {Per.WEEK: int(row.per_week or 0), Per.MONTH: int(row.per_month or 0),
                   Per.SIX_MONTHS: int(row.per_six_months or 0)}
        frequency = frequency_of(anything, row.deployments, row.deployment_days, medians, tuple(
            FrequencyPoint(date.fromisoformat(start), n, days) for start, n, days in _json(row.frequency_series)),
            benchmark)
        lead = lead_time_of(anything, row.changes, _int(row.lead_median), tuple(
            median_point(date.fromisoformat(start), n, _int(median)) for start, n, median in _json(row.lead_series)),
            benchmark)
        failure = failure_rate_of(anything, bool(row.incidents_known), row.failed, row.deployments, [
            (date.fromisoformat(start), failed, total) for start, failed, total in _json(row.failure_series)],
            benchmark)
        recovery = recovery_of(anything, bool(row.incidents_known), row.recovered, _int(row.recovery_median), tuple(
            median_point(date.fromisoformat(start), n, _int(median)) for start, n, median in _json(
                row.recovery_series)), benchmark)
        return DoraReport(frequency, lead, failure, recovery)

    async def deployments(self, period: Period, *, after: RowKey | None, limit: int) -> list[DeploymentRow]:
        rows = await self._conn.execute(DEPLOYMENTS, self._page(period, after, limit))
        return [DeploymentRow(r.source_id, Deployment(r.key, r.name, r.environment, r.production,
                                                      DeploymentResult(r.result), r.sha, r.finished_at), r.counted)
                for r in rows]

    async def changes(self, period: Period, *, after: RowKey | None, limit: int) -> list[ChangeRow]:
        rows = await self._conn.execute(CHANGES, self._page(period, after, limit))
        return [ChangeRow(r.source_id, Change(r.key, r.title, r.first_commit_at, r.merged_at, r.merge_sha),
                          r.deployment_key, r.deployed_at,
                          None if r.deployed_at is None else seconds_between(r.deployed_at, r.first_commit_at))
                for r in rows]

    async def incidents(self, period: Period, *, after: RowKey | None, limit: int) -> list[IncidentRow]:
        rows = await self._conn.execute(INCIDENTS, self._page(period, after, limit))
        return [IncidentRow(r.source_id, Incident(r.key, r.title, r.created_at, r.resolved_at), r.cause_source_id,
                            r.cause_key, r.deployed_at,
                            None if r.deployed_at is None or r.resolved_at is None
                            else seconds_between(r.resolved_at, r.deployed_at))
                for r in rows]

    def _chosen(self, period: Period) -> dict[str, Any]:
        return {"owner_id": period.owner_id, "sources": [str(s) for s in period.source_ids], "start": period.window.start,
                "end": period.window.end}

    def _page(self, period: Period, after: RowKey | None, limit: int) -> dict[str, Any]:
        time, source, key = after if after is not None else (None, None, None)
        return {**self._chosen(period), "after_time": time, "after_source": source, "after_key": key, "limit": limit}
