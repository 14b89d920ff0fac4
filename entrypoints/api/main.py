"""ASGI entry for uvicorn: `uvicorn --factory entrypoints.api.main:app_from_env`."""

from fastapi import FastAPI

from entrypoints.api.app import create_app
from entrypoints.container import build_container
from entrypoints.logs import configure_logging
from entrypoints.settings import Settings


def app_from_env() -> FastAPI:
    settings = Settings()
    configure_logging(settings.log_level, settings.log_format)
    return create_app(build_container(settings))
