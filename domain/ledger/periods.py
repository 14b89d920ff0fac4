"""Calendar periods (weeks start on Monday) and the account's local date."""

import calendar
import re
from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from domain.shared.dates import check_date
from domain.shared.errors import InvalidValue
from domain.shared.locale import zone

_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")


class Period(StrEnum):
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    YEARLY = "yearly"


def parse_period(value: str, field: str = "period") -> Period:
    try:
        return Period(value)
    except ValueError:
        raise InvalidValue(field, "must be weekly, monthly or yearly") from None


def time_zone_of(name: str, field: str = "time_zone") -> ZoneInfo:
    return zone(name, field)


def local_today(now: datetime, time_zone: str) -> date:
    """Return the calendar date it is at `now` in the time zone."""
    return now.astimezone(time_zone_of(time_zone)).date()


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def add_months(month: date, months: int) -> date:
    """Return the first day of the month `months` after `month`'s."""
    index = month.year * 12 + month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def months_between(first: date, last: date) -> int:
    return (last.year - first.year) * 12 + last.month - first.month


def parse_month(value: str, field: str) -> date:
    """Return the first day of a `YYYY-MM` month."""
    match = _MONTH.fullmatch(value.strip()) if isinstance(value, str) else None
    if not match or not 1 <= int(match[2]) <= 12:
        raise InvalidValue(field, "must be a month like 2026-01")
    return check_date(date(int(match[1]), int(match[2]), 1), field)


def period_bounds(period: Period, day: date) -> tuple[date, date]:
    """Return the first and last day of the calendar period holding `day`."""
    if period is Period.WEEKLY:
        start = day - timedelta(days=day.weekday())
        return start, start + timedelta(days=6)
    if period is Period.MONTHLY:
        return month_start(day), month_end(day)
    return date(day.year, 1, 1), date(day.year, 12, 31)


def periods_between(period: Period, earlier: date, later: date) -> int:
    """Return how many period boundaries lie between the periods holding `earlier` and `later`."""
    if period is Period.WEEKLY:
        return (period_bounds(period, later)[0] - period_bounds(period, earlier)[0]).days // 7
    if period is Period.MONTHLY:
        return months_between(earlier, later)
    return later.year - earlier.year
