"""`/docs` and `/redoc` render the API in a real Chromium from this server alone: no request to another host, no
console error (a load the Content-Security-Policy refuses is one), as on a machine with no internet."""

import pytest


@pytest.mark.parametrize(("path", "rendered"), [
    ("/docs", "#operations-auth-register_api_v1_auth_register_post"),
    ("/redoc", "h2:has-text('Register')"),
])
def test_the_api_documentation_renders_offline(page, path, rendered):
    page.goto(path)
    page.page.wait_for_selector(rendered, timeout=15_000)
    page.page.wait_for_load_state("networkidle")
    page.shot(path.strip("/"))
