"""Web pages run on the in-memory composition: the use cases below them are tested on both storages elsewhere."""

import httpx
import pytest

from entrypoints.api.app import create_app


@pytest.fixture
def storage() -> str:
    return "memory"


@pytest.fixture
async def browser(container):
    """A browser-like client (it keeps cookies, does not follow redirects) on the app in-process."""
    from tests.web.web_support import Browser

    app = create_app(container)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://atrium.test") as client:
        yield Browser(client, app)
