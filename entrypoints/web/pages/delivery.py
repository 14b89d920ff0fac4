"""The delivery pages: the DORA dashboard (tiles, weekly charts, benchmark switch), the items behind each number,
the sources with a "sync now" button, and a sync's progress; the delivery context's own use cases."""

import asyncio
from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlencode
from uuid import UUID

from fastapi import Request, Response

from application.delivery.metrics import DEFAULT_DAYS, GetMetrics, Metrics, PeriodQuery
from domain.delivery.benchmarks import BenchmarkYear
from domain.delivery.source import Source
from domain.delivery.sync import Sync
from domain.shared.errors import DomainError, InvalidValue, NotFound
from entrypoints.web.dora import Tile, charts, tiles
from entrypoints.web.page_route import page_router
from entrypoints.web.rendering import Session, account_today, container, redirect, render

router = page_router()
TABS = [("Dashboard", "/delivery"), ("Deployments", "/delivery/deployments"), ("Changes", "/delivery/changes"),
        ("Incidents", "/delivery/incidents"), ("Sources", "/delivery/sources")]
BENCHMARKS = [year.value for year in BenchmarkYear]
DEFAULT_BENCHMARK = "2023"
ITEMS_PER_PAGE = 50
LISTS = {"deployments": "list_deployments", "changes": "list_changes", "incidents": "list_incidents"}


@dataclass(frozen=True, slots=True)
class Filters:
    """The dashboard's query: local days (None: the use case's default, the 90 days up to today), benchmark year
    and series granularity, as the page's links carry them."""

    first: date | None
    last: date | None
    benchmark: str
    granularity: str

    def query(self) -> PeriodQuery:
        return PeriodQuery((), self.first, self.last)

    def link(self, **changes: str) -> str:
        """This page's query string with `changes`."""
        values = {"from": self.first.isoformat() if self.first else "",
                  "to": self.last.isoformat() if self.last else "", "benchmark": self.benchmark,
                  "granularity": self.granularity, **changes}
        return "?" + urlencode({name: value for name, value in values.items() if value})


def filters(request: Request) -> Filters:
    """The filters from the query string; a bad one is the API's 422 on that parameter."""
    params = request.query_params
    days = [_day(params.get(name), name) for name in ("from", "to")]
    benchmark = params.get("benchmark") or DEFAULT_BENCHMARK
    if benchmark not in BENCHMARKS:
        raise InvalidValue("benchmark", f"must be one of {', '.join(BENCHMARKS)}")
    granularity = params.get("granularity") or "week"
    if granularity not in ("week", "month"):
        raise InvalidValue("granularity", "must be week or month")
    return Filters(days[0], days[1], benchmark, granularity)


