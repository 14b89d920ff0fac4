"""Routes on syncs: ask for one, and follow it from queued to succeeded or failed."""

from datetime import datetime
from uuid import UUID

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from application.delivery.syncs import GetSync, RequestSync
from domain.delivery.sync import Sync
from entrypoints.api.dependencies import Caller, use
from entrypoints.api.problems import responses
from entrypoints.api.routing import PrefixRoute
from entrypoints.container.delivery import Delivery

router = APIRouter(prefix="/api/v1/delivery", tags=["delivery"], route_class=PrefixRoute)


class SyncCountsOut(BaseModel):
    deployments: int
    changes: int
    incidents: int
    deployed_commits: int = Field(description="commits found in the ranges of new production deployments")
    removed: int = Field(description="records the source no longer holds")


class SyncOut(BaseModel):
    id: UUID
    source_id: UUID
    status: str = Field(description="queued, running, succeeded or failed")
    trigger: str = Field(description="requested (POST), scheduled, or command (atrium delivery sync)")
    counts: SyncCountsOut = Field(description="records written (new or changed) by this run, per kind")
    error: str | None = Field(description="why it failed, as the provider said it (never a token)")
    requested_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


def sync_out(sync: Sync) -> SyncOut:
    c = sync.counts
    return SyncOut(id=sync.id, source_id=sync.source_id, status=sync.status.value, trigger=sync.trigger.value,
                   counts=SyncCountsOut(deployments=c.deployments, changes=c.changes, incidents=c.incidents,
                                        deployed_commits=c.deployed_commits, removed=c.removed),
                   error=sync.error, requested_at=sync.requested_at, started_at=sync.started_at,
                   finished_at=sync.finished_at)


@router.post("/sources/{source_id:uuid}/syncs", status_code=202, response_model=SyncOut,
             responses=responses(401, 404))
async def request_sync(source_id: UUID, caller: Caller, request: Request,
                       queue: RequestSync = use(Delivery.request_sync)) -> SyncOut:
    """Queue a sync of the source; follow it at `GET /delivery/syncs/{id}`. While one is queued already, that one
    is answered. The process that runs the scheduler (the API itself unless ATRIUM_DISPATCH_IN_API=false, or
    `atrium worker`) runs it within seconds."""
    sync = await queue(caller.account_id, source_id)
    scheduler = getattr(request.app.state, "delivery_scheduler", None)
    if scheduler is not None:
        scheduler.wake()
    return sync_out(sync)


@router.get("/syncs/{sync_id:uuid}", response_model=SyncOut, responses=responses(401, 404))
async def get_sync(sync_id: UUID, caller: Caller, get: GetSync = use(Delivery.get_sync)) -> SyncOut:
    """A sync's status, counts and error."""
    return sync_out(await get(caller.account_id, sync_id))
