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
