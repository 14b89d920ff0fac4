"""The items behind the numbers: deployments, changes and incidents of a period, each with what it counted for.

Several sources are combined by prefixing every key and commit with the source's id, so one source's records
never meet another's (one deployment per commit is per source), while incidents are attributed to the latest
production deployment of any chosen source.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from domain.delivery.attribution import failures, production_deployments, seconds_between, shipped_by_commit
from domain.delivery.records import Change, DeployedCommit, Deployment, Incident
from domain.delivery.report import History
from domain.delivery.window import Window

RowKey = tuple[datetime, str, str]
"""A list's keyset position: the row's time, its source's id as text, its key (descending in that order)."""


@dataclass(frozen=True, slots=True)
class DeploymentRow:
    """A finished deployment; `counted` when the metrics count it (successful, production, first of its commit)."""

    source_id: UUID
    deployment: Deployment
    counted: bool

    @property
    def position(self) -> RowKey:
        assert self.deployment.finished_at is not None
        return self.deployment.finished_at, str(self.source_id), self.deployment.key


@dataclass(frozen=True, slots=True)
class ChangeRow:
    """A change and the production deployment that first shipped it (None: not shipped yet, or unknown)."""

    source_id: UUID
    change: Change
    deployment_key: str | None
    deployed_at: datetime | None
    lead_time_seconds: int | None

    @property
    def position(self) -> RowKey:
        return self.change.merged_at, str(self.source_id), self.change.key


@dataclass(frozen=True, slots=True)
class IncidentRow:
    """An incident and the production deployment that caused it (the latest that finished before it was created,
    of any chosen source); `recovery_seconds` once resolved."""

    source_id: UUID
    incident: Incident
    cause_source_id: UUID | None
    cause_key: str | None
    deployed_at: datetime | None
    recovery_seconds: int | None

    @property
    def position(self) -> RowKey:
        return self.incident.created_at, str(self.source_id), self.incident.key


def combined(histories: Mapping[UUID, History]) -> History:
    """One history of several sources, every key and commit prefixed with `<source id>:`."""
    deployments, changes, incidents, deployed = [], [], [], []
    for source_id, history in histories.items():
        prefix = f"{source_id}:"
        deployments += [Deployment(prefix + d.key, d.name, d.environment, d.production, d.result, prefix + d.commit,
                                   d.finished_at) for d in history.deployments]
        changes += [Change(prefix + c.key, c.title, c.first_commit_at, c.merged_at, prefix + c.merge_commit)
                    for c in history.changes]
        incidents += [Incident(prefix + i.key, i.title, i.created_at, i.resolved_at) for i in history.incidents]
        deployed += [DeployedCommit(prefix + r.deployment_key, prefix + r.commit) for r in history.deployed_commits]
    return History(deployments, changes, incidents, deployed)


def split(prefixed: str) -> tuple[UUID, str]:
    """The source id and the key of a prefixed key."""
    source, key = prefixed.split(":", 1)
    return UUID(source), key


def deployment_rows(histories: Mapping[UUID, History], window: Window) -> list[DeploymentRow]:
    """The finished deployments of the window, latest first."""
    counted = {d.key for d in production_deployments(combined(histories).deployments)}
    rows = [DeploymentRow(source_id, d, f"{source_id}:{d.key}" in counted)
            for source_id, history in histories.items() for d in history.deployments
            if d.finished_at is not None and window.contains(d.finished_at)]
    return sorted(rows, key=lambda row: row.position, reverse=True)


def change_rows(histories: Mapping[UUID, History], window: Window) -> list[ChangeRow]:
    """The changes merged in the window, latest first, with the deployment that first shipped each."""
    history = combined(histories)
    shipped = shipped_by_commit(production_deployments(history.deployments), history.deployed_commits)
    rows = []
    for source_id, own in histories.items():
        for change in own.changes:
            if window.contains(change.merged_at):
                found = shipped.get(f"{source_id}:{change.merge_commit}")
                rows.append(ChangeRow(
                    source_id, change, None if found is None else split(found.key)[1],
                    None if found is None else found.finished_at,
                    None if found is None else seconds_between(found.finished_at, change.first_commit_at)))
    return sorted(rows, key=lambda row: row.position, reverse=True)


def incident_rows(histories: Mapping[UUID, History], window: Window) -> list[IncidentRow]:
    """The incidents created in the window, latest first, with the deployment that caused each."""
    history = combined(histories)
    causes = {f.incident_key: f for f in failures(history.incidents, production_deployments(history.deployments))}
    rows = []
    for source_id, own in histories.items():
        for incident in own.incidents:
            if window.contains(incident.created_at):
                found = causes.get(f"{source_id}:{incident.key}")
                cause = None if found is None else split(found.deployment_key)
                rows.append(IncidentRow(
                    source_id, incident, None if cause is None else cause[0], None if cause is None else cause[1],
                    None if found is None else found.deployed_at, None if found is None else found.recovery_seconds))
    return sorted(rows, key=lambda row: row.position, reverse=True)
