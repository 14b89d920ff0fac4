"""Identity use cases on the in-memory adapters with a settable clock."""

import asyncio
from dataclasses import replace
from datetime import timedelta

import pytest

from adapters.clock import SettableClock
from adapters.ended_sessions import EndedSessionList
from adapters.ids import Uuid7Generator
from adapters.memory.store import MemoryStore
from adapters.memory.unit_of_work import MemoryUnitOfWork
from adapters.passwords import Argon2PasswordHasher
from adapters.tokens import JwtTokenService
from application.identity.accounts import RegisterAccount
from application.identity.sessions import InvalidCredentials, Login, RefreshSession, SessionIssuer
from domain.identity.session import InvalidRefreshToken


@pytest.fixture
def world():
    store, clock, ids = MemoryStore(), SettableClock(), Uuid7Generator()
    uow = lambda: MemoryUnitOfWork(store)  # noqa: E731
    hasher = Argon2PasswordHasher(time_cost=1, memory_cost=8192)
    issuer = SessionIssuer(ids=ids, tokens=JwtTokenService("s" * 40, ttl=timedelta(minutes=15)),
                           refresh_ttl=timedelta(days=30))
    return dict(store=store, clock=clock, uow=uow, hasher=hasher,
                register=RegisterAccount(uow=uow, clock=clock, ids=ids, hasher=hasher),
                login=Login(uow=uow, clock=clock, ids=ids, hasher=hasher, issuer=issuer),
                refresh=RefreshSession(uow=uow, clock=clock, issuer=issuer,
                                       ended=EndedSessionList(clock, timedelta(minutes=16))))


async def test_login_rehashes_when_the_parameters_changed(world):
    account = await world["register"](email="ada@example.com", username="ada", password="correct horse")
    stronger = Argon2PasswordHasher(time_cost=2, memory_cost=8192)
    await replace(world["login"], hasher=stronger)(login="ada", password="correct horse")
    async with world["uow"]() as uow:
        rehashed = (await uow.accounts.get(account.id)).password_hash
    assert rehashed != account.password_hash and "t=2" in rehashed
    assert not stronger.needs_rehash(rehashed)


async def test_inactive_accounts_cannot_log_in(world):
    account = await world["register"](email="ada@example.com", username="ada", password="correct horse")
    async with world["uow"]() as uow:
        await uow.accounts.save(replace(account, is_active=False))
        await uow.commit()
    with pytest.raises(InvalidCredentials):
        await world["login"](login="ada@example.com", password="correct horse")


async def test_concurrent_refreshes_of_one_token_have_one_winner(world):
    await world["register"](email="ada@example.com", username="ada", password="correct horse")
    pair = await world["login"](login="ada", password="correct horse")
    results = await asyncio.gather(*(world["refresh"](pair.refresh_token) for _ in range(5)),
                                   return_exceptions=True)
    winners = [r for r in results if not isinstance(r, Exception)]
    assert len(winners) == 1
    assert all(isinstance(r, InvalidRefreshToken) for r in results if isinstance(r, Exception))
    with pytest.raises(InvalidRefreshToken):  # the losers' reuse revoked the family
        await world["refresh"](winners[0].refresh_token)


async def test_registration_stores_only_a_hash(world):
    account = await world["register"](email="ada@example.com", username="ada", password="correct horse")
    assert account.password_hash.startswith("$argon2id$")
    assert "correct horse" not in repr(world["store"]._tables)
