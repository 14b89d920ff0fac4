"""The four DORA metrics of a period, and the deployments, changes and incidents that made them."""

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TypeVar
from uuid import UUID

from application.delivery.ports import DeliveryUnitOfWork, MetricsQuery, Period
from application.identity.locale import account_locale
from application.shared.clock import Clock
from application.shared.pages import Page, check_limit, decode_cursor, page_of
from application.shared.unit_of_work import UowFactory
from domain.delivery.benchmarks import Benchmark, parse_benchmark
from domain.delivery.listing import ChangeRow, DeploymentRow, IncidentRow, RowKey
from domain.delivery.report import DoraReport
from domain.delivery.window import FIRST_DAY, Granularity, Window, parse_granularity
from domain.shared.errors import InvalidValue
from domain.shared.locale import zone

DEFAULT_DAYS = 90  # without `from`: the 90 days up to `to`
SOURCES_MAX = 50
R = TypeVar("R", DeploymentRow, ChangeRow, IncidentRow)


@dataclass(frozen=True, slots=True)
class PeriodQuery:
    """What a caller asks for: some of their sources (none: all), local days `first`..`last` (defaults: the 90 days
    up to today) in `time_zone` (default: the account's)."""

    source_ids: Sequence[UUID] = ()
    first: date | None = None
    last: date | None = None
    time_zone: str | None = None


async def resolve_period(uow: DeliveryUnitOfWork, owner_id: UUID, query: PeriodQuery, now: datetime) -> Period:
    """The period with the account's time zone; a source that is not the owner's is 422 on `source`."""
    zone_name = query.time_zone or (await account_locale(uow.accounts, owner_id)).time_zone
    window = Window.create(*_days(query, now, zone_name), zone_name)
    if len(query.source_ids) > SOURCES_MAX:
        raise InvalidValue("source", f"must name at most {SOURCES_MAX} sources")
    wanted = tuple(dict.fromkeys(query.source_ids))
    if wanted:
        owned = await uow.delivery_sources.owned(owner_id, wanted)
        if len(owned) != len(wanted):
            raise InvalidValue("source", "must be one of your sources", code="unknown_source")
    else:
        wanted = tuple(await uow.delivery_sources.all_ids(owner_id))
    return Period(owner_id, wanted, window)


def _days(query: PeriodQuery, now: datetime, zone_name: str) -> tuple[date, date]:
    today = now.astimezone(zone(zone_name)).date()
    last = query.last or (today if query.first is None else max(today, query.first))
    first = query.first or max(last - timedelta(days=DEFAULT_DAYS - 1), min(last, FIRST_DAY))
    return first, last


@dataclass(frozen=True, slots=True)
class Metrics:
    period: Period
    granularity: Granularity
    benchmark: Benchmark
    report: DoraReport


@dataclass
class GetMetrics:
    """The four metrics of the period per `granularity` (week or month) against the bands of `benchmark`."""

    uow: UowFactory[DeliveryUnitOfWork]
    clock: Clock

    async def __call__(self, owner_id: UUID, query: PeriodQuery, *, granularity: object = Granularity.WEEK,
                       benchmark: object = None) -> Metrics:
        unit, bands = parse_granularity(granularity), parse_benchmark(benchmark)
        async with self.uow(account=owner_id) as uow:
            period = await resolve_period(uow, owner_id, query, self.clock.now())
            report = await uow.delivery_metrics.report(period, unit, bands)
        return Metrics(period, unit, bands, report)


def _position(time: str, source: str, key: str) -> RowKey:
    instant = datetime.fromisoformat(time)
    if instant.tzinfo is None:
        raise ValueError("not an instant")
    return instant, str(UUID(source)), key


Rows = Callable[[MetricsQuery, Period, RowKey | None, int], Awaitable[list[R]]]


async def _page(uow_factory: UowFactory[DeliveryUnitOfWork], clock: Clock, owner_id: UUID, query: PeriodQuery,
                cursor: str | None, limit: int, rows: Rows[R]) -> Page[R]:
    check_limit(limit)
    after = None if cursor is None else decode_cursor(cursor, _position)
    async with uow_factory(account=owner_id) as uow:
        period = await resolve_period(uow, owner_id, query, clock.now())
        found = await rows(uow.delivery_metrics, period, after, limit + 1)
    return page_of(found, limit, lambda row: row.position)


@dataclass
class ListDeployments:
    """The finished deployments of the period, latest first; `counted` marks those the metrics count."""

    uow: UowFactory[DeliveryUnitOfWork]
    clock: Clock

    async def __call__(self, owner_id: UUID, query: PeriodQuery, *, cursor: str | None = None,
                       limit: int = 50) -> Page[DeploymentRow]:
        return await _page(self.uow, self.clock, owner_id, query, cursor, limit,
                           lambda q, p, after, n: q.deployments(p, after=after, limit=n))


@dataclass
class ListChanges:
    """The changes merged in the period, latest first, with the deployment that first shipped each."""

    uow: UowFactory[DeliveryUnitOfWork]
    clock: Clock

    async def __call__(self, owner_id: UUID, query: PeriodQuery, *, cursor: str | None = None,
                       limit: int = 50) -> Page[ChangeRow]:
        return await _page(self.uow, self.clock, owner_id, query, cursor, limit,
                           lambda q, p, after, n: q.changes(p, after=after, limit=n))


@dataclass
class ListIncidents:
    """The incidents created in the period, latest first, with the deployment that caused each."""

    uow: UowFactory[DeliveryUnitOfWork]
    clock: Clock

    async def __call__(self, owner_id: UUID, query: PeriodQuery, *, cursor: str | None = None,
                       limit: int = 50) -> Page[IncidentRow]:
        return await _page(self.uow, self.clock, owner_id, query, cursor, limit,
                           lambda q, p, after, n: q.incidents(p, after=after, limit=n))
