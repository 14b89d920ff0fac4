"""A browser in a test: reads pages, posts forms with their CSRF token, signs up and in."""

import re
from html import unescape

import httpx

PASSWORD = "correct horse"
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


class Browser:
    def __init__(self, client: httpx.AsyncClient, app) -> None:
        self.client = client
        self.app = app

    async def get(self, path: str, **kwargs) -> httpx.Response:
        return await self.client.get(path, **kwargs)

    async def token(self, path: str = "/") -> str:
        """The CSRF token of the forms on the page at `path`."""
        page = await self.client.get(path)
        found = _CSRF.search(page.text)
        assert found, f"no form token on {path}: {page.status_code} {page.text[:200]}"
        return found.group(1)

    async def post(self, path: str, data: dict | None = None, *, page: str = "/", files=None) -> httpx.Response:
        """Post a form as the page at `page` would: with that page's CSRF token."""
        return await self.client.post(path, data={"csrf": await self.token(page), **(data or {})}, files=files)

    async def sign_up(self, name: str = "ada", **fields) -> httpx.Response:
        response = await self.post("/register", {"email": f"{name}@example.com", "username": name,
                                                 "password": PASSWORD, "time_zone": "Europe/Oslo",
                                                 "currency": "EUR", **fields})
        assert response.status_code == 303, response.text
        return response

    async def sign_in(self, login: str = "ada", password: str = PASSWORD) -> httpx.Response:
        return await self.post("/sign-in", {"login": login, "password": password})

    def forget_cookies(self) -> None:
        self.client.cookies.clear()


def text_of(response: httpx.Response) -> str:
    """The page's text, tags and extra white space removed."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.text)).split())


def error_beside(response: httpx.Response, field: str) -> str | None:
    """The error message shown beside the form field `field`, if any."""
    found = re.search(rf'<p class="error" id="(?:[a-z]+-)?e-{re.escape(field)}">([^<]*)</p>', response.text)
    return unescape(found.group(1)) if found else None
