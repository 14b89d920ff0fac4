"""The account's locale: the currency and time zone other contexts default to."""

from dataclasses import dataclass
from uuid import UUID

from application.identity.ports import AccountRepository
from domain.identity.account import DEFAULT_CURRENCY, DEFAULT_TIME_ZONE


@dataclass(frozen=True, slots=True)
class AccountLocale:
    currency: str
    time_zone: str


async def account_locale(accounts: AccountRepository, owner_id: UUID) -> AccountLocale:
    """The account's currency and time zone (Atrium's defaults, EUR and UTC, if there is no such account)."""
    account = await accounts.get(owner_id)
    if account is None:
        return AccountLocale(DEFAULT_CURRENCY, DEFAULT_TIME_ZONE)
    return AccountLocale(account.currency, account.time_zone)
