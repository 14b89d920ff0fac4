"""Metered usage: one counter per API key per UTC day, never above that day's quota."""

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from uuid import UUID

from domain.shared.errors import InvalidValue, TooManyRequests

REPORT_MAX_DAYS = 366


@dataclass(frozen=True, slots=True)
class DailyUsage:
    """How many units a key spent on one UTC day, out of the quota it had that day."""

    owner_id: UUID
    api_key_id: UUID
    usage_date: date
    used: int
    quota: int

    @property
    def remaining(self) -> int:
        return max(0, self.quota - self.used)


def usage_day(now: datetime) -> date:
    """The UTC day an instant is metered on."""
    return now.astimezone(UTC).date()


def seconds_until_next_day(now: datetime) -> int:
    """Whole seconds, rounded up, until the next UTC midnight (when every quota renews)."""
    midnight = datetime.combine(usage_day(now) + timedelta(days=1), time(), tzinfo=UTC)
    return max(1, math.ceil((midnight - now).total_seconds()))


def check_report_range(start: date, end: date) -> None:
    if start > end:
        raise InvalidValue("from", "must not be after 'to'")
    if (end - start).days >= REPORT_MAX_DAYS:
        raise InvalidValue("to", f"the range may span at most {REPORT_MAX_DAYS} days")


class QuotaExceeded(TooManyRequests):
    code = "quota_exceeded"

    def __init__(self, now: datetime) -> None:
        super().__init__("the API key's daily quota is used up; it renews at 00:00 UTC",
                         retry_after=seconds_until_next_day(now))
