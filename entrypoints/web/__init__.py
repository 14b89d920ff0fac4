"""The web app: server-rendered pages on the same use cases as the JSON API, through the same container."""

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

STATIC = Path(__file__).parent / "static"


def install_web(app: FastAPI) -> None:
    """Serve the assets at `/static` (after the API's routes, which keep their index)."""
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
