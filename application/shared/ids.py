"""The id generator port."""

from typing import Protocol
from uuid import UUID


class IdGenerator(Protocol):
    """Hands out new unique ids."""

    def new_id(self) -> UUID:
        """Return a fresh id, roughly ordered by creation time (uuid7)."""
        ...
