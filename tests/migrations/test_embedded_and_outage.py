"""The embedded server survives crashes, and the API rides out a database outage."""

import os
import signal
import tempfile
from pathlib import Path

import httpx
import psutil
import pytest
from dependency_injector import providers

from adapters.postgres.database import create_engine
from adapters.postgres.embedded import EmbeddedPostgres
from adapters.postgres.migrations import upgrade
from entrypoints.api.app import create_app
from entrypoints.container import build_container
from tests.composition import settings_for


@pytest.fixture(scope="module")
def own_server():
    """A separate throwaway cluster this module may stop, kill and restart."""
    server = EmbeddedPostgres(Path(tempfile.mkdtemp(prefix="atrium-outage-")) / "pg", throwaway=True)
    url = server.start()
    upgrade(url)
    yield server, url
    server.stop()


def postmaster_pid(server: EmbeddedPostgres) -> int:
    return int((server.data_dir / "postmaster.pid").read_text().split()[0])


def test_a_crashed_server_is_restarted_with_its_data(own_server):
    server, url = own_server
    server.psql("CREATE TABLE IF NOT EXISTS survivor (x int); INSERT INTO survivor VALUES (1)", "atrium")
    pid = postmaster_pid(server)
    os.kill(pid, signal.SIGKILL)
    psutil.wait_procs([psutil.Process(pid)], timeout=10)
    again = EmbeddedPostgres(server.data_dir, throwaway=False)
    assert again.start() == url
    assert again.psql("SELECT count(*) FROM survivor", "atrium").strip() == "1"


def test_a_running_server_is_reused(own_server):
    server, url = own_server
    pid = postmaster_pid(server)
    assert EmbeddedPostgres(server.data_dir).start() == url
    assert postmaster_pid(server) == pid


@pytest.mark.parametrize("storage", ["postgres"], indirect=True)
async def test_requests_get_503_while_the_database_is_down_and_recover(own_server, storage):
    server, url = own_server
    container = build_container(settings_for("postgres", database_url=url, db_connect_timeout_seconds=1))
    engine = create_engine(url, connect_timeout=1)
    container.infrastructure.engine.override(providers.Object(engine))
    transport = httpx.ASGITransport(app=create_app(container), raise_app_exceptions=False)
    body = {"email": "ada@example.com", "username": "ada", "password": "correct horse"}
    async with httpx.AsyncClient(transport=transport, base_url="http://atrium.test") as api:
        assert (await api.post("/api/v1/auth/register", json=body)).status_code == 201
        server.pg_ctl("-w", "-m", "immediate", "stop")
        try:
            down = await api.post("/api/v1/auth/login", json={"email": body["email"], "password": body["password"]})
            assert down.status_code == 503 and down.headers["retry-after"]
            assert (await api.get("/ready")).status_code == 503
        finally:
            EmbeddedPostgres(server.data_dir).start()
        statuses = [(await api.get("/ready")).status_code for _ in range(3)]
        assert statuses[-1] == 200
        login = await api.post("/api/v1/auth/login", json={"email": body["email"], "password": body["password"]})
        assert login.status_code == 200
    await engine.dispose()
