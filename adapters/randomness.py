"""Randomness from the operating system's CSPRNG."""

import secrets


class SystemRandomSource:
    def token_bytes(self, count: int) -> bytes:
        return secrets.token_bytes(count)
