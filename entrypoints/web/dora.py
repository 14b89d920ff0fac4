"""The DORA dashboard's pieces from two reports (a period and the one before it): four tiles with value, band and
change, and a weekly (or monthly) chart per metric with its numbers."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup

from domain.delivery.metrics import Point
from domain.delivery.report import DoraReport
from entrypoints.web.charts import Series, line_chart

BETTER, WORSE, SAME = "better", "worse", "same"


@dataclass(frozen=True, slots=True)
class Tile:
    """One metric as a tile shows it: `value` and `band` (None without data, then `reason` says why) and how it moved
    since the previous period (`change` in words, `trend` better, worse or same; "" without an earlier value)."""

    key: str
    name: str
    value: str
    band: str | None
    reason: str | None
    change: str
    trend: str


def hours(value: float) -> str:
    """A duration in hours as a person reads it: minutes under an hour, days from two days on."""
    if value < 1:
        return f"{round(value * 60)} min"
    if value < 48:
        return f"{value:.1f} h"
    return f"{value / 24:.1f} days"


def percent(value: float) -> str:
    shown = f"{value * 100:.1f}".rstrip("0").rstrip(".")
    return f"{shown} %"


def days_a_week(value: float) -> str:
    return f"{value:g} day a week" if value == 1 else f"{value:g} days a week"


def tiles(now: DoraReport, before: DoraReport | None) -> list[Tile]:
    """The four tiles of `now`, each compared with `before` (None: no earlier period to compare with)."""
    f, lead, cfr, rec = (now.deployment_frequency, now.lead_time_for_changes, now.change_failure_rate,
                         now.failed_deployment_recovery_time)
    b = before
    return [
        _tile("deployment_frequency", "Deployment frequency", f.median_days_per_week, f.band, f.reason,
              None if b is None else b.deployment_frequency.median_days_per_week, days_a_week, higher_is_better=True),
        _tile("lead_time_for_changes", "Lead time for changes", lead.median_hours, lead.band, lead.reason,
              None if b is None else b.lead_time_for_changes.median_hours, hours),
        _tile("change_failure_rate", "Change failure rate", cfr.value, cfr.band, cfr.reason,
              None if b is None else b.change_failure_rate.value, percent),
        _tile("failed_deployment_recovery_time", "Failed deployment recovery time", rec.median_hours, rec.band,
              rec.reason, None if b is None else b.failed_deployment_recovery_time.median_hours, hours),
    ]


def _tile(key: str, name: str, value: float | None, band: object, reason: object, earlier: float | None,
          show: Callable[[float], str], *, higher_is_better: bool = False) -> Tile:
    if value is None:
        return Tile(key, name, "No data", None, str(reason) if reason else "no data", "", "")
    if earlier is None:
        return Tile(key, name, show(value), str(band) if band else None, None, "no earlier value to compare", "")
    if value == earlier:
        return Tile(key, name, show(value), str(band) if band else None, None, "same as the previous period", SAME)
    rose = value > earlier
    trend = BETTER if rose == higher_is_better else WORSE
    change = f"{'up' if rose else 'down'} from {show(earlier)} in the previous period"
    return Tile(key, name, show(value), str(band) if band else None, None, change, trend)


def charts(report: DoraReport, granularity: str) -> list[Markup]:
    """A chart per metric over the period's weeks (or months), its numbers in a table."""
    unit = "Week" if granularity == "week" else "Month"
    frequency = report.deployment_frequency.series
    labels = [_label(p.start, granularity) for p in frequency]
    per = f"per {unit.lower()}"
    return [
        line_chart(f"Deployments {per}", labels, [
            Series("Deployments", [p.deployments for p in frequency]),
            Series("Deployment days", [p.deployment_days for p in frequency])], label_heading=unit,
            description=f"Production deployments and days with at least one, {per}.", chart_id="chart-frequency"),
        _series_chart(f"Median lead time {per} (hours)", report.lead_time_for_changes.series, granularity, unit,
                      "Lead time (h)", "chart-lead-time", 1),
        _series_chart(f"Change failure rate {per} (%)", report.change_failure_rate.series, granularity, unit,
                      "Failure rate (%)", "chart-failure-rate", 100),
        _series_chart(f"Median recovery time {per} (hours)", report.failed_deployment_recovery_time.series,
                      granularity, unit, "Recovery (h)", "chart-recovery", 1),
    ]


def _series_chart(title: str, points: tuple[Point, ...], granularity: str, unit: str, name: str, chart_id: str,
                  scale: float) -> Markup:
    labels = [_label(p.start, granularity) for p in points]
    values = [None if p.value is None else round(p.value * scale, 2) for p in points]
    counts = [p.count for p in points]
    return line_chart(title, labels, [Series(name, values)], label_heading=unit, chart_id=chart_id,
                      description=f"{sum(counts)} items in all; a gap is a {unit.lower()} without data.")


def _label(start: date, granularity: str) -> str:
    return start.strftime("%d %b %Y") if granularity == "week" else start.strftime("%b %Y")