def _day(value: str | None, field: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidValue(field, "must be a calendar date like 2026-01-31") from None


async def dashboard_metrics(request: Request, owner_id: UUID, chosen: Filters) -> tuple[Metrics, Metrics | None]:
    """The period's metrics and those of the equally long period just before it (None when that one cannot be);
    both at once when the period's days are known here (both given, or neither: the 90 days up to today)."""
    get = container(request).delivery.metrics()
    options = {"granularity": chosen.granularity, "benchmark": chosen.benchmark}
    first, last = chosen.first, chosen.last
    if first is None and last is None:
        last = await account_today(request, owner_id)
        first = last - timedelta(days=DEFAULT_DAYS - 1)
    if first is None or last is None:
        now = await get(owner_id, chosen.query(), **options)
        return now, await _earlier(get, owner_id, now.period.window.first_day, now.period.window.last_day, options)
    now, before = await asyncio.gather(get(owner_id, PeriodQuery((), first, last), **options),
                                       _earlier(get, owner_id, first, last, options))
    return now, before


async def _earlier(get: GetMetrics, owner_id: UUID, first: date, last: date, options: dict[str, str]) -> Metrics | None:
    """The metrics of as many days just before `first`..`last`; None before the first day metrics cover."""
    span = last - first + timedelta(days=1)
    try:
        return await get(owner_id, PeriodQuery((), first - span, first - timedelta(days=1)), **options)
    except DomainError:
        return None


async def home_tiles(request: Request, owner_id: UUID) -> list[Tile] | None:
    """The home page's four tiles over the default period, None when the owner has no source yet."""
    now, before = await dashboard_metrics(request, owner_id, Filters(None, None, DEFAULT_BENCHMARK, "week"))
    if not now.period.source_ids:
        return None
    return tiles(now.report, None if before is None else before.report)


@router.get("/delivery")
async def dashboard(request: Request, session: Session) -> Response:
    """The four DORA tiles, a chart per metric, the benchmark switch and links to the items behind each number."""
    chosen = filters(request)
    (now, before), source_syncs = await asyncio.gather(dashboard_metrics(request, session.account_id, chosen),
                                                       sources_with_syncs(request, session.account_id))
    window = now.period.window
    return render(request, "delivery/dashboard.html", tabs=TABS, module_name="Delivery", filters=chosen,
                  zone=window.time_zone.key, source_syncs=source_syncs, window=window,
                  tiles=tiles(now.report, None if before is None else before.report),
                  charts=charts(now.report, chosen.granularity), benchmarks=BENCHMARKS,
                  sources=len(now.period.source_ids),
                  period_link=Filters(window.first_day, window.last_day, chosen.benchmark, chosen.granularity).link())


async def sources_with_syncs(request: Request, owner_id: UUID) -> list[tuple[Source, Sync | None]]:
    """The owner's sources (the first 200), each with its latest sync (None before the first)."""
    delivery = container(request).delivery
    found = (await delivery.list_sources()(owner_id, limit=200)).items
    latest = await delivery.latest_syncs()(owner_id, [source.id for source in found])
    return [(source, latest.get(source.id)) for source in found]


@router.get("/delivery/sources")
async def sources(request: Request, session: Session) -> Response:
    """Your sources, each with its last sync and a "sync now" button."""
    account = await container(request).identity.get_account()(session.account_id)
    return render(request, "delivery/sources.html", tabs=TABS, module_name="Delivery", zone=account.time_zone,
                  sources=await sources_with_syncs(request, session.account_id))


@router.get("/delivery/{kind:str}")
async def items(request: Request, session: Session, kind: str) -> Response:
    """The deployments, changes or incidents of the period, latest first, a page at a time."""
    if kind not in LISTS:
        raise NotFound("there is no such delivery page")
    chosen = filters(request)
    list_ = getattr(container(request).delivery, LISTS[kind])()
    page = await list_(session.account_id, chosen.query(), cursor=request.query_params.get("cursor") or None,
                       limit=ITEMS_PER_PAGE)
    account = await container(request).identity.get_account()(session.account_id)
    return render(request, f"delivery/{kind}.html", tabs=TABS, module_name="Delivery", filters=chosen, page=page,
                  zone=account.time_zone, next_link=page.next_cursor and chosen.link(cursor=page.next_cursor))


@router.post("/delivery/sources/{source_id:uuid}/sync")
async def sync_now(request: Request, session: Session, source_id: UUID) -> Response:
    """Queue a sync of one of your sources and wake the scheduler; then follow it on its page."""
    sync = await container(request).delivery.request_sync()(session.account_id, source_id)
    scheduler = getattr(request.app.state, "delivery_scheduler", None)
    if scheduler is not None:
        scheduler.wake()
    return redirect(f"/delivery/syncs/{sync.id}")


@router.get("/delivery/syncs/{sync_id:uuid}")
async def sync_status(request: Request, session: Session, sync_id: UUID) -> Response:
    """A sync's status and counts (reload to follow it)."""
    built = container(request)
    sync = await built.delivery.get_sync()(session.account_id, sync_id)
    source = await built.delivery.get_source()(session.account_id, sync.source_id)
    account = await built.identity.get_account()(session.account_id)
    return render(request, "delivery/sync.html", tabs=TABS, module_name="Delivery", sync=sync, source=source,
                  zone=account.time_zone)


