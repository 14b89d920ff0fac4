"""What the ledger reads from the owner's account: its currency and time zone."""

from dataclasses import dataclass
from uuid import UUID

from application.ledger.ports import LedgerUnitOfWork
from domain.identity.account import DEFAULT_CURRENCY, DEFAULT_TIME_ZONE


@dataclass(frozen=True, slots=True)
class AccountLocale:
    currency: str
    time_zone: str


async def account_locale(uow: LedgerUnitOfWork, owner_id: UUID) -> AccountLocale:
    """The account's default currency and time zone (Atrium's defaults if there is no such account)."""
    account = await uow.accounts.get(owner_id)
    if account is None:
        return AccountLocale(DEFAULT_CURRENCY, DEFAULT_TIME_ZONE)
    return AccountLocale(account.currency, account.time_zone)
