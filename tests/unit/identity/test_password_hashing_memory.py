"""The hasher hands Argon2's memory back once hashing has gone quiet, not between hashes that follow each other
(each one after a hand-back faults its whole buffer in again: adapters/passwords.py)."""

import asyncio
import threading

import pytest

import adapters.passwords as passwords
from adapters.passwords import Argon2PasswordHasher

QUIET = 0.2


@pytest.fixture
def trims(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The threads malloc_trim was called on, in order."""
    called: list[str] = []
    monkeypatch.setattr(passwords, "_TRIM", lambda pad: called.append(threading.current_thread().name) or 1)
    return called


async def test_memory_goes_back_once_hashing_is_quiet_on_a_hashing_thread(trims: list[str]) -> None:
    hasher = Argon2PasswordHasher(time_cost=1, memory_cost=8192, quiet_seconds=QUIET)
    trims.clear()  # the start's own hand-back
    stored = await hasher.hash("correct horse")
    assert await hasher.verify(stored, "correct horse")
    assert trims == []  # not at once: another login may follow
    await asyncio.sleep(QUIET * 3)
    assert len(trims) == 1 and trims[0].startswith("argon2")


async def test_hashes_that_follow_each_other_keep_the_memory_until_the_last_one(trims: list[str]) -> None:
    hasher = Argon2PasswordHasher(time_cost=1, memory_cost=8192, quiet_seconds=QUIET)
    trims.clear()
    stored = await hasher.hash("correct horse")
    for _ in range(5):  # each begins within the quiet period of the one before
        await asyncio.sleep(QUIET / 4)
        await asyncio.gather(hasher.verify(stored, "correct horse"), hasher.verify(None, "guess"))
    assert trims == []
    await asyncio.sleep(QUIET * 3)
    assert len(trims) == 1
