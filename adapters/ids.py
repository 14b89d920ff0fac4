"""Id generator adapter: time-ordered uuid7 (RFC 9562)."""

from typing import final
from uuid import UUID

import uuid6

from application.shared.ids import IdGenerator


@final
class Uuid7Generator(IdGenerator):
    def new_id(self) -> UUID:
        return UUID(bytes=uuid6.uuid7().bytes)
