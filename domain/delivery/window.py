"""The period metrics are computed over: whole days in the account's time zone, weeks starting on Monday."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from domain.shared.errors import InvalidValue
from domain.shared.locale import zone

FIRST_DAY, LAST_DAY = date(1970, 1, 1), date(2999, 12, 30)
SPAN_MAX_DAYS = 3660


class Granularity(StrEnum):
    WEEK = "week"
    MONTH = "month"


def parse_granularity(value: object, field: str = "granularity") -> Granularity:
    try:
        return Granularity(str(value))
    except ValueError:
        raise InvalidValue(field, "must be week or month") from None


@dataclass(frozen=True, slots=True)
class Window:
    """From the start of `first_day` to the end of `last_day` in `time_zone` (both days included)."""

    first_day: date
    last_day: date
    time_zone: ZoneInfo
    start: datetime
    end: datetime

    @classmethod
    def create(cls, first_day: date, last_day: date, time_zone: str) -> "Window":
        for field, day in (("from", first_day), ("to", last_day)):
            if not isinstance(day, date) or isinstance(day, datetime):
                raise InvalidValue(field, "must be a calendar date like 2026-01-31")
            if not FIRST_DAY <= day <= LAST_DAY:
                raise InvalidValue(field, f"must be between {FIRST_DAY} and {LAST_DAY}")
        if last_day < first_day:
            raise InvalidValue("to", "must not be before from")
        if (last_day - first_day).days >= SPAN_MAX_DAYS:
            raise InvalidValue("to", f"must be less than {SPAN_MAX_DAYS} days after from")
        tz = zone(time_zone)
        return cls(first_day, last_day, tz, _midnight(first_day, tz), _midnight(last_day + timedelta(days=1), tz))

    def contains(self, instant: datetime) -> bool:
        return self.start <= instant < self.end

    def day_of(self, instant: datetime) -> date:
        """The calendar date of the instant in the window's time zone."""
        return instant.astimezone(self.time_zone).date()

    def buckets(self, granularity: Granularity | str) -> list[date]:
        """The first day of every week (Monday) or month that overlaps the window, in order."""
        step = bucket_of(self.first_day, granularity)
        starts = []
        while step <= self.last_day:
            starts.append(step)
            step = step + timedelta(days=7) if granularity == Granularity.WEEK else _next_month(step)
        return starts


def bucket_of(day: date, granularity: Granularity | str) -> date:
    """The first day of the day's week (Monday) or month."""
    if granularity == Granularity.WEEK:
        return day - timedelta(days=day.weekday())
    return day.replace(day=1)


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _midnight(day: date, tz: ZoneInfo) -> datetime:
    """The first instant of the local day (a day that starts in a DST gap starts when the gap ends)."""
    return datetime.combine(day, time(), tz).astimezone(UTC)
