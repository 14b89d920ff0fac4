"""The four DORA metrics of a period, as Apache DevLake defines them."""

from datetime import date
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from application.delivery.metrics import GetMetrics, Metrics
from domain.delivery.benchmarks import Band
from domain.delivery.metrics import Point
from entrypoints.api.delivery.period import PeriodParameters
from entrypoints.api.dependencies import Caller, use
from entrypoints.api.problems import responses
from entrypoints.api.routing import PrefixRoute
from entrypoints.container.delivery import Delivery

router = APIRouter(prefix="/api/v1/delivery", tags=["delivery"], route_class=PrefixRoute)

_REASON = "why `value` is null: no deployments, no deployments in the period, no deployed changes in the period, " \
          "no incidents, or no resolved incidents caused by the period's deployments"


class PointOut(BaseModel):
    start: date = Field(description="the first day of the week (Monday) or month")
    value: float | None
    count: int = Field(description="how many items the value was computed from")


class FrequencyPointOut(BaseModel):
    start: date
    deployments: int
    deployment_days: int


class FrequencyOut(BaseModel):
    value: int | None = Field(description="the median number of deployment days per week")
    deployments: int
    deployment_days: int = Field(description="local days with at least one deployment")
    band: Band | None
    reason: str | None = Field(description=_REASON)
    series: list[FrequencyPointOut]


class LeadTimeOut(BaseModel):
    value: float | None = Field(description="the median hours from a change's first commit to its deployment")
    median_hours: float | None
    changes: int
    band: Band | None
    reason: str | None = Field(description=_REASON)
    series: list[PointOut]


class FailureRateOut(BaseModel):
    value: float | None = Field(description="failed_deployments / deployments (0.4 is 40 %)")
    failed_deployments: int
    deployments: int
    band: Band | None
    reason: str | None = Field(description=_REASON)
    series: list[PointOut]


class RecoveryOut(BaseModel):
    value: float | None = Field(description="the median hours from a failed deployment to its incident's resolution")
    median_hours: float | None
    incidents: int
    band: Band | None
    reason: str | None = Field(description=_REASON)
    series: list[PointOut]


class MetricsOut(BaseModel):
    first: date = Field(alias="from")
    last: date = Field(alias="to")
    time_zone: str
    granularity: str
    benchmark: str
    sources: list[UUID]
    deployment_frequency: FrequencyOut
    lead_time_for_changes: LeadTimeOut
    change_failure_rate: FailureRateOut
    failed_deployment_recovery_time: RecoveryOut


def _points(series: tuple[Point, ...]) -> list[PointOut]:
    return [PointOut(start=p.start, value=p.value, count=p.count) for p in series]


def metrics_out(m: Metrics) -> MetricsOut:
    r, window = m.report, m.period.window
    f, lead, cfr, rec = (r.deployment_frequency, r.lead_time_for_changes, r.change_failure_rate,
                         r.failed_deployment_recovery_time)
    return MetricsOut.model_validate({
        "from": window.first_day, "to": window.last_day, "time_zone": window.time_zone.key,
        "granularity": m.granularity.value, "benchmark": m.benchmark.year.value, "sources": list(m.period.source_ids),
        "deployment_frequency": FrequencyOut(
            value=f.median_days_per_week, deployments=f.deployments, deployment_days=f.deployment_days,
            band=f.band, reason=f.reason, series=[FrequencyPointOut(
                start=p.start, deployments=p.deployments, deployment_days=p.deployment_days) for p in f.series]),
        "lead_time_for_changes": LeadTimeOut(value=lead.median_hours, median_hours=lead.median_hours,
                                             changes=lead.changes, band=lead.band, reason=lead.reason,
                                             series=_points(lead.series)),
        "change_failure_rate": FailureRateOut(value=cfr.value, failed_deployments=cfr.failed_deployments,
                                              deployments=cfr.deployments, band=cfr.band, reason=cfr.reason,
                                              series=_points(cfr.series)),
        "failed_deployment_recovery_time": RecoveryOut(value=rec.median_hours, median_hours=rec.median_hours,
                                                       incidents=rec.incidents, band=rec.band, reason=rec.reason,
                                                       series=_points(rec.series)),
    })


@router.get("/metrics", response_model=MetricsOut, response_model_by_alias=True, responses=responses(401, 422))
async def delivery_metrics(
    caller: Caller, period: Annotated[PeriodParameters, Depends()],
    granularity: Annotated[Literal["week", "month"], Query(description="the series' buckets")] = "week",
    benchmark: Annotated[Literal["2021", "2023", "2024"], Query(description="the DORA report whose bands rate the "
                                                                          "values")] = "2023",
    get: GetMetrics = use(Delivery.metrics),
) -> MetricsOut:
    """Deployment frequency, lead time for changes, change failure rate and failed deployment recovery time of
    your sources over the period, with a band each and a series per week or month. A metric without data is
    `value: null` with a `reason`, never 0."""
    return metrics_out(await get(caller.account_id, period.query(), granularity=granularity, benchmark=benchmark))
