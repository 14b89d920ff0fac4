"""Identity use cases as the app wires them, on memory storage with a settable clock."""

import asyncio
from dataclasses import replace

import pytest

from adapters.passwords import Argon2PasswordHasher
from application.identity.sessions import InvalidCredentials
from domain.identity.session import InvalidRefreshToken
from entrypoints.container import Container
from tests.composition import UseCases


@pytest.fixture
def identity(container: Container) -> UseCases:
    return UseCases(container.identity, uow=container.infrastructure.uow,
                    store=container.infrastructure.memory_store())


async def test_login_rehashes_when_the_parameters_changed(identity):
    account = await identity.register_account(email="ada@example.com", username="ada", password="correct horse")
    stronger = Argon2PasswordHasher(time_cost=2, memory_cost=8192)
    await replace(identity.login, hasher=stronger)(login="ada", password="correct horse")
    async with identity.uow() as uow:
        rehashed = (await uow.accounts.get(account.id)).password_hash
    assert rehashed != account.password_hash and "t=2" in rehashed
    assert not stronger.needs_rehash(rehashed)


async def test_inactive_accounts_cannot_log_in(identity):
    account = await identity.register_account(email="ada@example.com", username="ada", password="correct horse")
    async with identity.uow() as uow:
        await uow.accounts.save(replace(account, is_active=False))
        await uow.commit()
    with pytest.raises(InvalidCredentials):
        await identity.login(login="ada@example.com", password="correct horse")


async def test_concurrent_refreshes_of_one_token_have_one_winner(identity):
    await identity.register_account(email="ada@example.com", username="ada", password="correct horse")
    pair = await identity.login(login="ada", password="correct horse")
    results = await asyncio.gather(*(identity.refresh_session(pair.refresh_token) for _ in range(5)),
                                   return_exceptions=True)
    winners = [r for r in results if not isinstance(r, Exception)]
    assert len(winners) == 1
    assert all(isinstance(r, InvalidRefreshToken) for r in results if isinstance(r, Exception))
    with pytest.raises(InvalidRefreshToken):  # the losers' reuse revoked the family
        await identity.refresh_session(winners[0].refresh_token)


async def test_registration_stores_only_a_hash(identity):
    account = await identity.register_account(email="ada@example.com", username="ada", password="correct horse")
    assert account.password_hash.startswith("$argon2id$")
    assert "correct horse" not in repr(identity.store._tables)
