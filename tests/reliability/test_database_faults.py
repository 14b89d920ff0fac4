"""PostgreSQL going away under load: 503 problems with Retry-After (never a 500, never a hang), then recovery
without restarting the app; connections killed by the server are replaced without a failed request."""

import asyncio
from collections import Counter

import httpx
import pytest

from adapters.postgres.embedded import EmbeddedPostgres
from adapters.postgres.migrations import upgrade
from tests.reliability.conftest import Caller, caller
from tests.reliability.live import LiveServer

CLIENT_TIMEOUT = 15  # a request that hangs longer fails the test


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """A throwaway cluster of this module's own, which the tests stop, restart and kill connections on."""
    server = EmbeddedPostgres(tmp_path_factory.mktemp("faults") / "pg", throwaway=True)
    url = server.start()
    upgrade(url)
    yield server, url
    server.stop()


@pytest.fixture(scope="module")
def app_server(cluster, tmp_path_factory):
    _, url = cluster
    with LiveServer(url, tmp_path_factory.mktemp("faults-data"), db_connect_timeout_seconds=1,
                    db_pool_size=5, db_max_overflow=5) as server:
        yield server


@pytest.fixture(scope="module")
def user(app_server) -> Caller:
    with app_server.client() as client:
        return caller(client, "faulty")


def kill_atrium_connections(server: EmbeddedPostgres) -> int:
    return int(server.psql("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                           "WHERE application_name = 'atrium' AND pid <> pg_backend_pid()", "atrium").strip())


async def load(client: httpx.AsyncClient, user: Caller, requests: int, tasks: int, midway) -> list[httpx.Response]:
    """`requests` reads over `tasks` concurrent tasks; `midway()` runs in a thread once half of them answered."""
    queue: asyncio.Queue[int] = asyncio.Queue()
    for n in range(requests):
        queue.put_nowait(n)
    answered: list[httpx.Response] = []
    half = asyncio.Event()
    paths = ["/api/v1/users/me", "/api/v1/api-keys", "/api/v1/usage"]

    async def worker() -> None:
        while not queue.empty():
            n = queue.get_nowait()
            answered.append(await client.get(paths[n % len(paths)], headers=user.user))
            if len(answered) >= requests // 2:
                half.set()

    async def fault() -> None:
        await half.wait()
        await asyncio.to_thread(midway)

    await asyncio.gather(fault(), *(worker() for _ in range(tasks)))
    return answered


def assert_503_problem(response: httpx.Response) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert int(response.headers["retry-after"]) > 0


async def test_a_database_outage_answers_503_and_the_app_recovers_without_a_restart(cluster, app_server, user):
    server, _ = cluster
    async with httpx.AsyncClient(base_url=app_server.url, timeout=CLIENT_TIMEOUT) as client:
        stop = lambda: server.pg_ctl("-w", "-m", "immediate", "stop")  # noqa: E731
        try:
            answered = await load(client, user, requests=120, tasks=20, midway=stop)
            statuses = Counter(response.status_code for response in answered)
            assert set(statuses) <= {200, 503}, statuses
            assert statuses[200] and statuses[503], statuses
            for response in answered:
                if response.status_code == 503:
                    assert_503_problem(response)
            assert_503_problem(await client.get("/api/v1/users/me", headers=user.user))
            assert_503_problem(await client.post("/api/v1/auth/login", json={"username": "faulty", "password": "x"}))
            ready = await client.get("/ready")
            assert ready.status_code == 503 and ready.headers["retry-after"]
        finally:
            EmbeddedPostgres(server.data_dir).start()
        # Back: the very first requests succeed, on connections that replace the dead ones in the pool.
        assert (await client.get("/ready")).status_code == 200
        again = await asyncio.gather(*(client.get("/api/v1/users/me", headers=user.user) for _ in range(10)))
        assert [response.status_code for response in again] == [200] * 10


async def test_idle_connections_killed_by_the_server_cost_no_request(cluster, app_server, user):
    server, _ = cluster
    async with httpx.AsyncClient(base_url=app_server.url, timeout=CLIENT_TIMEOUT) as client:
        warm = await asyncio.gather(*(client.get("/api/v1/users/me", headers=user.user) for _ in range(20)))
        assert {response.status_code for response in warm} == {200}
        assert kill_atrium_connections(server) > 0
        after = await asyncio.gather(*(client.get("/api/v1/users/me", headers=user.user) for _ in range(20)))
    assert [response.status_code for response in after] == [200] * 20


async def test_connections_killed_mid_load_never_answer_500(cluster, app_server, user):
    """Requests whose transaction was running on a killed connection get 503 (the client may retry); no 500."""
    server, _ = cluster
    async with httpx.AsyncClient(base_url=app_server.url, timeout=CLIENT_TIMEOUT) as client:
        killed = []
        answered = await load(client, user, requests=200, tasks=20,
                              midway=lambda: killed.append(kill_atrium_connections(server)))
    assert killed[0] > 0, "no connection was killed: the test proves nothing"
    statuses = Counter(response.status_code for response in answered)
    assert set(statuses) <= {200, 503}, statuses
    for response in answered:
        if response.status_code == 503:
            assert_503_problem(response)
