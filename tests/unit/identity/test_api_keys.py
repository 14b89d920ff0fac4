"""Creating, listing, revoking and rolling API keys."""

import hashlib
import string
from dataclasses import replace
from datetime import timedelta
from uuid import uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.identity.api_key import MAX_ACTIVE_KEYS, looks_like_secret, new_secret
from domain.shared.errors import AuthenticationFailed, Conflict, InvalidValue, NotFound
from tests.unit.identity.support import ApiKeys


async def test_a_new_key_is_shown_once_and_only_its_hash_is_kept(access: ApiKeys) -> None:
    issued = await access.new_key(name="  deploy bot ")

    assert issued.secret.startswith("atr_live_")
    body = issued.secret.removeprefix("atr_live_")
    assert len(body) >= 43 and set(body) <= set(string.ascii_letters + string.digits)
    key = issued.key
    assert (key.name, key.daily_quota, key.prefix) == ("deploy bot", 100, issued.secret[:13])
    assert key.key_hash == hashlib.sha256(issued.secret.encode()).hexdigest()
    [listed] = await access.list_api_keys(access.owner)
    assert listed == key
    for shown in (repr(issued), repr(listed)):
        assert issued.secret not in shown and key.key_hash not in shown


async def test_every_key_gets_its_own_secret(access: ApiKeys) -> None:
    secrets = {(await access.new_key()).secret for _ in range(5)}
    assert len(secrets) == 5


@pytest.mark.parametrize(("fields", "field"), [
    ({"daily_quota": 0}, "daily_quota"),
    ({"daily_quota": 1_000_001}, "daily_quota"),
    ({"name": "   "}, "name"),
    ({"name": "x" * 101}, "name"),
    ({"name": "tab\there"}, "name"),
    ({"expires_at": "past"}, "expires_at"),
])
async def test_bad_fields_are_rejected(access: ApiKeys, fields: dict, field: str) -> None:
    if fields.get("expires_at") == "past":
        fields = {"expires_at": access.clock.now()}
    with pytest.raises(InvalidValue) as error:
        await access.new_key(**fields)
    assert error.value.field == field
    assert await access.list_api_keys(access.owner) == []


async def test_quota_bounds_are_allowed(access: ApiKeys) -> None:
    assert (await access.new_key(daily_quota=1)).key.daily_quota == 1
    assert (await access.new_key(daily_quota=1_000_000)).key.daily_quota == 1_000_000


async def test_an_account_has_at_most_20_usable_keys(access: ApiKeys) -> None:
    soon = access.clock.now() + timedelta(hours=1)
    first = await access.new_key(expires_at=soon)
    for _ in range(MAX_ACTIVE_KEYS - 1):
        await access.new_key()

    with pytest.raises(Conflict) as error:
        await access.new_key()
    assert error.value.code == "too_many_api_keys"

    access.clock.advance(hours=1)  # an expired key no longer counts
    await access.new_key()
    with pytest.raises(Conflict):
        await access.new_key()
    keys = await access.list_api_keys(access.owner)
    await access.revoke_api_key(access.owner, keys[0].id)  # nor does a revoked one
    await access.new_key()
    assert first.key.id in {k.id for k in await access.list_api_keys(access.owner)}


async def test_keys_are_listed_newest_first_and_only_to_their_owner(access: ApiKeys) -> None:
    older = await access.new_key(name="older")
    access.clock.advance(seconds=1)
    newer = await access.new_key(name="newer")
    await access.create_api_key(uuid4(), name="someone else's")

    assert [k.id for k in await access.list_api_keys(access.owner)] == [newer.key.id, older.key.id]


async def test_someone_elses_key_looks_missing(access: ApiKeys) -> None:
    theirs = await access.create_api_key(uuid4(), name="theirs")
    for attempt in (access.revoke_api_key(access.owner, theirs.key.id), access.roll_api_key(access.owner, theirs.key.id),
                    access.get_usage(access.owner, api_key_id=theirs.key.id)):
        with pytest.raises(NotFound) as error:
            await attempt
        assert error.value.code == "api_key_not_found"
    await access.meter(theirs.secret)  # untouched


async def test_a_revoked_key_stays_listed_but_never_works_again(access: ApiKeys) -> None:
    issued = await access.new_key()
    access.clock.advance(minutes=1)
    await access.revoke_api_key(access.owner, issued.key.id)
    access.clock.advance(minutes=1)
    await access.revoke_api_key(access.owner, issued.key.id)  # twice is harmless

    [listed] = await access.list_api_keys(access.owner)
    assert not listed.is_active and listed.revoked_at == issued.key.created_at + timedelta(minutes=1)
    with pytest.raises(AuthenticationFailed) as error:
        await access.meter(issued.secret)
    assert error.value.code == "key_revoked"


async def test_rolling_keeps_the_key_and_lets_the_old_secret_work_through_the_grace_period(access: ApiKeys) -> None:
    old = await access.new_key(daily_quota=10)
    await access.meter(old.secret)

    new = await access.roll_api_key(access.owner, old.key.id, grace_seconds=60)

    assert new.secret != old.secret and new.key.id == old.key.id
    assert new.key.prefix == new.secret[:13]
    await access.meter(new.secret)
    access.clock.advance(seconds=59)
    await access.meter(old.secret)
    assert await access.used_today(old.key.id) == 3  # one counter for both secrets

    access.clock.advance(seconds=1)
    with pytest.raises(AuthenticationFailed) as error:
        await access.meter(old.secret)
    assert error.value.code == "key_expired"
    await access.meter(new.secret)


async def test_rolling_without_grace_stops_the_old_secret_at_once(access: ApiKeys) -> None:
    old = await access.new_key()
    new = await access.roll_api_key(access.owner, old.key.id)
    with pytest.raises(AuthenticationFailed):
        await access.meter(old.secret)
    await access.roll_api_key(access.owner, old.key.id)
    for secret in (old.secret, new.secret):  # only the latest secret works
        with pytest.raises(AuthenticationFailed):
            await access.meter(secret)


async def test_a_revoked_key_cannot_be_rolled_and_grace_is_bounded(access: ApiKeys) -> None:
    issued = await access.new_key()
    with pytest.raises(InvalidValue) as invalid:
        await access.roll_api_key(access.owner, issued.key.id, grace_seconds=8 * 24 * 3600)
    assert invalid.value.field == "grace_seconds"
    await access.revoke_api_key(access.owner, issued.key.id)
    with pytest.raises(Conflict) as conflict:
        await access.roll_api_key(access.owner, issued.key.id, grace_seconds=60)
    assert conflict.value.code == "api_key_revoked"
    assert replace(issued.key, revoked_at=None) == replace((await access.list_api_keys(access.owner))[0], revoked_at=None)


@given(st.text(alphabet=string.ascii_letters + string.digits + "_-é\n ", max_size=60))
def test_only_the_prefix_and_43_or_more_base62_digits_look_like_a_secret(body: str) -> None:
    digits = set(string.ascii_letters + string.digits)
    expected = len(body) >= 43 and set(body) <= digits
    assert looks_like_secret("atr_live_" + body) == expected
    assert not looks_like_secret("atr_test_" + body) and not looks_like_secret(" atr_live_" + body)


def test_a_secret_made_here_looks_like_one() -> None:
    assert looks_like_secret(new_secret(bytes(range(32)))) and looks_like_secret(new_secret(b"\xff" * 32))
