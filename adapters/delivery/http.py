"""HTTP calls to a delivery provider: timeouts, bounded retries, rate limits waited out within a budget.

Answers map to the ports' errors with messages safe to show: a token is only ever sent in a header and never
appears in an error, and provider bodies are never echoed.
"""

import asyncio
import json
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from adapters.clock import SystemClock
from application.delivery.ports import SourceRejected, SourceUnavailable
from application.shared.clock import Clock

Sleep = Callable[[float], Awaitable[None]]
ATTEMPTS = 4
BACKOFF = 2.0  # seconds before the second attempt; doubles
SECONDARY_BACKOFF = 60.0  # GitHub: wait at least a minute after a secondary rate limit without Retry-After
BODY_MAX = 16 * 1024 * 1024


class ProviderClient:
    """One provider's HTTP session for one run (`async with`); waits at most `max_wait` seconds in total."""

    def __init__(
        self, *, provider: str, base_url: str, headers: dict[str, str], timeout: float = 30.0,
        max_wait: float = 300.0, clock: Clock | None = None, sleep: Sleep = asyncio.sleep,
        not_found: str = "not found",
    ) -> None:
        self.provider = provider
        self._base_url, self._headers, self._timeout = base_url.rstrip("/"), headers, timeout
        self._budget, self._clock, self._sleep, self._not_found = max_wait, clock or SystemClock(), sleep, not_found
        self._client: httpx.AsyncClient | None = None

    async def __aenter__(self) -> "ProviderClient":
        self._client = httpx.AsyncClient(timeout=self._timeout, follow_redirects=True)
        return self

    async def __aexit__(self, *_: object) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def request(
        self, method: str, path_or_url: str, *, params: dict[str, str] | None = None, body: Any = None,
        etag: str | None = None, accept: str | None = None, ok: tuple[int, ...] = (200,),
    ) -> httpx.Response | None:
        """The answer (status in `ok`), or None for 304 Not Modified when `etag` matched."""
        url = path_or_url if path_or_url.startswith(("http://", "https://")) else self._base_url + path_or_url
        headers = dict(self._headers)
        if etag:
            headers["If-None-Match"] = etag
        if accept:
            headers["Accept"] = accept
        if self._client is None:
            raise RuntimeError("use the client inside `async with`")
        for attempt in range(ATTEMPTS):
            try:
                response = await self._client.request(method, url, params=params, json=body, headers=headers)
            except httpx.TimeoutException:
                await self._retry(attempt, f"{self.provider} did not answer within {self._timeout:g} s")
                continue
            except httpx.HTTPError as error:
                await self._retry(attempt, f"{self.provider} could not be reached ({type(error).__name__})")
                continue
            if response.status_code == 304 and etag:
                return None
            if response.status_code in ok:
                if len(response.content) > BODY_MAX:
                    raise SourceUnavailable(f"{self.provider} answered more than {BODY_MAX} bytes")
                return response
            wait = self._rate_limit_wait(response, attempt)
            if wait is not None:
                await self.wait(wait, f"{self.provider}'s rate limit is exhausted")
                continue
            self._refuse(response)
            await self._retry(attempt, f"{self.provider} answered HTTP {response.status_code}")
        raise SourceUnavailable(f"{self.provider} kept failing after {ATTEMPTS} attempts")

    def now(self) -> datetime:
        return self._clock.now()

    async def wait(self, seconds: float, reason: str) -> None:
        """Sleep `seconds` if the run's wait budget allows it, else raise SourceUnavailable with the retry time."""
        seconds = max(seconds, 0.0)
        if seconds > self._budget:
            retry_at = self._clock.now() + timedelta(seconds=seconds)
            raise SourceUnavailable(f"{reason}; retry after {retry_at:%Y-%m-%d %H:%M:%S} UTC", retry_at=retry_at)
        self._budget -= seconds
        await self._sleep(seconds)

    async def _retry(self, attempt: int, reason: str) -> None:
        if attempt + 1 >= ATTEMPTS:
            raise SourceUnavailable(reason)
        await self.wait(BACKOFF * 2.0 ** attempt, reason)

    def _rate_limit_wait(self, response: httpx.Response, attempt: int) -> float | None:
        """Seconds to wait before retrying a rate-limited answer; None when the answer is not a rate limit."""
        if response.status_code not in (403, 429):
            return None
        retry_after = _retry_after(response.headers.get("retry-after"), self._clock.now())
        if retry_after is not None:
            return retry_after
        if response.headers.get("x-ratelimit-remaining") == "0":
            reset = _number(response.headers.get("x-ratelimit-reset"))
            if reset is not None:
                return reset - self._clock.now().timestamp() + 1
        if "secondary rate limit" in response.text[:2000].lower():
            return SECONDARY_BACKOFF * 2.0 ** attempt
        return BACKOFF * 2.0 ** attempt if response.status_code == 429 else None

    def _refuse(self, response: httpx.Response) -> None:
        status = response.status_code
        if status == 401:
            raise SourceRejected(f"{self.provider} refused the token (401): check that it is valid and not expired")
        if status == 403:
            raise SourceRejected(f"{self.provider} refused access (403): the token lacks a permission this source needs")
        if status == 404:
            raise SourceRejected(self._not_found)
        if 400 <= status < 500:
            raise SourceRejected(f"{self.provider} refused the request (HTTP {status})")


def json_body(response: httpx.Response, provider: str) -> Any:
    """The answer's JSON, or SourceUnavailable for anything else."""
    try:
        return json.loads(response.content)
    except (ValueError, UnicodeDecodeError):
        raise SourceUnavailable(f"{provider} answered malformed JSON") from None


def dig(value: Any, *keys: str) -> Any:
    """value[k1][k2]... through dicts, None where a level is missing or not a dict."""
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def parse_time(value: object) -> datetime | None:
    """An ISO 8601 time from a provider as aware UTC, None when absent or malformed."""
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed.astimezone(UTC) if parsed.tzinfo else None


def _retry_after(value: str | None, now: datetime) -> float | None:
    if value is None:
        return None
    seconds = _number(value)
    if seconds is not None:
        return seconds
    try:
        return (parsedate_to_datetime(value) - now).total_seconds()
    except (TypeError, ValueError):
        return None


def _number(value: str | None) -> float | None:
    try:
        number = float(value) if value is not None else None
    except ValueError:
        return None
    return number if number is not None and number == number and abs(number) < 1e12 else None
