"""Randomness from the operating system's CSPRNG."""

import secrets
from typing import final

from application.identity.ports import RandomSource


@final
class SystemRandomSource(RandomSource):
    def token_bytes(self, count: int) -> bytes:
        return secrets.token_bytes(count)
