"""The floor's DORA metrics: the statement Atrium sends (one round trip for the owner's sources, one for the report,
as Atrium), run on asyncpg, and the DORA rules of the domain (bands, medians, reasons) applied to its row, the
answer built as a dict and encoded once. No framework, no container, no SQLAlchemy execution, no validation layer."""

import json
from datetime import date
from typing import Any

import asyncpg
from sqlalchemy.dialects.postgresql.asyncpg import dialect

from adapters.postgres.delivery.metrics import REPORT
from domain.delivery.benchmarks import Per, parse_benchmark
from domain.delivery.metrics import FrequencyPoint, failure_rate_of, frequency_of, lead_time_of, median_point, recovery_of
from domain.delivery.window import Granularity, Window

_COMPILED = REPORT.compile(dialect=dialect())
STATEMENT, ORDER = _COMPILED.string, _COMPILED.positiontup
SOURCES = "SELECT coalesce(array_agg(id::text ORDER BY id), '{}') FROM delivery_sources WHERE owner_id = $1"


def _rows(value: Any) -> list[list[Any]]:
    return [] if value is None else json.loads(value) if isinstance(value, str) else value


def _int(value: Any) -> int | None:
    return None if value is None else int(value)


def _points(series) -> list[dict[str, Any]]:
    return [{"start": p.start.isoformat(), "value": p.value, "count": p.count} for p in series]


async def metrics(pool: asyncpg.Pool, owner, query) -> bytes:
    """The answer to GET /api/v1/delivery/metrics with `from`, `to`, `time_zone` and `granularity` given."""
    window = Window.create(date.fromisoformat(query["from"]), date.fromisoformat(query["to"]), query["time_zone"])
    unit, bands = Granularity(query.get("granularity", "week")), parse_benchmark(query.get("benchmark"))
    async with pool.acquire() as conn:
        sources = await conn.fetchval(SOURCES, owner)
        values = {"owner_id": owner, "sources": sources, "tz": window.time_zone.key, "unit": unit.value,
                  "start": window.start, "end": window.end,
                  **{name: [d.isoformat() for d in window.buckets(g)] for name, g in
                     (("buckets", unit), ("weeks", Granularity.WEEK), ("months", Granularity.MONTH))}}
        row = await conn.fetchrow(STATEMENT, *(values[name] for name in ORDER))
    anything = bool(row["any_production"])
    medians = {Per.WEEK: int(row["per_week"] or 0), Per.MONTH: int(row["per_month"] or 0),
               Per.SIX_MONTHS: int(row["per_six_months"] or 0)}
    f = frequency_of(anything, row["deployments"], row["deployment_days"], medians, tuple(
        FrequencyPoint(date.fromisoformat(s), n, d) for s, n, d in _rows(row["frequency_series"])), bands)
    lead = lead_time_of(anything, row["changes"], _int(row["lead_median"]), tuple(
        median_point(date.fromisoformat(s), n, _int(m)) for s, n, m in _rows(row["lead_series"])), bands)
    cfr = failure_rate_of(anything, bool(row["incidents_known"]), row["failed"], row["deployments"], [
        (date.fromisoformat(s), failed, total) for s, failed, total in _rows(row["failure_series"])], bands)
    rec = recovery_of(anything, bool(row["incidents_known"]), row["recovered"], _int(row["recovery_median"]), tuple(
        median_point(date.fromisoformat(s), n, _int(m)) for s, n, m in _rows(row["recovery_series"])), bands)
    return json.dumps({
        "from": window.first_day.isoformat(), "to": window.last_day.isoformat(), "time_zone": window.time_zone.key,
        "granularity": unit.value, "benchmark": bands.year.value, "sources": sources,
        "deployment_frequency": {
            "value": f.median_days_per_week, "deployments": f.deployments, "deployment_days": f.deployment_days,
            "band": f.band, "reason": f.reason, "series": [
                {"start": p.start.isoformat(), "deployments": p.deployments, "deployment_days": p.deployment_days}
                for p in f.series]},
        "lead_time_for_changes": {"value": lead.median_hours, "median_hours": lead.median_hours,
                                  "changes": lead.changes, "band": lead.band, "reason": lead.reason,
                                  "series": _points(lead.series)},
        "change_failure_rate": {"value": cfr.value, "failed_deployments": cfr.failed_deployments,
                                "deployments": cfr.deployments, "band": cfr.band, "reason": cfr.reason,
                                "series": _points(cfr.series)},
        "failed_deployment_recovery_time": {"value": rec.median_hours, "median_hours": rec.median_hours,
                                            "incidents": rec.incidents, "band": rec.band, "reason": rec.reason,
                                            "series": _points(rec.series)},
    }).encode()
