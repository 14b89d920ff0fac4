"""The delivery pages on the demo history: four tiles with values and bands, a chart per metric with its numbers,
the benchmark switch, the items behind the numbers, "sync now", and nobody else's sources."""

import re

from entrypoints.demo.delivery import seed_delivery
from tests.api.delivery_support import container, roots  # noqa: F401 (fixtures)
from tests.web.web_support import PASSWORD, text_of

TILE = re.compile(r'<li class="tile band-(\w+)" data-metric="(\w+)">\s*<h3>[^<]*</h3>\s*'
                  r'<p class="tile-value">([^<]*)</p>')


async def demo_in_browser(browser, container, name="ada"):
    """An account with the demo history, signed in in `browser`."""
    account = await container.identity.register_account()(email=f"{name}@example.com", username=name,
                                                          password=PASSWORD, time_zone="Europe/Oslo")
    await seed_delivery(container, account)
    assert (await browser.sign_in(name)).status_code == 303
    return account


async def test_the_dashboard_shows_four_tiles_with_values_and_bands_on_the_demo_data(browser, container):
    await demo_in_browser(browser, container)
    page = await browser.get("/delivery")

    assert page.status_code == 200, page.text[:500]
    found = TILE.findall(page.text)
    assert [metric for _, metric, _ in found] == ["deployment_frequency", "lead_time_for_changes",
                                                  "change_failure_rate", "failed_deployment_recovery_time"]
    assert all(band in ("elite", "high", "medium", "low") for band, _, _ in found), found
    assert all(value and value != "No data" for _, _, value in found), found
    assert "%" in found[2][2] and "days a week" in found[0][2] or "day a week" in found[0][2]
    text = text_of(page)
    assert "bands from the DORA 2023 report" in text and "previous period" in text
    assert page.text.count('<figure class="chart">') == 4 and page.text.count("<table>") == 4
    assert re.search(r'<td class="last-sync"><a href="/delivery/syncs/[0-9a-f-]+">succeeded</a>', page.text)


async def test_the_benchmark_switch_rates_the_same_numbers_by_another_year(browser, container):
    await demo_in_browser(browser, container)
    page = await browser.get("/delivery?benchmark=2021")
    assert "bands from the DORA 2021 report" in text_of(page)
    assert 'href="/delivery?benchmark=2024&amp;granularity=week"' in page.text
    wrong = await browser.get("/delivery?benchmark=1999")
    assert wrong.status_code == 422 and "2021, 2023, 2024" in text_of(wrong)


async def test_the_items_behind_the_numbers_are_listed(browser, container):
    await demo_in_browser(browser, container)
    deployments = await browser.get("/delivery/deployments")
    changes = await browser.get("/delivery/changes")
    incidents = await browser.get("/delivery/incidents")

    assert deployments.status_code == changes.status_code == incidents.status_code == 200
    assert "Release 1." in text_of(deployments) or "v1." in text_of(deployments)
    assert "Next page" in text_of(changes)  # more than one page of changes in six months
    assert (await browser.get("/delivery/nothing")).status_code == 404


async def test_sync_now_queues_a_sync_and_shows_it(browser, container):
    await demo_in_browser(browser, container)
    sources = await browser.get("/delivery/sources")
    action = re.search(r'action="(/delivery/sources/[0-9a-f-]+/sync)"', sources.text).group(1)

    queued = await browser.post(action, page="/delivery/sources")
    assert queued.status_code == 303 and queued.headers["location"].startswith("/delivery/syncs/")
    status = await browser.get(queued.headers["location"])
    assert "Sync of" in text_of(status) and "queued" in text_of(status)
    listed = await browser.get("/delivery/sources")
    assert re.search(r'<td class="last-sync"><a href="/delivery/syncs/[0-9a-f-]+">queued</a>', listed.text)


async def test_another_owners_source_and_sync_are_not_found(browser, container):
    await demo_in_browser(browser, container, "ada")
    sources = await browser.get("/delivery/sources")
    action = re.search(r'action="(/delivery/sources/[0-9a-f-]+/sync)"', sources.text).group(1)
    sync_page = (await browser.post(action, page="/delivery/sources")).headers["location"]
    browser.forget_cookies()
    await browser.sign_up("eve")

    assert (await browser.post(action, page="/delivery")).status_code == 404
    assert (await browser.get(sync_page)).status_code == 404
    assert "no sources yet" in text_of(await browser.get("/delivery")).lower()


async def test_the_home_page_shows_the_four_tiles_once_there_is_a_source(browser, container):
    await browser.sign_up("bob")
    assert not TILE.findall((await browser.get("/")).text)
    browser.forget_cookies()
    await demo_in_browser(browser, container)
    home = await browser.get("/")
    assert [metric for _, metric, _ in TILE.findall(home.text)][0] == "deployment_frequency"
    assert len(TILE.findall(home.text)) == 4
