"""Every revision upgrades and downgrades cleanly, and the models match the migrations."""

import asyncio

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from adapters.postgres import migrations
from adapters.postgres.database import create_engine
from adapters.postgres.tables import metadata


def revisions() -> list[str]:
    script = ScriptDirectory.from_config(migrations.alembic_config())
    return [r.revision for r in reversed(list(script.walk_revisions()))]


async def test_stairway_every_revision_upgrades_and_downgrades(postgres_server):
    url = postgres_server.database_url("atrium_stairway")
    for revision in revisions():
        await asyncio.to_thread(migrations.upgrade, url, revision)
        await asyncio.to_thread(migrations.downgrade, url, "-1")
        await asyncio.to_thread(migrations.upgrade, url, revision)


async def test_models_and_migrations_do_not_drift(postgres_server):
    url = postgres_server.database_url("atrium_drift")
    await asyncio.to_thread(migrations.upgrade, url, "head")
    engine = create_engine(url, pool_size=1)
    try:
        async with engine.connect() as conn:
            diff = await conn.run_sync(
                lambda sync: compare_metadata(MigrationContext.configure(sync, opts={"compare_type": True}), metadata))
    finally:
        await engine.dispose()
    assert diff == []


async def test_ready_reports_a_database_behind_head(postgres_server):
    from adapters.postgres.readiness import PostgresReadiness

    url = postgres_server.database_url("atrium_behind")
    engine = create_engine(url, pool_size=1)
    try:
        assert "expected" in await PostgresReadiness(engine)()
        await asyncio.to_thread(migrations.upgrade, url, "head")
        assert await PostgresReadiness(engine)() is None
    finally:
        await engine.dispose()


def test_the_head_read_from_the_revision_files_is_alembics():
    assert migrations.head_revision() == ScriptDirectory.from_config(migrations.alembic_config()).get_current_head()


async def test_a_start_migrates_a_database_behind_head_and_leaves_one_at_head(postgres_server):
    url = postgres_server.database_url("atrium_start_migrates")
    await asyncio.to_thread(migrations.upgrade, url, revisions()[0])
    await asyncio.to_thread(migrations.upgrade_unless_at_head, url)
    engine = create_engine(url, pool_size=1)
    try:
        from adapters.postgres.database import migration_revision

        assert await migration_revision(engine) == migrations.head_revision()
        await asyncio.to_thread(migrations.upgrade_unless_at_head, url)  # at head: nothing to do, nothing fails
        assert await migration_revision(engine) == migrations.head_revision()
    finally:
        await engine.dispose()


async def test_upgrading_to_0009_attributes_the_changes_already_synced(postgres_server):
    """Changes synced before 0009 get the deployment that first shipped them (the metrics read it from there)."""
    import asyncpg

    url = postgres_server.database_url("atrium_attribution")
    await asyncio.to_thread(migrations.upgrade, url, "0008")
    conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        owner = await conn.fetchval("""
            INSERT INTO accounts (id, email, username, password_hash, is_active, created_at, updated_at, time_zone,
                                  currency)
            VALUES (gen_random_uuid(), 'a@example.com', 'a', 'x', true, now(), now(), 'UTC', 'EUR') RETURNING id""")
        source = await conn.fetchval("""
            INSERT INTO delivery_sources (id, owner_id, kind, target, deployment_patterns, production_pattern,
                                          incident_labels, incident_pattern, created_at, updated_at)
            VALUES (gen_random_uuid(), $1, 'git', '/r', '{}', '', '{}', '', now(), now()) RETURNING id""", owner)
        await conn.executemany("""
            INSERT INTO delivery_deployments (owner_id, source_id, key, name, production, result, sha, finished_at)
            VALUES ($1, $2, $3, $3, $4, $5, $6, timestamptz '2026-03-01' + $7 * interval '1 hour')""", [
            (owner, source, "failed", True, "failure", "s0", 1),
            (owner, source, "v1", True, "success", "s1", 2),
            (owner, source, "v1-again", True, "success", "s1", 3),  # a re-deploy of v1's commit: not a deployment
            (owner, source, "v2", True, "success", "s2", 5)])
        await conn.executemany("""
            INSERT INTO delivery_deployed_commits (owner_id, source_id, deployment_key, sha) VALUES ($1, $2, $3, $4)""",
            [(owner, source, key, sha) for key, sha in (("failed", "a"), ("v1-again", "a"), ("v2", "a"),
                                                        ("v2", "b"), ("failed", "c"))])
        await conn.executemany("""
            INSERT INTO delivery_changes (owner_id, source_id, key, title, first_commit_at, merged_at, merge_sha)
            VALUES ($1, $2, $3, $3, timestamptz '2026-02-01', timestamptz '2026-02-02', $4)""",
            [(owner, source, "pr:a", "a"), (owner, source, "pr:b", "b"), (owner, source, "pr:c", "c")])

        await asyncio.to_thread(migrations.upgrade, url, "0009")

        rows = await conn.fetch("SELECT key, deployment_key, deployed_at FROM delivery_changes ORDER BY key")
        assert [(r["key"], r["deployment_key"], r["deployed_at"] and r["deployed_at"].hour) for r in rows] == [
            ("pr:a", "v2", 5), ("pr:b", "v2", 5), ("pr:c", None, None)]
    finally:
        await conn.close()
