"""The account's locale: the currency and time zone other contexts default to."""

from collections import OrderedDict
from uuid import UUID

from application.identity.ports import AccountLocale, AccountRepository
from domain.identity.account import DEFAULT_CURRENCY, DEFAULT_TIME_ZONE

__all__ = ["AccountLocale", "LocaleChanged", "RecentLocales", "account_locale"]


class LocaleChanged(Exception):
    """A write that assumed the account's locale found another one; nothing was stored."""


class RecentLocales:
    """The locales this process last saw, for up to `size` accounts (least recently used forgotten first): a guess
    that a write checks against the account (`ExpenseRepository.add(assuming=...)`), never an answer by itself;
    another replica's change only costs the next write its guess."""

    def __init__(self, size: int = 10_000) -> None:
        self._size = size
        self._seen: OrderedDict[UUID, AccountLocale] = OrderedDict()

    def get(self, account_id: UUID) -> AccountLocale | None:
        locale = self._seen.get(account_id)
        if locale is not None:
            self._seen.move_to_end(account_id)
        return locale

    def saw(self, account_id: UUID, locale: AccountLocale) -> None:
        self._seen[account_id] = locale
        self._seen.move_to_end(account_id)
        if len(self._seen) > self._size:
            self._seen.popitem(last=False)


async def account_locale(accounts: AccountRepository, owner_id: UUID) -> AccountLocale:
    """The account's currency and time zone (Atrium's defaults, EUR and UTC, if there is no such account)."""
    return await accounts.locale(owner_id) or AccountLocale(DEFAULT_CURRENCY, DEFAULT_TIME_ZONE)
