"""The FastAPI application factory."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

from fastapi import FastAPI

from adapters.object_store import S3BlobStore
from entrypoints import delivery_sync, worker
from entrypoints.api import calendar, delivery, docs, fitness, health, identity, imaging, ledger, metrics
from entrypoints.api.cors import ApiCors
from entrypoints.api.metrics import Metrics
from entrypoints.api.middleware import RequestContext
from entrypoints.api.openapi import document_common_problems
from entrypoints.api.problems import install_problem_handlers
from entrypoints.api.routing import add_routes
from entrypoints.container import Container, build_container
from entrypoints.web import install_web


def create_app(container: Container | None = None) -> FastAPI:
    """Build the API on `container` (default: one configured from the environment)."""
    container = container or build_container()
    settings = container.settings()
    container.identity.tokens()  # the secrets now: a missing one stops the start, not every login or sync
    container.delivery.cipher()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        stop = asyncio.Event()
        dispatcher = None
        async with AsyncExitStack() as background:
            if settings.dispatch_in_api:
                dispatcher = asyncio.create_task(worker.run_until(
                    stop, container, settings.worker_interval_seconds, on_report=app.state.metrics.dispatched))
                app.state.delivery_scheduler = await background.enter_async_context(
                    delivery_sync.scheduled(container, settings.worker_interval_seconds))
            yield
            stop.set()
            if dispatcher is not None:
                await dispatcher
        blobs = container.imaging.blobs()
        if isinstance(blobs, S3BlobStore):
            await blobs.aclose()
        if container.config.storage() == "postgres":
            await container.infrastructure.engine().dispose()

    app = FastAPI(
        title="Atrium",
        version="0.1.0",
        summary="One backend on one core: calendar, ledger, imaging, fitness and delivery (DORA metrics) on a "
                "shared identity.",
        lifespan=lifespan,
        docs_url=None,  # entrypoints/api/docs.py serves /docs and /redoc from vendored assets: no CDN
        redoc_url=None,
        # FastAPI's native OpenTelemetry checks its providers on every request; metrics are ours (/metrics)
        telemetry={"tracing": False, "metrics": False, "logs": False, "operation_spans": False},
    )
    app.state.container = container
    app.state.metrics = Metrics()
    observe = app.state.metrics.observe if settings.metrics_enabled else None
    app.add_middleware(RequestContext, max_json_bytes=settings.max_json_bytes,
                       max_upload_bytes=settings.max_upload_bytes, observe=observe,
                       access_log=settings.access_log)
    app.add_middleware(ApiCors, settings=settings)  # outermost: the 413 and 500 answers above carry CORS too
    install_problem_handlers(app)
    document_common_problems(app)
    add_routes(app.router, health.router, metrics.router, *identity.routers, imaging.router, *ledger.routers,
               *calendar.routers, *fitness.routers, *delivery.routers, docs.router)
    install_web(app)
    return app
