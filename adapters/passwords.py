"""Argon2id password hashing, run on a small pool of threads of its own so the event loop keeps serving."""

import asyncio
import ctypes
import threading
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
    its own, and more threads than cores buy nothing for CPU-bound work. When the last hash in flight ends, that
    memory goes back to the system: a burst of logins reuses it, a quiet server does not hold it."""

    def __init__(self, *, time_cost: int = 2, memory_cost: int = 19_456, parallelism: int = 1,
                 threads: int = 2) -> None:
        self._argon2 = _Argon2(time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism)
        self._threads = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="argon2")
        self._in_flight = 0
        self._lock = threading.Lock()
        self._dummy_hash = self._hashing(self._argon2.hash, "dummy password that matches nothing")

    async def hash(self, password: str) -> str:
        return await self._run(self._argon2.hash, password)

    async def verify(self, password_hash: str | None, password: str) -> bool:
        return await self._run(self._verify, password_hash, password)

    def needs_rehash(self, password_hash: str) -> bool:
        return self._argon2.check_needs_rehash(password_hash)

    async def _run(self, work: Callable[[str | None, str], T] | Callable[[str], T], *args: str | None) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._threads, self._hashing, work, *args)

    def _hashing(self, work: Callable[..., T], *args: str | None) -> T:
        with self._lock:
            self._in_flight += 1
        try:
            return work(*args)
        finally:
            with self._lock:
                self._in_flight -= 1
                last = self._in_flight == 0
            if last and _TRIM is not None:
                _TRIM(0)

    def _verify(self, password_hash: str | None, password: str) -> bool:
        try:
            return self._argon2.verify(password_hash or self._dummy_hash, password) and password_hash is not None
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False
