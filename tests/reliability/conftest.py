"""A live server on its own migrated database, with a fixture account, API key and a second account."""

from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest

from tests.reliability.live import LiveServer, api_key, fresh_database, user_headers


@dataclass
class Caller:
    """One account's credentials: a user access token and an API key."""

    user: dict[str, str]
    key: str

    @property
    def api_key(self) -> dict[str, str]:
        return {"X-API-Key": self.key}

    def headers(self, scheme: str | None) -> dict[str, str]:
        """What to send for an OpenAPI security scheme (nothing for a public operation)."""
        return {"OAuth2PasswordBearer": self.user, "APIKeyHeader": self.api_key,
                "ApiKeyBearer": {"Authorization": f"Bearer {self.key}"}, None: {}}[scheme]


@pytest.fixture(scope="session")
def live(postgres_server, tmp_path_factory) -> Iterator[LiveServer]:
    """The app served over HTTP by uvicorn on 127.0.0.1, on a database of its own."""
    url = fresh_database(postgres_server.url, "atrium_live")
    with LiveServer(url, tmp_path_factory.mktemp("live")) as server:
        yield server


@pytest.fixture(scope="session")
def live_client(live: LiveServer) -> Iterator[httpx.Client]:
    with live.client() as client:
        yield client


@pytest.fixture(scope="session")
def owner(live_client: httpx.Client) -> Caller:
    """The fixture account the fuzzer and the probes act as."""
    return caller(live_client, "fixture_owner")


@pytest.fixture(scope="session")
def intruder(live_client: httpx.Client) -> Caller:
    """A second account, with its own API key, that must never reach the owner's rows."""
    return caller(live_client, "fixture_intruder")


def caller(client: httpx.Client, name: str) -> Caller:
    headers = user_headers(client, name)
    return Caller(headers, api_key(client, headers))
