"""A real HTTP server for the app in a background thread, on its own event loop and its own database."""

import asyncio
import socket
import threading
from collections.abc import Coroutine
from functools import cache
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

import httpx
import uvicorn
from dependency_injector import providers
from sqlalchemy import text

from adapters.postgres.database import create_engine
from adapters.postgres.migrations import upgrade
from entrypoints.api.app import create_app
from entrypoints.container import build_container
from tests.composition import settings_for
from tests.fakes import FakeResolver

T = TypeVar("T")
PASSWORD = "correct horse battery staple"
LIVE_REPOS = "/tmp/atrium-live-repos"
# Rate limits out of the way (the fuzzer and the probes are one client), tokens outliving the session.
LIVE_SETTINGS = dict(login_attempts_per_ip=100_000, login_failures_per_address=100_000,
                     login_failures_per_hour=100_000, login_failures_per_day=100_000,
                     registrations_per_ip=100_000, api_key_rate_per_second=100_000, api_key_rate_burst=100_000,
                     access_token_ttl_seconds=3600,
                     # Delivery sources never leave the machine: git under a fixed folder, providers on a closed port.
                     delivery_git_roots=LIVE_REPOS, github_api_url="http://127.0.0.1:9", linear_api_url="http://127.0.0.1:9")


@cache
def published_openapi() -> dict[str, Any]:
    """The OpenAPI the app serves (the same on either storage)."""
    return create_app(build_container(settings_for("memory"))).openapi()


def fresh_database(server_url: str, name: str) -> str:
    """Create (or re-create) database `name` on the server of `server_url`, migrated to head; return its URL."""

    async def recreate() -> None:
        engine = create_engine(server_url, pool_size=1).execution_options(isolation_level="AUTOCOMMIT")
        try:
            async with engine.connect() as conn:
                await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                await conn.execute(text(f'CREATE DATABASE "{name}"'))
        finally:
            await engine.dispose()

    asyncio.run(recreate())
    parts = urlsplit(server_url)
    url = urlunsplit(parts._replace(path=f"/{name}"))
    upgrade(url)
    return url


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer:
    """uvicorn serving a fresh app (its own container, engine and loop) on 127.0.0.1."""

    def __init__(self, database_url: str, data_dir: Path, **settings: object) -> None:
        values = {"database_url": database_url, "data_dir": data_dir, **LIVE_SETTINGS, **settings}
        self.container = build_container(settings_for("postgres", **values))
        self.container.calendar.host_resolver.override(providers.Object(FakeResolver()))
        self.app = create_app(self.container)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(self.app, host="127.0.0.1", port=self.port, loop="asyncio",
                                log_level="warning", log_config=None, access_log=False, lifespan="on")
        self._server = uvicorn.Server(config)
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._serve, name=f"live-{self.port}", daemon=True)

    def _serve(self) -> None:
        asyncio.set_event_loop(self.loop)
        try:
            self.loop.run_until_complete(self._server.serve())
        finally:
            self.loop.close()

    def run(self, coroutine: Coroutine[Any, Any, T], timeout: float = 30) -> T:
        """Await `coroutine` on the server's loop (where its engine lives), from the test's thread."""
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def __enter__(self) -> "LiveServer":
        self._thread.start()
        for _ in range(200):
            if self._server.started:
                return self
            if not self._thread.is_alive():
                break
            self._thread.join(0.05)
        raise RuntimeError("the live server did not start")

    def __exit__(self, *exc: object) -> None:
        self._server.should_exit = True
        self._thread.join(10)

    def client(self, **kwargs: object) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=30, **kwargs)


def user_headers(client: httpx.Client, name: str) -> dict[str, str]:
    """Register `name` (if new) and log in; the Authorization header of its access token."""
    client.post("/api/v1/auth/register",
                json={"email": f"{name}@example.com", "username": name, "password": PASSWORD})
    login = client.post("/api/v1/auth/login", json={"username": name, "password": PASSWORD})
    assert login.status_code == 200, login.text
    return {"Authorization": f"Bearer {login.json()['access_token']}"}


def api_key(client: httpx.Client, headers: dict[str, str], name: str = "fixture") -> str:
    """A new API key's secret for the account of `headers`."""
    created = client.post("/api/v1/api-keys", json={"name": name, "daily_quota": 1_000_000}, headers=headers)
    assert created.status_code == 201, created.text
    return created.json()["key"]
