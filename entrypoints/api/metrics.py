"""Prometheus metrics: requests by route and status, the database pool, units spent, reminders dispatched."""

from collections.abc import Mapping

from fastapi import APIRouter, Request, Response
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from domain.shared.errors import NotFound
from entrypoints.api.routing import PrefixRoute


class Metrics:
    """One registry per app, so several apps in one process (tests) never share counters."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter("atrium_http_requests_total", "HTTP requests", ["method", "route", "status"],
                                registry=self.registry)
        self.duration = Histogram("atrium_http_request_duration_seconds", "HTTP request duration",
                                  ["method", "route"], registry=self.registry,
                                  buckets=(.002, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10))
        self.pool_in_use = Gauge("atrium_db_pool_connections_in_use", "Database connections checked out",
                                 registry=self.registry)
        self.units_spent = Counter("atrium_metered_units_spent", "API-key quota units spent (replays spend none)",
                                   registry=self.registry)
        self.reminders = Counter("atrium_reminders_dispatched", "Reminders this process dispatched, by outcome",
                                 ["outcome"], registry=self.registry)

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        self.requests.labels(method, route, str(status)).inc()
        self.duration.labels(method, route).observe(seconds)

    def dispatched(self, report: Mapping[str, int]) -> None:
        for outcome, count in report.items():
            self.reminders.labels(outcome).inc(count)


router = APIRouter(include_in_schema=False, route_class=PrefixRoute)


@router.get("/metrics")
async def metrics(request: Request) -> Response:
    """Prometheus text format; 404 unless ATRIUM_METRICS_ENABLED."""
    container = request.app.state.container
    if not container.settings().metrics_enabled:
        raise NotFound("no such route")
    collected: Metrics = request.app.state.metrics
    if container.config.storage() == "postgres":
        collected.pool_in_use.set(container.infrastructure.engine().pool.checkedout())
    return Response(generate_latest(collected.registry), media_type=CONTENT_TYPE_LATEST)
