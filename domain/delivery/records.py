"""What a source yields: deployments, changes, incidents and the commits each deployment introduced.

Each record is keyed by the provider's id (`key`, unique within its source), so a sync upserts them and a
re-run changes nothing. Times are aware UTC datetimes.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

NAME_MAX = 255


class DeploymentResult(StrEnum):
    SUCCESS = "success"
    FAILURE = "failure"
    IN_PROGRESS = "in_progress"


@dataclass(frozen=True, slots=True)
class Deployment:
    """A deployment or release; `commit` is the sha (or tag) it shipped; `finished_at` None while unfinished."""

    key: str
    name: str
    environment: str | None
    production: bool
    result: DeploymentResult
    commit: str
    finished_at: datetime | None

    @property
    def counts(self) -> bool:
        """Whether the metrics see it: a finished, successful production deployment."""
        return self.production and self.result is DeploymentResult.SUCCESS and self.finished_at is not None


@dataclass(frozen=True, slots=True)
class Change:
    """A merged pull request, or a commit for git sources; lead time starts at `first_commit_at`."""

    key: str
    title: str
    first_commit_at: datetime
    merged_at: datetime
    merge_commit: str


@dataclass(frozen=True, slots=True)
class Incident:
    """A production failure; `resolved_at` None while open."""

    key: str
    title: str
    created_at: datetime
    resolved_at: datetime | None


@dataclass(frozen=True, slots=True)
class DeployedCommit:
    """`commit` reached production first with deployment `deployment_key` (it is in that deployment's range)."""

    deployment_key: str
    commit: str


Record = Deployment | Change | Incident | DeployedCommit


def clip(text: str | None, limit: int = NAME_MAX) -> str:
    """The text on one line, at most `limit` characters (provider text is untrusted and unbounded)."""
    line = " ".join((text or "").split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def utc(value: datetime) -> datetime:
    """The instant in UTC; naive datetimes are refused (a provider time without offset is a bug)."""
    if value.tzinfo is None:
        raise ValueError("delivery times must be aware datetimes")
    return value.astimezone(UTC)
