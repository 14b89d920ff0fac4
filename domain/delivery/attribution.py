"""Attributing changes and incidents to deployments: the production deployments (one per commit), the deployment
that first shipped each change, and the deployment that caused each incident."""

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from domain.delivery.records import Change, DeployedCommit, Deployment, Incident


class LeadTime(NamedTuple):
    """One change's lead time: first commit to the finish of the deployment that first shipped it."""

    change_key: str
    deployment_key: str
    seconds: int


@dataclass(frozen=True, slots=True)
class Failure:
    """An incident and the deployment that caused it: the latest one that finished before it was created."""

    incident_key: str
    deployment_key: str
    deployed_at: datetime
    resolved_at: datetime | None

    @property
    def recovery_seconds(self) -> int | None:
        """Resolved - deployed, in whole seconds (never negative); None while open."""
        return None if self.resolved_at is None else seconds_between(self.resolved_at, self.deployed_at)


@dataclass(frozen=True, slots=True)
class Shipped:
    """A finished, successful production deployment: what every metric counts."""

    key: str
    commit: str
    finished_at: datetime


def production_deployments(deployments: Iterable[Deployment]) -> list[Shipped]:
    """The finished, successful production deployments, one per commit (the earliest), by finish time then key.

    Several records for one commit (a workflow run and the deployment it created, a re-deploy) are one
    deployment: the first time that code reached production.
    """
    first: dict[str, Shipped] = {}
    for deployment in deployments:
        if deployment.counts and deployment.finished_at is not None:
            shipped = Shipped(deployment.key, deployment.commit, deployment.finished_at)
            known = first.get(shipped.commit)
            if known is None or _order(shipped) < _order(known):
                first[shipped.commit] = shipped
    return sorted(first.values(), key=_order)


def shipped_by_commit(production: Sequence[Shipped], deployed: Iterable[DeployedCommit]) -> dict[str, Shipped]:
    """The production deployment that first shipped each commit (the earliest, should ranges overlap)."""
    by_key = {deployment.key: deployment for deployment in production}
    shipped: dict[str, Shipped] = {}
    for row in deployed:
        deployment = by_key.get(row.deployment_key)
        if deployment is not None:
            known = shipped.get(row.commit)
            if known is None or _order(deployment) < _order(known):
                shipped[row.commit] = deployment
    return shipped


def lead_times(changes: Iterable[Change], shipped: dict[str, Shipped]) -> list[LeadTime]:
    """Every shipped change's lead time: first commit -> finish of the deployment that first shipped its merge commit.

    A first commit dated after the deployment (clock skew, rebases) counts as 0.
    """
    times = []
    for change in changes:
        deployment = shipped.get(change.merge_commit)
        if deployment is not None:
            seconds = seconds_between(deployment.finished_at, change.first_commit_at)
            times.append(LeadTime(change.key, deployment.key, seconds))
    return times


def failures(incidents: Iterable[Incident], production: Sequence[Shipped]) -> list[Failure]:
    """Attribute each incident to the latest production deployment that finished strictly before it was created.

    `production` is in finish order (as production_deployments returns it); ties go to the larger key.
    """
    finishes = [deployment.finished_at for deployment in production]
    found = []
    for incident in incidents:
        index = bisect_left(finishes, incident.created_at) - 1
        if index >= 0:
            found.append(Failure(incident.key, production[index].key, finishes[index], incident.resolved_at))
    return found


def seconds_between(later: datetime, earlier: datetime) -> int:
    """Whole seconds from earlier to later, never negative."""
    seconds = int((later - earlier).total_seconds())
    return seconds if seconds > 0 else 0


def _order(deployment: Shipped) -> tuple[datetime, str]:
    return deployment.finished_at, deployment.key
