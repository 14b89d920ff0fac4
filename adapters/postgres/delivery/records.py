"""PostgreSQL records of a source: upserted from arrays (`unnest`), counting only rows that changed.

Each change keeps the deployment that first shipped it (`deployment_key`, `deployed_at`: the earliest counted
production deployment, first of its commit, whose range holds the change's merge commit), so the metrics read lead
times without joining three tables. Every write that can move it re-attributes, in its own transaction: the changes
it wrote or whose merge commit it ranged, or, when deployments changed or records were removed, the whole source.
"""

from collections.abc import Collection, Sequence
from typing import Any, final
from uuid import UUID

from sqlalchemy import text

from adapters.postgres.connection import LazyConnection
from adapters.postgres.delivery.rules import COUNTS, FIRST_OF_COMMIT
from application.delivery.ports import RecordKeys, RecordRepository
from domain.delivery.attribution import Shipped
from domain.delivery.records import Change, DeployedCommit, Deployment, Incident, Record
from domain.delivery.sync import SyncCounts


def _upsert(table: str, columns: dict[str, str], key: tuple[str, ...]) -> str:
    """INSERT … SELECT FROM unnest(arrays) ON CONFLICT (source_id, key) DO UPDATE only where something differs."""
    names = ", ".join(columns)
    arrays = ", ".join(f"CAST(:{name} AS {kind}[])" for name, kind in columns.items())
    changing = [name for name in columns if name not in key]
    conflict = ", ".join(("source_id", *key))
    action = "DO NOTHING" if not changing else (
        "DO UPDATE SET " + ", ".join(f"{name} = excluded.{name}" for name in changing)
        + f" WHERE ({', '.join(f'{table}.{n}' for n in changing)}) IS DISTINCT FROM "
        + f"({', '.join(f'excluded.{n}' for n in changing)})")
    return (f"INSERT INTO {table} (owner_id, source_id, {names}) SELECT :owner_id, :source_id, * "
            f"FROM unnest({arrays}) ON CONFLICT ({conflict}) {action} RETURNING 1")


_DEPLOYMENTS = _upsert("delivery_deployments", {
    "key": "text", "name": "text", "environment": "text", "production": "boolean", "result": "text", "sha": "text",
    "finished_at": "timestamptz"}, ("key",))
_CHANGES = _upsert("delivery_changes", {
    "key": "text", "title": "text", "first_commit_at": "timestamptz", "merged_at": "timestamptz",
    "merge_sha": "text"}, ("key",))
_INCIDENTS = _upsert("delivery_incidents", {
    "key": "text", "title": "text", "created_at": "timestamptz", "resolved_at": "timestamptz"}, ("key",))
_DEPLOYED = _upsert("delivery_deployed_commits", {"deployment_key": "text", "sha": "text"}, ("deployment_key", "sha"))
_TABLES = ("delivery_deployments", "delivery_changes", "delivery_incidents")
_OWNED = "owner_id = :owner_id AND source_id = :source_id"
_SOME = "(key = ANY(CAST(:keys AS text[])) OR merge_sha = ANY(CAST(:shas AS text[])))"


def attribute(scope: str = "true") -> str:
    """Re-attribute the source's changes in `scope` (a condition on delivery_changes) to the deployment that first
    shipped them; only rows whose deployment moved are written."""
    return f"""
        WITH target AS (SELECT key, merge_sha FROM delivery_changes WHERE {_OWNED} AND {scope}),
        shipped AS (
            SELECT DISTINCT ON (t.key) t.key, d.key AS deployment_key, d.finished_at
            FROM target t
            JOIN delivery_deployed_commits c ON c.owner_id = :owner_id AND c.source_id = :source_id AND c.sha = t.merge_sha
            JOIN delivery_deployments d ON d.source_id = c.source_id AND d.key = c.deployment_key
            WHERE {COUNTS.format(a='d.')} AND {FIRST_OF_COMMIT.format(d='d')}
            ORDER BY t.key, d.finished_at, d.key COLLATE "C")
        UPDATE delivery_changes ch SET deployment_key = s.deployment_key, deployed_at = s.finished_at
        FROM target t LEFT JOIN shipped s ON s.key = t.key
        WHERE ch.owner_id = :owner_id AND ch.source_id = :source_id AND ch.key = t.key
          AND (ch.deployment_key, ch.deployed_at) IS DISTINCT FROM (s.deployment_key, s.finished_at)"""


_ATTRIBUTE_ALL = text(attribute())
_ATTRIBUTE_SOME = text(attribute(_SOME))


def _columns(records: Sequence[Any], fields: Sequence[str], renamed: dict[str, str] | None = None) -> dict[str, list[Any]]:
    renamed = renamed or {}
    return {renamed.get(name, name): [getattr(r, name) for r in records] for name in fields}


