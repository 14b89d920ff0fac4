"""Tables of the delivery context: sources, their syncs and saved states, and the records synced from them.

Every record row names its source with `(owner_id, source_id)`, a foreign key that cascades: deleting a source
deletes its syncs, states and records, and a row can never point at another owner's source.
"""

from typing import Any

from sqlalchemy import (
    Boolean, Column, ForeignKeyConstraint, Index, Integer, PrimaryKeyConstraint, Table, Text, UniqueConstraint, Uuid,
    false, text,
)
from sqlalchemy.dialects.postgresql import ARRAY

from adapters.postgres.tables.base import metadata, owner_column, timestamp


def _of_source() -> tuple[Column[Any], Column[Any], ForeignKeyConstraint]:
    return (Column("owner_id", Uuid, nullable=False), Column("source_id", Uuid, nullable=False),
            ForeignKeyConstraint(["owner_id", "source_id"], ["delivery_sources.owner_id", "delivery_sources.id"],
                                 ondelete="CASCADE"))


delivery_sources = Table(
    "delivery_sources", metadata,
    Column("id", Uuid, primary_key=True),
    owner_column(),
    Column("kind", Text, nullable=False),
    Column("target", Text, nullable=False),
    Column("deployment_patterns", ARRAY(Text), nullable=False),
    Column("production_pattern", Text, nullable=False),
    Column("incident_labels", ARRAY(Text), nullable=False),
    Column("incident_pattern", Text, nullable=False),
    Column("sealed_token", Text),
    timestamp("created_at"),
    timestamp("updated_at"),
    UniqueConstraint("owner_id", "id"),  # the target of (owner_id, source_id) foreign keys
)

delivery_syncs = Table(
    "delivery_syncs", metadata,
    Column("id", Uuid, primary_key=True),
    *_of_source(),
    Column("origin", Text, nullable=False),
    Column("status", Text, nullable=False),
    timestamp("requested_at"),
    timestamp("started_at", nullable=True),
    timestamp("finished_at", nullable=True),
    timestamp("lease_until", nullable=True),
    Column("deployments", Integer, nullable=False),
    Column("changes", Integer, nullable=False),
    Column("incidents", Integer, nullable=False),
    Column("deployed_commits", Integer, nullable=False),
    Column("removed", Integer, nullable=False),
    Column("error", Text),
    Index(None, "source_id", "requested_at"),
    Index("ix_delivery_syncs_active", "requested_at", "id", postgresql_where=text("status IN ('queued', 'running')")),
    Index("uq_delivery_syncs_source_id", "source_id", unique=True, postgresql_where=text("status = 'queued'")),
)

delivery_states = Table(
    "delivery_states", metadata,
    *_of_source(),
    Column("resource", Text, nullable=False),
    Column("cursor", Text),
    Column("etag", Text),
    PrimaryKeyConstraint("source_id", "resource"),
)

delivery_deployments = Table(
    "delivery_deployments", metadata,
    *_of_source(),
    Column("key", Text, nullable=False),
    Column("name", Text, nullable=False),
    Column("environment", Text),
    Column("production", Boolean, nullable=False),
    Column("result", Text, nullable=False),
    Column("sha", Text, nullable=False),
    timestamp("finished_at", nullable=True),
    Column("ranged", Boolean, nullable=False, server_default=false()),  # its commit range was fetched
    PrimaryKeyConstraint("source_id", "key"),
    Index(None, "owner_id", "finished_at"),
    Index(None, "source_id", "sha"),
)

delivery_changes = Table(
    "delivery_changes", metadata,
    *_of_source(),
    Column("key", Text, nullable=False),
    Column("title", Text, nullable=False),
    timestamp("first_commit_at"),
    timestamp("merged_at"),
    Column("merge_sha", Text, nullable=False),
    Column("deployment_key", Text),  # the deployment that first shipped it, kept by the records' writes
    timestamp("deployed_at", nullable=True),  # that deployment's finish
    PrimaryKeyConstraint("source_id", "key"),
    Index(None, "source_id", "merge_sha"),
    Index(None, "owner_id", "merged_at"),
    Index(None, "owner_id", "deployed_at"),
)

delivery_incidents = Table(
    "delivery_incidents", metadata,
    *_of_source(),
    Column("key", Text, nullable=False),
    Column("title", Text, nullable=False),
    timestamp("created_at"),
    timestamp("resolved_at", nullable=True),
    PrimaryKeyConstraint("source_id", "key"),
    Index(None, "owner_id", "created_at"),
)

delivery_deployed_commits = Table(
    "delivery_deployed_commits", metadata,
    *_of_source(),
    Column("deployment_key", Text, nullable=False),
    Column("sha", Text, nullable=False),
    PrimaryKeyConstraint("source_id", "deployment_key", "sha"),
    Index(None, "source_id", "sha"),
)
