"""PostgreSQL going away under load (stopped in each of pg_ctl's modes, or its postmaster killed): 503 problems
with Retry-After (never a 500, never a hang), then recovery without restarting the app; connections killed by the
server are replaced without a failed request."""

import asyncio
from collections import Counter

import asyncpg
import httpx
import psutil
import pytest

from adapters.postgres.embedded import EmbeddedPostgres
from adapters.postgres.migrations import upgrade
from tests.reliability.conftest import Caller, caller
from tests.reliability.live import PASSWORD, LiveServer

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


READS = ["/api/v1/users/me", "/api/v1/api-keys", "/api/v1/usage", "/api/v1/expenses", "/api/v1/images"]


async def send(client: httpx.AsyncClient, user: Caller, n: int) -> httpx.Response:
    """Request `n` of a mix: reads by user token and by API key (through the rate limiter), and logins."""
    if n % 10 == 9:
        return await client.post("/api/v1/auth/login", json={"username": "faulty", "password": PASSWORD})
    path = READS[n % len(READS)]
    return await client.get(path, headers=user.api_key if path == "/api/v1/images" else user.user)


async def load(client: httpx.AsyncClient, user: Caller, requests: int, tasks: int, midway) -> list[httpx.Response]:
    """`requests` requests over `tasks` concurrent tasks; `midway()` runs in a thread once half of them answered."""
    queue: asyncio.Queue[int] = asyncio.Queue()
    for n in range(requests):
        queue.put_nowait(n)
    answered: list[httpx.Response] = []
    half = asyncio.Event()

    async def worker() -> None:
        while not queue.empty():
            answered.append(await send(client, user, queue.get_nowait()))
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


def assert_only_200_and_503(answered: list[httpx.Response]) -> None:
    statuses = Counter(response.status_code for response in answered)
    assert set(statuses) <= {200, 503}, statuses
    assert statuses[200], statuses
    for response in answered:
        if response.status_code == 503:
            assert_503_problem(response)


async def assert_down(client: httpx.AsyncClient, user: Caller) -> None:
    """Every kind of request answers a 503 problem, and /ready says not ready."""
    for n in range(10):
        assert_503_problem(await send(client, user, n))
    ready = await client.get("/ready")
    assert ready.status_code == 503 and ready.headers["retry-after"]


async def assert_recovered(client: httpx.AsyncClient, user: Caller) -> None:
    """Back: the very first requests succeed, on connections that replace the dead ones in the pool."""
    assert (await client.get("/ready")).status_code == 200
    again = await asyncio.gather(*(send(client, user, n) for n in range(20)))
    assert [response.status_code for response in again] == [200] * 20


def postmaster(server: EmbeddedPostgres) -> psutil.Process:
    return psutil.Process(int((server.data_dir / "postmaster.pid").read_text().split()[0]))


def kill_postmaster(server: EmbeddedPostgres) -> None:
    """SIGKILL the postmaster, as the OOM killer would; its backends notice and exit (any left are killed, so the
    restart finds no process on the old shared memory). Stopped first, it forks no backend the list would miss."""
    process = postmaster(server)
    process.suspend()
    family = [process, *process.children()]
    process.kill()
    _, alive = psutil.wait_procs(family, timeout=30)
    for child in alive:
        child.kill()


@pytest.mark.parametrize("mode", ["immediate", "fast", "killed"])
async def test_a_database_stopped_under_load_answers_503_and_the_app_recovers(cluster, app_server, user, mode):
    """`pg_ctl stop` in immediate or fast mode, or the postmaster killed, halfway through a load: only 200s and
    503 problems, and the first requests after the restart succeed."""
    server, _ = cluster
    stop = {"immediate": lambda: server.pg_ctl("-w", "-m", "immediate", "stop"),
            "fast": lambda: server.pg_ctl("-w", "-m", "fast", "stop"),
            "killed": lambda: kill_postmaster(server)}[mode]
    async with httpx.AsyncClient(base_url=app_server.url, timeout=CLIENT_TIMEOUT) as client:
        try:
            assert_only_200_and_503(await load(client, user, requests=200, tasks=20, midway=stop))
            await assert_down(client, user)
        finally:
            EmbeddedPostgres(server.data_dir).start()
        await assert_recovered(client, user)


async def test_a_smart_shutdown_answers_503_to_new_connections_and_the_app_recovers(cluster, app_server, user):
    """`pg_ctl stop -m smart` refuses new connections ("the database system is shutting down", 57P03) and waits
    for the sessions it has: the pool's keep serving, connections opened under load are refused (503). Another
    client's session keeps the server in that state while the pool is emptied, so every request then needs a
    new connection and must answer 503; once that session ends, the server stops and requests still get 503."""
    server, url = cluster
    other_client = await asyncpg.connect(url.replace("postgresql://", "postgres://"))
    async with httpx.AsyncClient(base_url=app_server.url, timeout=CLIENT_TIMEOUT) as client:
        try:
            process = postmaster(server)
            answered = await load(client, user, requests=200, tasks=20,
                                  midway=lambda: server.pg_ctl("-m", "smart", "-W", "stop"))
            assert_only_200_and_503(answered)
            app_server.run(app_server.container.infrastructure.engine().dispose())
            await assert_down(client, user)
            await other_client.close()
            await asyncio.to_thread(process.wait, 30)
            await assert_down(client, user)
        finally:
            await other_client.close()
            EmbeddedPostgres(server.data_dir).start()
        await assert_recovered(client, user)


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
