"""The web app: server-rendered pages on the same use cases as the JSON API, through the same container."""

from inspect import isawaitable
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from entrypoints.web.page_route import PAGE_HEADERS
from entrypoints.web.pages import ROUTERS
from entrypoints.web.rendering import render

STATIC = Path(__file__).parent / "static"
_NOT_PAGES = ("/api/", "/static/", "/docs", "/redoc", "/openapi.json", "/health", "/ready", "/metrics")


def install_web(app: FastAPI) -> None:
    """Serve the pages at `/` and their assets at `/static` (after the API's routes, which keep their index), and
    answer a browser's unknown page with a page (anything else, and everything under /api, keeps its problem+json)."""
    for router in ROUTERS:
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    problem = app.exception_handlers[HTTPException]  # the API's: problem+json

    async def not_found(request: Request, error: Exception) -> Response:
        if (isinstance(error, HTTPException) and error.status_code == 404 and request.method == "GET"
                and "text/html" in request.headers.get("accept", "")
                and not request.url.path.startswith(_NOT_PAGES)):
            response = render(request, "error.html", status=404, title="Page not found",
                              message="There is no page at this address.")
            response.headers.update(PAGE_HEADERS)
            return response
        answer = problem(request, error)
        return await answer if isawaitable(answer) else answer

    app.add_exception_handler(HTTPException, not_found)
