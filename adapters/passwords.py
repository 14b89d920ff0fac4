"""Argon2id password hashing, run on a small pool of threads of its own so the event loop keeps serving."""

import asyncio
import ctypes
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar, final

from argon2 import PasswordHasher as _Argon2
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from application.identity.ports import PasswordHasher

T = TypeVar("T")


def _allocator_trim() -> Callable[[int], int] | None:
    """glibc's `malloc_trim`, which hands the allocator's free memory back to the system; None elsewhere."""
    try:
        trim: Callable[[int], int] = ctypes.CDLL(None).malloc_trim
    except (AttributeError, OSError):
        return None
    return trim


_TRIM = _allocator_trim()


@final
class Argon2PasswordHasher(PasswordHasher):
    """Hashes on at most `threads` threads at once. Each hash works in `memory_cost` KiB (19 MiB by default) that
    the allocator keeps for the thread that used it: on the default executor's threads (up to 32) every one kept
    its own, and more threads than cores buy nothing for CPU-bound work. Once no hash has run for `quiet_seconds`,
    that memory goes back to the system: logins in a row reuse it, a quiet server does not hold it. (Handing it
    back after every last hash in flight made the next one fault its 19 MiB in again: 37-42 ms of CPU a login one at
    a time instead of 24; docs/performance.md.)"""

    def __init__(self, *, time_cost: int = 2, memory_cost: int = 19_456, parallelism: int = 1,
                 threads: int = 2, quiet_seconds: float = 0.25) -> None:
        self._argon2 = _Argon2(time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism)
        self._threads = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="argon2")
        self._quiet_seconds = quiet_seconds
        self._in_flight = 0  # these two are read and written on the event loop only
        self._started = 0
        self._dummy_hash = self._argon2.hash("dummy password that matches nothing")
        if _TRIM is not None:
            _TRIM(0)

    async def hash(self, password: str) -> str:
        return await self._run(self._argon2.hash, password)

    async def verify(self, password_hash: str | None, password: str) -> bool:
        return await self._run(self._verify, password_hash, password)

    def needs_rehash(self, password_hash: str) -> bool:
        return self._argon2.check_needs_rehash(password_hash)

    async def _run(self, work: Callable[..., T], *args: str | None) -> T:
        loop = asyncio.get_running_loop()
        self._in_flight += 1
        self._started += 1
        try:
            return await loop.run_in_executor(self._threads, work, *args)
        finally:
            self._in_flight -= 1
            if self._in_flight == 0 and _TRIM is not None:
                loop.call_later(self._quiet_seconds, self._trim_if_quiet, loop, self._started)

    def _trim_if_quiet(self, loop: asyncio.AbstractEventLoop, started: int) -> None:
        """Hand the hashing memory back, on a hashing thread, unless a hash has started since `started` was read."""
        if self._in_flight == 0 and self._started == started and _TRIM is not None:
            loop.run_in_executor(self._threads, _TRIM, 0)

    def _verify(self, password_hash: str | None, password: str) -> bool:
        try:
            return self._argon2.verify(password_hash or self._dummy_hash, password) and password_hash is not None
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False
