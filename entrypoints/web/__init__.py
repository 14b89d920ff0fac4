"""The web app: server-rendered pages on the same use cases as the JSON API, through the same container."""

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from entrypoints.web.pages import ROUTERS

STATIC = Path(__file__).parent / "static"


def install_web(app: FastAPI) -> None:
    """Serve the pages at `/` and their assets at `/static` (after the API's routes, which keep their index)."""
    for router in ROUTERS:
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
