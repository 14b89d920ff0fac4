"""What the identity context announces to the other contexts."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from domain.shared.events import DomainEvent


@dataclass(frozen=True, slots=True)
class AccountOpened(DomainEvent):
    """A new account exists, with the currency and time zone its owner's data defaults to."""

    account_id: UUID
    currency: str
    time_zone: str
    at: datetime
