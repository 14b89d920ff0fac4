"""Spending and refunding daily quota, and the usage report."""

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from application.identity.ports import ApiKeyCaller, ApiKeyUnitOfWork, QuotaMeter, UsageRepository
from application.shared.clock import Clock
from application.shared.unit_of_work import UowFactory
from domain.identity.api_key import ApiKeyNotFound
from domain.identity.usage import DailyUsage, QuotaExceeded, check_report_range, usage_day

REPORT_DEFAULT_DAYS = 30


@dataclass(frozen=True, slots=True)
class Spent:
    """Units taken from one key's counter on one UTC day: what a refund gives back."""

    owner_id: UUID
    api_key_id: UUID
    day: date
    units: int
    used: int
    quota: int

    @property
    def remaining(self) -> int:
        return max(0, self.quota - self.used)


async def spend_quota(
    usage: UsageRepository | QuotaMeter, caller: ApiKeyCaller, now: datetime, units: int = 1
) -> Spent:
    """Spend units of today's quota (in the unit of work of `usage`, or committed at once by a meter);
    QuotaExceeded if they do not fit."""
    if units < 1:
        raise ValueError("spend at least one unit")
    day = usage_day(now)
    used = await usage.spend(caller.owner_id, caller.api_key_id, day, units, caller.daily_quota)
    if used is None:
        raise QuotaExceeded(now)
    return Spent(caller.owner_id, caller.api_key_id, day, units, used, caller.daily_quota)


@dataclass(frozen=True, slots=True)
class KeyToday:
    api_key_id: UUID
    name: str
    date: date
    used: int
    quota: int

    @property
    def remaining(self) -> int:
        return max(0, self.quota - self.used)


@dataclass(frozen=True, slots=True)
class UsageReport:
    items: list[DailyUsage]
    today: list[KeyToday]


@dataclass
class GetUsage:
    """The owner's daily counters between two UTC days (default: the last 30), plus today's remaining per usable key."""

    uow: UowFactory[ApiKeyUnitOfWork]
    clock: Clock

    async def __call__(
        self, owner_id: UUID, *, start: date | None = None, end: date | None = None,
        api_key_id: UUID | None = None,
    ) -> UsageReport:
        now = self.clock.now()
        today = usage_day(now)
        end = end or today
        start = start or date.fromordinal(max(1, end.toordinal() - (REPORT_DEFAULT_DAYS - 1)))
        check_report_range(start, end)
        async with self.uow(account=owner_id) as uow:
            if api_key_id is not None:
                key = await uow.api_keys.get(owner_id, api_key_id)
                if key is None:
                    raise ApiKeyNotFound()
                keys = [key]
            else:
                keys = await uow.api_keys.list(owner_id)
            items = await uow.usage.list(owner_id, start=start, end=end, api_key_id=api_key_id)
            today_rows = ([row for row in items if row.usage_date == today] if start <= today <= end
                          else await uow.usage.list(owner_id, start=today, end=today, api_key_id=api_key_id))
        spent_today = {row.api_key_id: row.used for row in today_rows}
        return UsageReport(items, [
            KeyToday(key.id, key.name, today, spent_today.get(key.id, 0), key.daily_quota)
            for key in keys if key.is_usable(now)
        ])
