"""Liveness and readiness probes."""

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from entrypoints.api.problems import problem, responses
from entrypoints.api.routing import PrefixRoute

router = APIRouter(tags=["health"], route_class=PrefixRoute)


@router.get("/health")
async def health() -> dict[str, str]:
    """200 while the process runs."""
    return {"status": "ok"}


@router.get("/ready", responses=responses(503))
async def ready(request: Request) -> JSONResponse:
    """200 when the database answers and its migrations are at head, else 503."""
    reason = await request.app.state.container.infrastructure.readiness()()
    if reason is not None:
        return problem(503, "not_ready", "Service unavailable", reason, headers={"Retry-After": "2"})
    return JSONResponse({"status": "ready"})
