"""ASGI entry for uvicorn: `uvicorn --factory entrypoints.api.main:app_from_env`."""

import gc

from fastapi import FastAPI

from entrypoints.api.app import create_app
from entrypoints.container import build_container
from entrypoints.logs import configure_logging
from entrypoints.settings import Settings


def app_from_env() -> FastAPI:
    settings = Settings()
    configure_logging(settings.log_level, settings.log_format)
    app = create_app(build_container(settings))
    tune_garbage_collector()
    return app


def tune_garbage_collector() -> None:
    """Keep what startup built out of every collection, and collect the young generation every 10,000
    allocations instead of 700: a request allocates hundreds of objects, and with 16 in flight the default
    promoted them to older generations whose full passes took ~65 ms (the p99; docs/performance.md). Startup is
    frozen without a collection first: a full pass over its 280,000 objects took 160-240 ms of every start and
    found about 1,200 unreachable ones, which now stay."""
    gc.freeze()
    gc.set_threshold(10_000, 10, 10)
    gc.enable()  # `atrium serve` paused it while it imported and built the app
