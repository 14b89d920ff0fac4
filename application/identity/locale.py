"""The account's locale: the currency and time zone other contexts default to."""

from uuid import UUID

from application.identity.ports import AccountLocale, AccountRepository
from domain.identity.account import DEFAULT_CURRENCY, DEFAULT_TIME_ZONE

__all__ = ["AccountLocale", "account_locale"]


async def account_locale(accounts: AccountRepository, owner_id: UUID) -> AccountLocale:
    """The account's currency and time zone (Atrium's defaults, EUR and UTC, if there is no such account)."""
    return await accounts.locale(owner_id) or AccountLocale(DEFAULT_CURRENCY, DEFAULT_TIME_ZONE)
