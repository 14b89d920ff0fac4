"""API key pages: the secret shown once, roll and revoke as the API sees them, usage per key and day, the image
gallery; another account sees none of it."""

import re

import pytest
from dependency_injector import providers

from adapters.blobs import FilesystemBlobStore
from tests.web.web_support import text_of

PROMPT = {"prompt": "a lighthouse at dusk", "width": 64, "height": 64}


@pytest.fixture
def container(container, tmp_path):
    container.imaging.blobs.override(providers.Object(FilesystemBlobStore(tmp_path / "blobs")))
    return container


def secret_of(page) -> str:
    return re.search(r'id="new-secret">([^<]+)<', page.text).group(1)


async def create_key(browser, name: str = "ci", **fields) -> str:
    page = await browser.post("/api-keys", {"name": name, **fields}, page="/api-keys")
    assert page.status_code == 200 and "shown only this once" in text_of(page)
    assert 'data-copy="new-secret"' in page.text
    return secret_of(page)


async def generate(browser, secret: str):
    return await browser.client.post("/api/v1/images/generations", json=PROMPT, headers={"X-API-Key": secret})


async def test_a_new_key_is_shown_once_and_works(browser):
    await browser.sign_up()
    secret = await create_key(browser, daily_quota="5")
    assert secret.startswith("atr_live_")
    again = await browser.get("/api-keys")
    assert secret not in again.text and "ci" in text_of(again)
    assert (await generate(browser, secret)).status_code == 201


async def test_usage_per_key_and_day_and_the_gallery(browser):
    await browser.sign_up()
    secret = await create_key(browser)
    for _ in range(3):
        assert (await generate(browser, secret)).status_code == 201
    page = await browser.get("/api-keys")
    assert "3 of" in text_of(page) and "<svg" in page.text
    assert re.search(r"<td[^>]*>3</td>", page.text)  # the chart's table
    gallery = await browser.get("/api-keys/images")
    images = re.findall(r'<img src="(/api-keys/images/[0-9a-f-]+)"', gallery.text)
    assert len(images) == 3 and 'alt="a lighthouse at dusk"' in gallery.text
    picture = await browser.get(images[0])
    assert picture.status_code == 200 and picture.headers["content-type"].startswith("image/")
    browser.forget_cookies()
    await browser.sign_up("bob")
    assert (await browser.get(images[0])).status_code == 404
    assert "lighthouse" not in (await browser.get("/api-keys/images")).text
    assert "ci" not in text_of(await browser.get("/api-keys")).replace("Units", "")


async def test_rolling_and_revoking(browser):
    await browser.sign_up()
    old = await create_key(browser)
    key_path = re.search(r'action="(/api-keys/[0-9a-f-]+)/roll"', (await browser.get("/api-keys")).text).group(1)
    rolled = await browser.post(key_path + "/roll", {"grace_seconds": "0"}, page="/api-keys")
    new = secret_of(rolled)
    assert new != old
    assert (await generate(browser, old)).status_code == 401
    assert (await generate(browser, new)).status_code == 201
    revoked = await browser.post(key_path + "/revoke", page="/api-keys")
    assert revoked.status_code == 303
    assert "revoked" in text_of(await browser.get("/api-keys"))
    assert (await generate(browser, new)).status_code == 401


async def test_key_rules_show_beside_the_field(browser):
    await browser.sign_up()
    page = await browser.post("/api-keys", {"name": "", "daily_quota": "lots"}, page="/api-keys")
    assert page.status_code == 422 and re.search(r'id="e-(name|daily_quota)"', page.text)
