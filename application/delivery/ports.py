"""Ports of the delivery context: the outbound sources a sync reads (GitHub, Linear, a local git repository).

A sync reads each resource of a source page by page. After it has committed a page's records (upserts keyed
by `(source, record key)`) it saves the page's `state`, when there is one, for that source and resource; the
next run starts from the saved state. A page without a state is not a safe place to resume from, so a run
that fails after it starts again from the last saved state: records are re-read, never lost, and re-upserting
them changes nothing.
"""

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from application.shared.errors import UpstreamFailed
from domain.delivery.records import Record


@dataclass(frozen=True, slots=True)
class ResourceState:
    """What a source remembers per resource between runs: an opaque cursor and the first page's ETag."""

    cursor: str | None = None
    etag: str | None = None


@dataclass(frozen=True, slots=True)
class Page:
    """Records to upsert, keys of this resource's records to delete (they no longer qualify), and where to resume."""

    items: tuple[Record, ...]
    state: ResourceState | None
    removed: tuple[str, ...] = field(default=())


class SourceReader(Protocol):
    """One resource of one source (GitHub's releases, Linear's issues, ...), read from a saved state."""

    @property
    def resource(self) -> str:
        """A stable name that keys the saved state, like `github.releases`."""
        ...

    @property
    def snapshot(self) -> bool:
        """True when a completed run yields every record of the resource, so records it did not yield are gone."""
        ...

    def pages(self, state: ResourceState) -> AsyncIterator[Page]:
        """The changed records since `state`, page by page; nothing when nothing changed.

        Raises SourceRejected or SourceUnavailable; what was yielded before stays valid.
        """
        ...


class RecordSource(Protocol):
    """A configured source: its resources to read."""

    def readers(self) -> tuple[SourceReader, ...]: ...


class SourceControl(RecordSource, Protocol):
    """A hosted repository (GitHub): deployments, merged pull requests, and what each deployment shipped."""

    async def commits_between(self, base: str | None, head: str) -> tuple[str, ...]:
        """The commits `head` adds to `base` (oldest first, bounded); with no base, none (partial history)."""
        ...


class IssueTracker(RecordSource, Protocol):
    """An issue tracker (Linear): its incidents."""


class SourceRejected(UpstreamFailed):
    """The provider refused the source as configured (bad token, unknown repository, no access, bad path).

    Retrying will not help until the user changes the source. The message is safe to show; it never holds a token.
    """


class SourceUnavailable(UpstreamFailed):
    """The provider failed for now (timeouts, 5xx, rate limits past the wait budget); `retry_at` when it said so."""

    def __init__(self, message: str, *, retry_at: datetime | None = None) -> None:
        super().__init__(message)
        self.retry_at = retry_at