@final
class PostgresRecordRepository(RecordRepository):
    def __init__(self, conn: LazyConnection) -> None:
        self._conn = conn

    async def upsert(self, owner_id: UUID, source_id: UUID, records: Sequence[Record]) -> SyncCounts:
        deployments = [r for r in records if isinstance(r, Deployment)]
        changes = [r for r in records if isinstance(r, Change)]
        incidents = [r for r in records if isinstance(r, Incident)]
        deployed = [r for r in records if isinstance(r, DeployedCommit)]
        owned: dict[str, Any] = {"owner_id": owner_id, "source_id": source_id}
        counts = [0, 0, 0, 0]
        if deployments:
            values = _columns(deployments, ("key", "name", "environment", "production", "commit", "finished_at"),
                              {"commit": "sha"}) | {"result": [d.result.value for d in deployments]}
            counts[0] = await self._written(_DEPLOYMENTS, owned | values)
        if changes:
            counts[1] = await self._written(_CHANGES, owned | _columns(
                changes, ("key", "title", "first_commit_at", "merged_at", "merge_commit"), {"merge_commit": "merge_sha"}))
        if incidents:
            counts[2] = await self._written(_INCIDENTS, owned | _columns(
                incidents, ("key", "title", "created_at", "resolved_at")))
        if deployed:
            counts[3] = await self._written(_DEPLOYED, owned | _columns(deployed, ("deployment_key", "commit"),
                                                                         {"commit": "sha"}))
        if counts[0]:
            await self._attribute(owner_id, source_id, everything=True)
        elif counts[1] or counts[3]:
            await self._attribute(owner_id, source_id, keys=[c.key for c in changes] if counts[1] else [],
                                  shas=[d.commit for d in deployed] if counts[3] else [])
        return SyncCounts(*counts)

    async def remove(self, owner_id: UUID, source_id: UUID, keys: Collection[str]) -> int:
        removed = 0
        for table in _TABLES:
            statement = text(f"DELETE FROM {table} WHERE {_OWNED} AND key = ANY(CAST(:keys AS text[])) RETURNING 1")
            removed += await self._written(statement, owner_id=owner_id, source_id=source_id, keys=list(keys))
        if removed:
            await self._attribute(owner_id, source_id, everything=True)
        return removed

    async def retain(self, owner_id: UUID, source_id: UUID, keys: RecordKeys) -> int:
        removed = 0
        for table, key, kept in (("delivery_deployments", "key", keys.deployments),
                                 ("delivery_changes", "key", keys.changes),
                                 ("delivery_incidents", "key", keys.incidents),
                                 ("delivery_deployed_commits", "deployment_key || E'\\n' || sha", keys.deployed_commits)):
            statement = text(f"DELETE FROM {table} WHERE {_OWNED} AND NOT ({key} = ANY(CAST(:keys AS text[]))) "
                             "RETURNING 1")
            removed += await self._written(statement, owner_id=owner_id, source_id=source_id, keys=sorted(kept))
        if removed:
            await self._attribute(owner_id, source_id, everything=True)
        return removed

    async def clear(self, owner_id: UUID, source_id: UUID) -> None:
        deletes = [f"DELETE FROM {table} WHERE {_OWNED}" for table in (*_TABLES, "delivery_deployed_commits")]
        statement = " ".join(f"WITH {', '.join(f'd{n} AS ({sql})' for n, sql in enumerate(deletes[:-1]))}"
                             .split()) + " " + deletes[-1]
        await self._conn.execute(text(statement), {"owner_id": owner_id, "source_id": source_id})

    async def production(self, owner_id: UUID, source_id: UUID) -> list[Shipped]:
        statement = text(f"""
            SELECT key, sha, finished_at FROM (
                SELECT DISTINCT ON (sha) key, sha, finished_at FROM delivery_deployments
                WHERE {_OWNED} AND production AND result = 'success' AND finished_at IS NOT NULL
                ORDER BY sha, finished_at, key COLLATE "C") first
            ORDER BY finished_at, key COLLATE "C"
        """)
        rows = await self._conn.execute(statement, {"owner_id": owner_id, "source_id": source_id})
        return [Shipped(row.key, row.sha, row.finished_at) for row in rows]

    async def ranged(self, owner_id: UUID, source_id: UUID) -> set[str]:
        statement = text(f"SELECT key FROM delivery_deployments WHERE {_OWNED} AND ranged")
        return set((await self._conn.execute(statement, {"owner_id": owner_id, "source_id": source_id})).scalars())

    async def add_range(self, owner_id: UUID, source_id: UUID, deployment_key: str, commits: Sequence[str]) -> int:
        owned: dict[str, Any] = {"owner_id": owner_id, "source_id": source_id}
        marked = await self._written(text(
            f"UPDATE delivery_deployments SET ranged = true WHERE {_OWNED} AND key = :key RETURNING 1"),
            owned | {"key": deployment_key})
        if not marked or not commits:
            return 0
        added = await self._written(_DEPLOYED, owned | {"deployment_key": [deployment_key] * len(commits),
                                                         "sha": list(commits)})
        if added:
            await self._attribute(owner_id, source_id, shas=list(commits))
        return added

    async def _attribute(self, owner_id: UUID, source_id: UUID, *, keys: Sequence[str] = (),
                         shas: Sequence[str] = (), everything: bool = False) -> None:
        """Re-attribute the changes named by key or by merge commit, or all of the source's."""
        owned: dict[str, Any] = {"owner_id": owner_id, "source_id": source_id}
        if everything:
            await self._conn.execute(_ATTRIBUTE_ALL, owned)
        else:
            await self._conn.execute(_ATTRIBUTE_SOME, owned | {"keys": list(keys), "shas": list(shas)})

    async def _written(self, statement: Any, values: dict[str, Any] | None = None, **more: Any) -> int:
        sql = text(statement) if isinstance(statement, str) else statement
        return len((await self._conn.execute(sql, (values or {}) | more)).all())
