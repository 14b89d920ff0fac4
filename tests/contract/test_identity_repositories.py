"""The same repository and unit-of-work contract, on memory and on PostgreSQL."""

from dataclasses import replace
from datetime import timedelta

import pytest

from application.identity.ports import AccountLocale
from domain.identity.account import EmailTaken, UsernameTaken
from tests.factories import NOW, account, new_id, refresh_token, session


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


async def test_an_accounts_locale_is_its_currency_and_time_zone_as_last_saved(uow_factory):
    ada = account(currency="NOK", time_zone="Europe/Oslo")
    async with uow_factory() as uow:
        await uow.accounts.add(ada)
        await uow.commit()
    moved = ada.update_profile(now=NOW, currency="JPY", time_zone="Asia/Tokyo")
    async with uow_factory() as uow:
        assert await uow.accounts.locale(ada.id) == AccountLocale("NOK", "Europe/Oslo")
        assert await uow.accounts.locale(new_id()) is None
        await uow.accounts.save(moved)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.accounts.locale(ada.id) == AccountLocale("JPY", "Asia/Tokyo")


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


async def _store(uow_factory, accounts=(), sessions=(), tokens=()):
    async with uow_factory() as uow:
        for row in accounts:
            await uow.accounts.add(row)
        for row in sessions:
            await uow.sessions.add(row)
        for row in tokens:
            await uow.refresh_tokens.add(row)
        await uow.commit()


async def _revoked(uow_factory, *tokens):
    async with uow_factory() as uow:
        return [(await uow.refresh_tokens.get_by_hash(t.token_hash)).revoked_at for t in tokens]


async def test_ending_a_session_revokes_its_refresh_tokens_and_nothing_else(uow_factory):
    ada, grace = account(), account("grace@example.com", "grace")
    phone, laptop = session(ada.id), session(ada.id)
    rotated, current, other, foreign = (refresh_token(ada.id, phone.id), refresh_token(ada.id, phone.id),
                                        refresh_token(ada.id, laptop.id), refresh_token(grace.id, phone.id))
    await _store(uow_factory, [ada, grace], [phone, laptop], [rotated, current, other, foreign])
    async with uow_factory() as uow:
        assert await uow.sessions.end(grace.id, laptop.id, NOW) is False  # another owner's session
        assert await uow.sessions.end(ada.id, phone.id, NOW) is True
        assert await uow.sessions.end(ada.id, phone.id, NOW) is False  # ended already
        await uow.commit()
    assert await _revoked(uow_factory, rotated, current, other, foreign) == [NOW, NOW, None, None]
    async with uow_factory() as uow:
        assert [await uow.sessions.is_live(ada.id, s.id) for s in (phone, laptop)] == [False, True]


async def test_ending_the_other_sessions_keeps_the_one_named(uow_factory):
    ada, grace = account(), account("grace@example.com", "grace")
    here, there, gone, graces = session(ada.id), session(ada.id), session(ada.id), session(grace.id)
    tokens = [refresh_token(ada.id, here.id), refresh_token(ada.id, there.id), refresh_token(grace.id, graces.id)]
    await _store(uow_factory, [ada, grace], [here, there, gone, graces], tokens)
    async with uow_factory() as uow:
        await uow.sessions.end(ada.id, gone.id, NOW)
        await uow.commit()
    later = NOW + timedelta(minutes=1)
    async with uow_factory() as uow:
        assert await uow.sessions.end_others(ada.id, here.id, later) == [there.id]  # `gone` had ended
        await uow.commit()
    assert await _revoked(uow_factory, *tokens) == [None, later, None]
    async with uow_factory() as uow:
        live = [await uow.sessions.is_live(s.owner_id, s.id) for s in (here, there, gone, graces)]
    assert live == [True, False, False, True]


async def test_a_session_is_live_only_for_its_owner_and_an_active_account(uow_factory):
    ada, grace = account(), account("grace@example.com", "grace")
    adas = session(ada.id)
    await _store(uow_factory, [ada, grace], [adas])
    async with uow_factory() as uow:
        assert await uow.sessions.is_live(ada.id, adas.id) is True
        assert await uow.sessions.is_live(grace.id, adas.id) is False
        assert await uow.sessions.is_live(ada.id, new_id()) is False
        await uow.accounts.save(replace(ada, is_active=False))
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.sessions.is_live(ada.id, adas.id) is False


async def test_started_from_asks_for_the_owner_the_address_and_the_time(uow_factory):
    ada, grace = account(), account("grace@example.com", "grace")
    await _store(uow_factory, [ada, grace], [session(ada.id, client_address="203.0.113.1", started_at=NOW)])
    async with uow_factory() as uow:
        assert await uow.sessions.started_from(ada.id, "203.0.113.1", NOW) is True
        assert await uow.sessions.started_from(ada.id, "203.0.113.1", NOW + timedelta(seconds=1)) is False
        assert await uow.sessions.started_from(ada.id, "203.0.113.2", NOW - timedelta(days=1)) is False
        assert await uow.sessions.started_from(grace.id, "203.0.113.1", NOW - timedelta(days=1)) is False
