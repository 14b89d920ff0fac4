"""Argon2id password hashing, run on a small pool of threads of its own so the event loop keeps serving."""

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import final

from argon2 import PasswordHasher as _Argon2
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from application.identity.ports import PasswordHasher


@final
class Argon2PasswordHasher(PasswordHasher):
    """Hashes on at most `threads` threads at once: each hash holds `memory_cost` KiB (19 MiB by default), which
    the allocator keeps per thread, so the default executor's threads (up to 32) would each keep one; hashing is
    CPU-bound, so more threads than cores buy nothing."""

    def __init__(self, *, time_cost: int = 2, memory_cost: int = 19_456, parallelism: int = 1,
                 threads: int = 2) -> None:
        self._argon2 = _Argon2(time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism)
        self._dummy_hash = self._argon2.hash("dummy password that matches nothing")
        self._threads = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="argon2")

    async def hash(self, password: str) -> str:
        return await asyncio.get_running_loop().run_in_executor(self._threads, self._argon2.hash, password)

    async def verify(self, password_hash: str | None, password: str) -> bool:
        return await asyncio.get_running_loop().run_in_executor(self._threads, self._verify, password_hash, password)

    def needs_rehash(self, password_hash: str) -> bool:
        return self._argon2.check_needs_rehash(password_hash)

    def _verify(self, password_hash: str | None, password: str) -> bool:
        try:
            return self._argon2.verify(password_hash or self._dummy_hash, password) and password_hash is not None
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False
