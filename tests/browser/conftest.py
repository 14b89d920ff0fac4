"""Browser tests: Debian's chromium, headless, driven by playwright's Python package against a live server (uvicorn
on its own PostgreSQL database, as `make run` serves). Without chromium they skip and say how to install it; with
ATRIUM_REQUIRE_BROWSER=1 (CI) they fail instead. Every page's screenshot lands in tests/browser/artifacts/; a console
error, an uncaught script error or a request to any host but the server fails the test."""

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.reliability.live import LiveServer, fresh_database

ARTIFACTS = Path(os.environ.get("ATRIUM_BROWSER_ARTIFACTS", Path(__file__).parent / "artifacts"))
INSTALL = "install Debian's chromium (`sudo apt-get install -y chromium`) or set ATRIUM_CHROMIUM to a Chromium binary"


def chromium_path() -> str | None:
    """ATRIUM_CHROMIUM if it names an executable, else chromium on the PATH."""
    given = os.environ.get("ATRIUM_CHROMIUM")
    if given:
        return given if os.access(given, os.X_OK) else None
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _unavailable(reason: str) -> None:
    if os.environ.get("ATRIUM_REQUIRE_BROWSER") == "1":
        pytest.fail(f"browser tests are required (ATRIUM_REQUIRE_BROWSER=1) but {reason}", pytrace=False)
    pytest.skip(f"browser tests skipped: {reason}")


@pytest.fixture(scope="module")
def chromium(request) -> Iterator[object]:
    """The browser, once it is known to be there, and after the live server has started (playwright's sync API
    keeps an event loop running in this thread, where the server's database setup runs its own)."""
    executable = chromium_path()
    if executable is None:
        _unavailable(f"no chromium found; {INSTALL}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is missing: pip install -e '.[test]'")
    request.getfixturevalue("live")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def live(postgres_server, tmp_path_factory) -> Iterator[LiveServer]:
    """The app served by uvicorn on a database of its own (login limits relaxed: one address signs up often)."""
    url = fresh_database(postgres_server.url, "atrium_browser")
    with LiveServer(url, tmp_path_factory.mktemp("browser"), dispatch_in_api=False) as server:
        yield server


class Watched:
    """A page, and what it did that a test must not allow: console errors, script errors, foreign requests."""

    def __init__(self, page, base_url: str, name: str) -> None:
        self.page, self.base_url, self.name = page, base_url, name
        self.found: list[str] = []
        self.console_errors: list[tuple[str, str]] = []
        self.documents: set[str] = set()
        self.shots = 0
        host = urlsplit(base_url).netloc
        page.on("console", lambda message: message.type == "error" and self.console_errors.append(
            (message.text, message.location.get("url", ""))))
        page.on("request", lambda request: request.resource_type == "document" and self.documents.add(request.url))
        page.on("pageerror", lambda error: self.found.append(f"script error: {error}"))
        page.on("request", lambda request: urlsplit(request.url).scheme in ("http", "https", "ws", "wss")
                and urlsplit(request.url).netloc != host and self.found.append(f"foreign request: {request.url}"))

    @property
    def problems(self) -> list[str]:
        """Everything the page did wrong. A page answered 4xx on purpose (a form's errors, 422) makes Chromium log
        "Failed to load resource" for the document: its status is the test's to check; any other console error
        (a failed stylesheet, script or image among them) counts."""
        return [*self.found, *(f"console error: {text} ({url})" for text, url in self.console_errors
                               if not (text.startswith("Failed to load resource") and url in self.documents))]

    def goto(self, path: str) -> None:
        response = self.page.goto(self.base_url + path)
        assert response is not None and response.status < 400, f"{path}: {response and response.status}"

    def shot(self, label: str) -> Path:
        """A full-page screenshot, numbered in the test's order."""
        self.shots += 1
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{self.name}-{self.shots:02d}-{label}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


def _page(chromium, live: LiveServer, request, **options) -> Iterator[Watched]:
    context = chromium.new_context(**options)
    name = re.sub(r"[^A-Za-z0-9_-]+", "-", request.node.name)
    watched = Watched(context.new_page(), live.url, name)
    try:
        yield watched
        watched.shot("last")
    finally:
        context.close()
    assert not watched.problems, "\n".join(watched.problems)


@pytest.fixture
def page(chromium, live, request) -> Iterator[Watched]:
    """A desktop-sized page (light)."""
    yield from _page(chromium, live, request, viewport={"width": 1280, "height": 900})


@pytest.fixture
def phone(chromium, live, request) -> Iterator[Watched]:
    """A 390-pixel-wide phone page in dark mode."""
    yield from _page(chromium, live, request, viewport={"width": 390, "height": 844}, color_scheme="dark",
                     is_mobile=True, has_touch=True)
