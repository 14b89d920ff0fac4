"""The deployments, changes and incidents of a period: the items behind each metric."""

from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from application.delivery.metrics import ListChanges, ListDeployments, ListIncidents
from application.shared.pages import MAX_LIMIT
from domain.delivery.listing import ChangeRow, DeploymentRow, IncidentRow
from entrypoints.api.delivery.period import PeriodParameters
from entrypoints.api.dependencies import Caller, use
from entrypoints.api.problems import responses
from entrypoints.api.routing import PrefixRoute
from entrypoints.api.types import Cursor, Page
from entrypoints.container.delivery import Delivery

router = APIRouter(prefix="/api/v1/delivery", tags=["delivery"], route_class=PrefixRoute)
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT)]


def _hours(seconds: int | None) -> float | None:
    return None if seconds is None else seconds / 3600


class DeploymentOut(BaseModel):
    source_id: UUID
    key: str = Field(description="the provider's id: deployment:<id>, run:<id>, release:<id> or tag:<name>")
    name: str
    environment: str | None
    production: bool
    result: str = Field(description="success, failure or in_progress")
    commit: str
    finished_at: datetime
    counted: bool = Field(description="whether the metrics count it: a successful production deployment, the "
                                      "first of its commit")


class ChangeOut(BaseModel):
    source_id: UUID
    key: str = Field(description="pr:<number>, or the commit for git sources")
    title: str
    first_commit_at: datetime
    merged_at: datetime
    merge_commit: str
    deployment_key: str | None = Field(description="the production deployment that first shipped it")
    deployed_at: datetime | None
    lead_time_hours: float | None


class IncidentOut(BaseModel):
    source_id: UUID
    key: str
    title: str
    created_at: datetime
    resolved_at: datetime | None
    deployment_source_id: UUID | None = Field(description="the source of the deployment that caused it")
    deployment_key: str | None = Field(description="the latest production deployment finished before it began")
    deployed_at: datetime | None
    recovery_hours: float | None


class DeploymentPage(Page[DeploymentOut]):
    pass


class ChangePage(Page[ChangeOut]):
    pass


class IncidentPage(Page[IncidentOut]):
    pass


def _deployment(row: DeploymentRow) -> DeploymentOut:
    d = row.deployment
    assert d.finished_at is not None
    return DeploymentOut(source_id=row.source_id, key=d.key, name=d.name, environment=d.environment,
                         production=d.production, result=d.result.value, commit=d.commit, finished_at=d.finished_at,
                         counted=row.counted)


def _change(row: ChangeRow) -> ChangeOut:
    c = row.change
    return ChangeOut(source_id=row.source_id, key=c.key, title=c.title, first_commit_at=c.first_commit_at,
                     merged_at=c.merged_at, merge_commit=c.merge_commit, deployment_key=row.deployment_key,
                     deployed_at=row.deployed_at, lead_time_hours=_hours(row.lead_time_seconds))


def _incident(row: IncidentRow) -> IncidentOut:
    i = row.incident
    return IncidentOut(source_id=row.source_id, key=i.key, title=i.title, created_at=i.created_at,
                       resolved_at=i.resolved_at, deployment_source_id=row.cause_source_id,
                       deployment_key=row.cause_key, deployed_at=row.deployed_at,
                       recovery_hours=_hours(row.recovery_seconds))


@router.get("/deployments", response_model=DeploymentPage, responses=responses(401, 422))
async def list_deployments(caller: Caller, period: Annotated[PeriodParameters, Depends()], cursor: Cursor = None,
                           limit: Limit = 50, list_: ListDeployments = use(Delivery.list_deployments)) -> DeploymentPage:
    """Deployments that finished in the period, latest first; `counted` marks those the metrics count."""
    page = await list_(caller.account_id, period.query(), cursor=cursor, limit=limit)
    return DeploymentPage(items=[_deployment(row) for row in page.items], next_cursor=page.next_cursor)


@router.get("/changes", response_model=ChangePage, responses=responses(401, 422))
async def list_changes(caller: Caller, period: Annotated[PeriodParameters, Depends()], cursor: Cursor = None,
                       limit: Limit = 50, list_: ListChanges = use(Delivery.list_changes)) -> ChangePage:
    """Changes merged in the period, latest first, with the deployment that first shipped each and its lead time
    (a change counts in the lead time of the period its deployment finished in)."""
    page = await list_(caller.account_id, period.query(), cursor=cursor, limit=limit)
    return ChangePage(items=[_change(row) for row in page.items], next_cursor=page.next_cursor)


@router.get("/incidents", response_model=IncidentPage, responses=responses(401, 422))
async def list_incidents(caller: Caller, period: Annotated[PeriodParameters, Depends()], cursor: Cursor = None,
                         limit: Limit = 50, list_: ListIncidents = use(Delivery.list_incidents)) -> IncidentPage:
    """Incidents created in the period, latest first, with the deployment that caused each and its recovery time."""
    page = await list_(caller.account_id, period.query(), cursor=cursor, limit=limit)
    return IncidentPage(items=[_incident(row) for row in page.items], next_cursor=page.next_cursor)
