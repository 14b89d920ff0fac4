"""Shared fixtures: a throwaway PostgreSQL, both storages, and apps built on them."""

import asyncio
import os
import tempfile
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import httpx
import pydantic_ai.models
import pytest
from dependency_injector import providers
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.clock import SettableClock
from adapters.memory.store import MemoryStore
from adapters.memory.unit_of_work import MemoryUnitOfWork
from adapters.postgres.database import create_engine
from adapters.postgres.roles import as_role, migrate
from adapters.postgres.tables import metadata
from adapters.postgres.unit_of_work import PostgresUnitOfWork
from entrypoints.api.app import create_app
from entrypoints.container import Container
from tests.composition import compose

STORAGES = ("memory", "postgres")
APP_ROLE = "atrium_app"
pydantic_ai.models.ALLOW_MODEL_REQUESTS = False  # no test ever calls a real model: TestModel and FunctionModel only


@pytest.fixture(scope="session")
def postgres_server() -> Iterator["PostgresServer"]:
    """A PostgreSQL server for the session: ATRIUM_TEST_DATABASE_URL's, else a throwaway embedded one."""
    url = os.environ.get("ATRIUM_TEST_DATABASE_URL")
    if url:
        yield PostgresServer(url, embedded=None)
        return
    from adapters.postgres.embedded import EmbeddedPostgres

    embedded = EmbeddedPostgres(Path(tempfile.mkdtemp(prefix="atrium-test-")) / "pg",
                                database="atrium_test", throwaway=True)
    url = embedded.start()
    try:
        yield PostgresServer(url, embedded)
    finally:
        embedded.stop()


class PostgresServer:
    def __init__(self, url: str, embedded) -> None:
        self.url = url
        self.embedded = embedded

    def database_url(self, name: str) -> str:
        """A fresh, empty database on the same server (embedded only)."""
        if self.embedded is None:
            pytest.skip("needs the embedded server to create databases")
        self.embedded.drop_database(name)
        self.embedded.create_database(name)
        return self.embedded.url(name)


@pytest.fixture(scope="session")
def postgres_url(postgres_server: PostgresServer) -> str:
    """The migrated test database, as its owner (a superuser: row-level security does not hold it); the app role
    prepared as `atrium migrate` does."""
    migrate(postgres_server.url, app_url_of(postgres_server.url), APP_ROLE)
    return postgres_server.url


def app_url_of(owner_url: str) -> str:
    """The same database as the app role (the embedded server trusts its local users)."""
    return as_role(owner_url, APP_ROLE)


@pytest.fixture(scope="session")
def app_url(postgres_url: str) -> str:
    """The migrated test database as the app role, which row-level security holds."""
    return app_url_of(postgres_url)


@pytest.fixture(scope="session")
async def engine(postgres_url: str) -> AsyncIterator[AsyncEngine]:
    """The owner's engine: seeding, inspecting and emptying tables, and the repository contract tests."""
    engine = create_engine(postgres_url, pool_size=5)
    yield engine
    await engine.dispose()


@pytest.fixture(scope="session")
async def app_engine(app_url: str) -> AsyncIterator[AsyncEngine]:
    """The app role's engine: what the API and the worker connect as."""
    engine = create_engine(app_url, pool_size=5)
    yield engine
    await engine.dispose()


@pytest.fixture
async def clean_postgres(engine: AsyncEngine) -> AsyncIterator[AsyncEngine]:
    """The migrated test database, emptied after the test."""
    yield engine
    names = ", ".join(table.name for table in metadata.sorted_tables)
    async with engine.begin() as conn:
        await conn.execute(text(f"TRUNCATE {names} CASCADE"))


@pytest.fixture
async def app_postgres(clean_postgres: AsyncEngine, app_engine: AsyncEngine) -> AsyncEngine:
    """The app role's engine on the migrated test database, emptied after the test."""
    return app_engine


@pytest.fixture
def clock() -> SettableClock:
    return SettableClock()


@pytest.fixture(params=STORAGES)
def storage(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def uow_factory(request: pytest.FixtureRequest, storage: str) -> Callable[[], object]:
    """A unit-of-work factory on the storage under test (memory or postgres)."""
    if storage == "memory":
        store = MemoryStore()
        return lambda **scope: MemoryUnitOfWork(store, **scope)
    engine = request.getfixturevalue("clean_postgres")
    return lambda **scope: PostgresUnitOfWork(engine, **scope)


@pytest.fixture
def container(request: pytest.FixtureRequest, storage: str, clock: SettableClock) -> Iterator[Container]:
    """The app's container on the storage under test, with a settable clock (tests/composition.py); on PostgreSQL
    it connects as the app role, as the API does."""
    overrides = {}
    if storage == "postgres":
        overrides["database_url"] = request.getfixturevalue("app_url")
    container = compose(storage, clock, **overrides)
    if storage == "postgres":
        container.infrastructure.engine.override(providers.Object(request.getfixturevalue("app_postgres")))
    yield container
    container.unwire()


@pytest.fixture
async def api(container: Container) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client talking to the app in-process."""
    app = create_app(container)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://atrium.test") as client:
        yield client


@pytest.fixture(scope="session")
async def session_loop() -> asyncio.AbstractEventLoop:
    """The loop the session's engine lives on, for synchronous tests (Hypothesis stateful)."""
    return asyncio.get_running_loop()


@pytest.fixture(scope="session")
def local_s3() -> Iterator["LocalS3"]:
    """A local S3-compatible server (moto's, signatures checked) with one bucket and one access key."""
    from tests.object_store import start_local_s3

    server, s3 = start_local_s3()
    try:
        yield s3
    finally:
        server.stop()
