"""Id generator adapter: time-ordered uuid7 (RFC 9562)."""

from uuid import UUID

import uuid6


class Uuid7Generator:
    def new_id(self) -> UUID:
        return UUID(bytes=uuid6.uuid7().bytes)
