"""`/docs` and `/redoc` work offline: every asset they reference is this server's and is served, with its licence
beside it, no inline script runs, and an installed package carries the assets."""

import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

MEMORY = pytest.mark.parametrize("storage", ["memory"], indirect=True)

ROOT = Path(__file__).resolve().parents[2]


class Page(HTMLParser):
    """The URLs a page loads (src, href, spec-url, data-openapi-url) and the text of its inline scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.inline_scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        self.urls += [value for name, value in attrs if name in ("src", "href", "spec-url", "data-openapi-url")
                      and value]
        self._in_script = tag == "script" and "src" not in values

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.inline_scripts.append(data)

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False


@MEMORY
@pytest.mark.parametrize("path", ["/docs", "/redoc"])
async def test_the_api_documentation_loads_only_this_servers_assets(api, path):
    answer = await api.get(path)
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/html")
    page = Page()
    page.feed(answer.text)

    assert page.urls and all(url.startswith("/") and not url.startswith("//") for url in page.urls), page.urls
    assert "/openapi.json" in page.urls
    assert not page.inline_scripts
    policy = answer.headers["content-security-policy"]
    assert "script-src 'self';" in policy and "default-src 'self'" in policy
    for url in page.urls:
        asset = await api.get(url)
        assert asset.status_code == 200 and len(asset.content) > 100, url
        if url.endswith(".js"):
            assert asset.headers["content-type"].startswith("text/javascript")


@MEMORY
async def test_swagger_ui_starts_from_a_file_that_calls_no_other_host(api):
    script = (await api.get("/static/swagger-init.js")).text
    assert "SwaggerUIBundle(" in script and not re.search(r"https?://", script)


# What makes a browser fetch: a src attribute or property, a CSS url() or @import, naming another host.
FOREIGN_LOAD = re.compile(rb"""\bsrc\s*[:=]\s*["'`]https?://|url\(\s*["']?https?://|@import\s+(?:url\()?["']?https?://""")


def test_no_static_file_loads_anything_from_another_host():
    static = ROOT / "entrypoints/web/static"
    loads = {str(path.relative_to(static)): [match.group() for match in FOREIGN_LOAD.finditer(path.read_bytes())]
             for path in static.rglob("*") if path.suffix in (".js", ".css", ".html", ".svg")}
    assert len(loads) >= 5  # the scan reads the vendored bundles, not an empty folder
    assert {name: found for name, found in loads.items() if found} == {}


def test_each_vendored_asset_has_its_licence_beside_it():
    vendor = ROOT / "entrypoints/web/static/vendor"
    for folder in ("swagger-ui", "redoc"):
        assert (vendor / folder / "LICENSE").read_text().strip()
    assert "Apache License" in (vendor / "swagger-ui/LICENSE").read_text()
    assert "MIT License" in (vendor / "redoc/LICENSE").read_text()


def test_an_installed_package_carries_the_web_assets(tmp_path):
    """What `pip install .` would copy: setuptools' build of the packages, package data included."""
    subprocess.run([sys.executable, "-c", "from setuptools import setup; setup()", "-q", "build_py", "-d",
                    str(tmp_path), "--force"], cwd=ROOT, check=True, capture_output=True)
    static = tmp_path / "entrypoints/web/static"
    for name in ("vendor/swagger-ui/swagger-ui-bundle.js", "vendor/swagger-ui/swagger-ui.css",
                 "vendor/redoc/redoc.standalone.js", "vendor/redoc/LICENSE", "swagger-init.js"):
        assert (static / name).is_file(), name
