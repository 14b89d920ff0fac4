"""Rate limits on logging in and registering.

Every login attempt counts against the client address. Failed logins count against the email or username as
typed (trimmed, lower-cased), never against the account behind it, so a lockout answers the same whether or
not the account exists and never tells which username an email belongs to:
- per identifier and client address (`failures_per_address`): over it, that address waits; no other does;
- per identifier from every address (`failures_per_identifier`, an hourly then a daily ceiling against
  distributed guessing): over either, only addresses the account has started a session from within
  FAMILIAR_FOR may still try, so failures elsewhere never lock the owner out of a familiar address.
A refused attempt is answered at once with the wait (429, Retry-After); nothing sleeps.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from application.identity.ports import RateLimiter
from application.identity.sessions import InvalidCredentials, Login, TokenPair
from application.shared.clock import Clock
from domain.identity.account import Account
from domain.identity.rate_limit import RateLimit, RateLimited

LOGINS_PER_IP = RateLimit(30, timedelta(minutes=5))
FAILED_LOGINS_PER_ADDRESS = RateLimit(5, timedelta(minutes=15))
FAILED_LOGINS_PER_HOUR = RateLimit(100, timedelta(hours=1))
FAILED_LOGINS_PER_DAY = RateLimit(300, timedelta(days=1))
FAMILIAR_FOR = timedelta(days=30)
REGISTRATIONS_PER_IP = RateLimit(30, timedelta(minutes=5))
LOCKED = "too many failed logins; try again later"


async def _hit(limiter: RateLimiter, key: str, now: datetime, limit: RateLimit, detail: str) -> None:
    wait = await limiter.hit(key, now, limit)
    if wait is not None:
        raise RateLimited(wait, detail)


@dataclass
class RateLimitedLogin:
    """Log in, counting every attempt against the client address and failed ones against the identifier typed,
    from that address and from all addresses."""

    login: Login
    limiter: RateLimiter
    clock: Clock
    per_ip: RateLimit = LOGINS_PER_IP
    failures_per_address: RateLimit = FAILED_LOGINS_PER_ADDRESS
    failures_per_identifier: tuple[RateLimit, ...] = (FAILED_LOGINS_PER_HOUR, FAILED_LOGINS_PER_DAY)

    async def __call__(self, *, login: str, password: str, client_ip: str) -> TokenPair:
        now = self.clock.now()
        await _hit(self.limiter, f"login-ip:{client_ip}", now, self.per_ip,
                   "too many login attempts from this address; try again later")
        identifier = login.strip().lower()
        counts = [(f"login-failures:{client_ip} {identifier}", self.failures_per_address),  # no space in an address
                  *((f"login-failures-{int(limit.period.total_seconds())}s:{identifier}", limit)
                    for limit in self.failures_per_identifier)]
        account = await self.login.find(login)
        wait, *from_anywhere = await self.limiter.check(counts, now)
        ceiling = max((each for each in from_anywhere if each is not None), default=None)
        if wait is None and ceiling is not None:
            if not await self.login.signed_in_from(account, client_ip, now - FAMILIAR_FOR):
                wait = ceiling
        if wait is not None:
            raise RateLimited(wait, LOCKED)
        try:
            return await self.login.sign_in(account, password, client_ip)
        except InvalidCredentials:
            for key, limit in counts:
                await self.limiter.hit(key, now, limit)
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
