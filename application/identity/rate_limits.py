"""Rate limits on logging in and registering: per client IP, and failed logins per identifier."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from application.identity.api_key_ports import RateLimiter
from application.identity.sessions import InvalidCredentials, Login, TokenPair
from application.shared.clock import Clock
from domain.identity.account import Account
from domain.identity.rate_limit import RateLimit, RateLimited

LOGINS_PER_IP = RateLimit(30, timedelta(minutes=5))
FAILED_LOGINS_PER_IDENTIFIER = RateLimit(5, timedelta(minutes=15))
REGISTRATIONS_PER_IP = RateLimit(30, timedelta(minutes=5))


async def _hit(limiter: RateLimiter, key: str, now: datetime, limit: RateLimit, detail: str) -> None:
    wait = await limiter.hit(key, now, limit)
    if wait is not None:
        raise RateLimited(wait, detail)


@dataclass
class RateLimitedLogin:
    """Log in, counting every attempt against the client IP and failed ones against the account (by email or
    username alike)."""

    login: Login
    limiter: RateLimiter
    clock: Clock
    per_ip: RateLimit = LOGINS_PER_IP
    failures_per_identifier: RateLimit = FAILED_LOGINS_PER_IDENTIFIER

    async def __call__(self, *, login: str, password: str, client_ip: str) -> TokenPair:
        now = self.clock.now()
        await _hit(self.limiter, f"login-ip:{client_ip}", now, self.per_ip,
                   "too many login attempts from this address; try again later")
        account = await self.login.find(login)
        # An account's email and username share one count; a login naming no account counts by itself.
        failures_key = f"login-failures:{account.id if account else login.strip().lower()}"
        wait = await self.limiter.check(failures_key, now, self.failures_per_identifier)
        if wait is not None:
            raise RateLimited(wait, "too many failed logins for this account; try again later")
        try:
            return await self.login.sign_in(account, password)
        except InvalidCredentials:
            await self.limiter.hit(failures_key, now, self.failures_per_identifier)
            raise


@dataclass
class RateLimitedRegister:
    """Register an account, counting every attempt against the client IP."""

    register: Callable[..., Awaitable[Account]]
    limiter: RateLimiter
    clock: Clock
    per_ip: RateLimit = REGISTRATIONS_PER_IP

    async def __call__(self, *, client_ip: str, **fields: Any) -> Account:
        await _hit(self.limiter, f"register-ip:{client_ip}", self.clock.now(), self.per_ip,
                   "too many sign-ups from this address; try again later")
        return await self.register(**fields)
