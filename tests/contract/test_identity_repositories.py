"""The same repository and unit-of-work contract, on memory and on PostgreSQL."""

from dataclasses import replace

import pytest

from domain.identity.account import EmailTaken, UsernameTaken
from tests.factories import NOW, account, new_id, refresh_token


async def test_commit_makes_changes_visible(uow_factory):
    ada = account()
    async with uow_factory() as uow:
        await uow.accounts.add(ada)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.accounts.get(ada.id) == ada
        assert await uow.accounts.get_by_email("ada@example.com") == ada
        assert await uow.accounts.get_by_username("ada") == ada


async def test_leaving_without_commit_rolls_back(uow_factory):
    ada = account()
    async with uow_factory() as uow:
        await uow.accounts.add(ada)
    async with uow_factory() as uow:
        assert await uow.accounts.get(ada.id) is None


async def test_an_exception_rolls_back_everything_written(uow_factory):
    ada, grace = account(), account("grace@example.com", "grace")
    with pytest.raises(RuntimeError):
        async with uow_factory() as uow:
            await uow.accounts.add(ada)
            await uow.accounts.add(grace)
            raise RuntimeError("midway")
    async with uow_factory() as uow:
        assert await uow.accounts.get(ada.id) is None and await uow.accounts.get(grace.id) is None


@pytest.mark.parametrize("duplicate,error", [
    (dict(email="ada@example.com", username="other"), EmailTaken),
    (dict(email="other@example.com", username="ada"), UsernameTaken),
])
async def test_unique_violations_raise_the_same_domain_error(uow_factory, duplicate, error):
    async with uow_factory() as uow:
        await uow.accounts.add(account())
        await uow.commit()
    with pytest.raises(error):
        async with uow_factory() as uow:
            await uow.accounts.add(account(**duplicate))
    renamed = account("third@example.com", "third")
    async with uow_factory() as uow:
        await uow.accounts.add(renamed)
        await uow.commit()
    with pytest.raises(UsernameTaken):
        async with uow_factory() as uow:
            await uow.accounts.save(replace(renamed, username="ada"))


async def test_save_updates_in_place(uow_factory):
    ada = account()
    async with uow_factory() as uow:
        await uow.accounts.add(ada)
        await uow.commit()
    renamed = ada.update_profile(now=NOW, username="countess")
    async with uow_factory() as uow:
        await uow.accounts.save(renamed)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.accounts.get_by_username("countess") == renamed
        assert await uow.accounts.get_by_username("ada") is None


async def test_refresh_token_spend_has_one_winner(uow_factory):
    ada = account()
    token = refresh_token(ada.id)
    async with uow_factory() as uow:
        await uow.accounts.add(ada)
        await uow.refresh_tokens.add(token)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.refresh_tokens.spend(token.id, NOW) is True
        assert await uow.refresh_tokens.spend(token.id, NOW) is False
        await uow.commit()
    async with uow_factory() as uow:
        assert (await uow.refresh_tokens.get_by_hash(token.token_hash)).spent_at == NOW


async def test_revocation_is_scoped_to_owner_and_family(uow_factory):
    ada, grace = account(), account("grace@example.com", "grace")
    family = new_id()
    same_family, other_family, foreign = (refresh_token(ada.id, family), refresh_token(ada.id),
                                          refresh_token(grace.id, family))
    async with uow_factory() as uow:
        for owner in (ada, grace):
            await uow.accounts.add(owner)
        for token in (same_family, other_family, foreign):
            await uow.refresh_tokens.add(token)
        await uow.commit()
    async with uow_factory() as uow:
        await uow.refresh_tokens.revoke_family(ada.id, family, NOW)
        await uow.commit()
    async with uow_factory() as uow:
        revoked = {t.id: (await uow.refresh_tokens.get_by_hash(t.token_hash)).revoked_at
                   for t in (same_family, other_family, foreign)}
    assert revoked == {same_family.id: NOW, other_family.id: None, foreign.id: None}
    async with uow_factory() as uow:
        await uow.refresh_tokens.revoke_all(ada.id, NOW, except_family=None)
        await uow.commit()
    async with uow_factory() as uow:
        assert (await uow.refresh_tokens.get_by_hash(other_family.token_hash)).revoked_at == NOW
        assert (await uow.refresh_tokens.get_by_hash(foreign.token_hash)).revoked_at is None
