"""RFC 5545 recurrence (one RRULE, any EXDATEs) with python-dateutil, expanded in the event's own zone.

dateutil keeps the wall-clock time of an aware DTSTART, so a weekly 09:00 Europe/Oslo event
stays at 09:00 local across daylight-saving changes; the instants are converted to UTC last.
A local time that falls in a DST gap is read with the offset before the gap (RFC 5545 3.3.5).
"""

import logging
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import chain
from math import prod
from typing import cast, final
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule, rruleset, rrulestr

from application.calendar.ports import RecurrenceExpander
from domain.calendar.event import Event
from domain.shared.dates import MAX_DATE, SUPPORTED, check_date, check_instant
from domain.shared.errors import DomainError, InvalidValue
from domain.shared.locale import check_time_zone

FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
PARTS = frozenset({
    "FREQ", "UNTIL", "COUNT", "INTERVAL", "BYSECOND", "BYMINUTE", "BYHOUR", "BYDAY", "BYMONTHDAY",
    "BYYEARDAY", "BYWEEKNO", "BYMONTH", "BYSETPOS", "WKST",
})
TIME_PARTS = ("BYHOUR", "BYMINUTE", "BYSECOND")  # each time of day they list happens on every day the rule picks
DAY_PARTS = ("BYWEEKNO", "BYYEARDAY", "BYMONTHDAY", "BYDAY")  # without any, DTSTART's day is the rule's
COUNT_MAX, INTERVAL_MAX, PER_DAY_MAX = 5_000, 1_000, 24
EXPANSION_BUDGET = 20_000  # candidates one call may look at: a valid rule needs at most a year's (366 x 24) + a page
NOT_WITH = {  # RFC 5545 3.3.10 "MUST NOT" pairs, and BYSETPOS kept to the frequencies that use it
    "BYWEEKNO": ("DAILY", "WEEKLY", "MONTHLY"),
    "BYYEARDAY": ("DAILY", "WEEKLY", "MONTHLY"),
    "BYMONTHDAY": ("WEEKLY",),
    "BYSETPOS": ("DAILY", "WEEKLY"),
}
CYCLE_YEARS = 400  # the Gregorian calendar, weekdays included, repeats every 400 years
LAST_LOCAL_TIME = datetime.combine(MAX_DATE, time(23, 59, 59))  # no occurrence starts later (local wall time)
NEVER = "never occurs between start_time and " + str(MAX_DATE)

log = logging.getLogger(__name__)


def _invalid(detail: str) -> InvalidValue:
    return InvalidValue("recurrence", detail)


@final
class DateutilRecurrenceExpander(RecurrenceExpander):
    """The RecurrenceExpander port on dateutil.rrule and zoneinfo; every call does bounded work."""

    def last_start(self, event: Event) -> datetime | None:
        series = _Series.parse(event, checked=True)
        rule = series.rule()
        if not _can_match(series.expanded, series.start):
            raise _invalid(NEVER)
        starts = _bounded(rule, series.horizon)
        first = next(starts, None)
        if first is None:
            raise _invalid(NEVER)
        if "COUNT" in series.parts:
            return deque(chain([first], starts), maxlen=1)[0].astimezone(UTC)
        return _aware_until(series.parts)

    def starts(self, event: Event, since: datetime) -> Iterator[datetime]:
        series = _Series.parse(event, checked=False)  # a rule stored before a limit existed still expands
        occurrences = rruleset()
        occurrences.rrule(series.rule() if "COUNT" in series.parts else series.rule_near(since))
        for excluded in series.exdates:
            occurrences.exdate(excluded)
        for start in _bounded(occurrences, series.horizon):
            if start >= since:
                yield start.astimezone(UTC)


@dataclass(frozen=True, slots=True)
class _Series:
    """A checked rule: its parts (UNTIL in UTC), its EXDATEs and DTSTART in the event's zone."""

    parts: dict[str, str]
    exdates: list[datetime]
    start: datetime

    @property
    def expanded(self) -> dict[str, str]:
        """The parts dateutil expands: a rule without INTERVAL that filters days by month (or, daily, by day of
        the month) as the YEARLY rule picking the same days, so dateutil steps over years, not days, weeks or
        months, between rare occurrences (FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO: one in 28 years)."""
        parts, freq = self.parts, self.parts["FREQ"]
        if int(parts.get("INTERVAL", "1")) != 1 or "BYSETPOS" in parts:
            return parts
        if freq == "DAILY" and ("BYMONTH" in parts or "BYMONTHDAY" in parts):
            every_day = "BYMONTHDAY" not in parts and "BYDAY" not in parts
            return parts | {"FREQ": "YEARLY"} | ({"BYMONTHDAY": ",".join(map(str, range(1, 32)))} if every_day else {})
        if freq == "WEEKLY" and "BYMONTH" in parts:
            return {"BYDAY": WEEKDAYS[self.start.weekday()]} | parts | {"FREQ": "YEARLY"}
        if freq == "MONTHLY" and "BYMONTH" in parts:
            return parts | {"FREQ": "YEARLY"}
        return parts

    @classmethod
    def parse(cls, event: Event, *, checked: bool) -> "_Series":
        """The event's rule; `checked` applies the limits on new rules (occurrences a day, supported dates)."""
        zone = ZoneInfo(event.time_zone)
        local_start = event.start_time.astimezone(zone)
        rules, exdates = [], []
        for line in (event.recurrence or "").splitlines():
            head, colon, value = line.partition(":")
            name = head.upper().split(";")[0]
            if not colon or name not in ("RRULE", "EXDATE"):
                raise _invalid("must be one RRULE: line and optional EXDATE lines")
            if name == "RRULE":
                rules.append(value)
            else:
                exdates += _exdates(head.split(";")[1:], value, zone, local_start, checked=checked)
        if len(rules) != 1:
            raise _invalid("must have exactly one RRULE: line")
        return cls(_rule_parts(rules[0], zone, checked=checked), exdates, local_start)

    @property
    def horizon(self) -> datetime:
        return LAST_LOCAL_TIME.replace(tzinfo=self.start.tzinfo)

    def rule(self, parts: dict[str, str] | None = None, start: datetime | None = None) -> rrule:
        text = "RRULE:" + ";".join(f"{key}={value}" for key, value in (parts or self.expanded).items())
        try:
            return cast(rrule, rrulestr(text, dtstart=start or self.start))  # one RRULE line: never a set
        except (ValueError, TypeError, KeyError, OverflowError) as error:
            raise _invalid(f"is not a valid RRULE: {error}") from None

    def rule_near(self, since: datetime) -> rrule:
        """The same occurrences from `since` on, by a rule that starts at the latest of the series' periods
        (a day, week, month or year; every INTERVAL-th from the first) beginning on or before `since`."""
        try:
            start = _period_start(self.expanded, self.start, since.astimezone(self.start.tzinfo))
        except OverflowError:
            start = None
        return self.rule() if start is None else self.rule(_explicit(self.expanded, self.start), start)


def _period_start(parts: dict[str, str], first: datetime, target: datetime) -> datetime | None:
    """Midnight opening the rule's last period that begins on or before `target`'s day (None: the first one)."""
    interval, day, freq = int(parts.get("INTERVAL", "1")), target.date(), parts["FREQ"]
    opening = first.date()
    if freq == "DAILY":
        skipped = (day - opening).days // interval * interval
        opening += timedelta(days=skipped)
    elif freq == "WEEKLY":
        opening -= timedelta(days=(opening.weekday() - WEEKDAYS.index(parts.get("WKST", "MO"))) % 7)
        skipped = (day - opening).days // 7 // interval * interval
        opening += timedelta(weeks=skipped)
    elif freq == "MONTHLY":
        skipped = ((day.year - opening.year) * 12 + day.month - opening.month) // interval * interval
        months = opening.year * 12 + opening.month - 1 + skipped
        opening = date(months // 12, months % 12 + 1, 1)
    else:
        skipped = (day.year - opening.year) // interval * interval
        opening = date(opening.year + skipped, 1, 1)
    return datetime.combine(opening, time(), first.tzinfo) if skipped > 0 else None


def _explicit(parts: dict[str, str], start: datetime) -> dict[str, str]:
    """The rule with the parts RFC 5545 (and dateutil) take from DTSTART written out, so it may start elsewhere."""
    found = {"BYHOUR": str(start.hour), "BYMINUTE": str(start.minute), "BYSECOND": str(start.second)} | parts
    if not any(key in parts for key in DAY_PARTS):
        if parts["FREQ"] == "WEEKLY":
            found["BYDAY"] = WEEKDAYS[start.weekday()]
        elif parts["FREQ"] == "MONTHLY":
            found["BYMONTHDAY"] = str(start.day)
        elif parts["FREQ"] == "YEARLY":
            found.setdefault("BYMONTH", str(start.month))
            found["BYMONTHDAY"] = str(start.day)
    return found


def _bounded(candidates: Iterable[datetime], horizon: datetime) -> Iterator[datetime]:
    """The candidates up to the horizon, at most EXPANSION_BUDGET of them (more only from rules stored before
    the per-day cap: they end early, with a warning)."""
    for seen, start in enumerate(candidates):
        if start > horizon:
            return
        if seen == EXPANSION_BUDGET:
            log.warning("a recurrence expansion stopped after %d occurrences", EXPANSION_BUDGET)
            return
        yield start


def _rule_parts(value: str, zone: ZoneInfo, *, checked: bool) -> dict[str, str]:
    parts: dict[str, str] = {}
    for item in value.upper().split(";"):
        key, equals, part = item.partition("=")
        if not equals or key not in PARTS or key in parts:
            raise _invalid(f"has an unknown or repeated rule part {key!r}")
        parts[key] = part
    if parts.get("FREQ") not in FREQUENCIES:
        raise _invalid("FREQ must be one of " + ", ".join(FREQUENCIES))
    for key, frequencies in NOT_WITH.items():
        if key in parts and parts["FREQ"] in frequencies:
            raise _invalid(f"{key} cannot be used with FREQ={parts['FREQ']}")
    if parts["FREQ"] in ("DAILY", "WEEKLY") and any(c.isdigit() for c in parts.get("BYDAY", "")):
        raise _invalid("BYDAY takes plain weekdays (MO, TU, ...) unless FREQ is MONTHLY or YEARLY")
    if "COUNT" in parts and "UNTIL" in parts:
        raise _invalid("must not have both COUNT and UNTIL")
    for key, high in (("COUNT", COUNT_MAX), ("INTERVAL", INTERVAL_MAX)):
        if key in parts and not (parts[key].isdigit() and 1 <= int(parts[key]) <= high):
            raise _invalid(f"{key} must be a whole number from 1 to {high}")
    if (parts["FREQ"] == "DAILY" and int(parts.get("INTERVAL", "1")) > 1
            and "BYMONTHDAY" in parts and ("BYMONTH" in parts or "BYDAY" in parts)):
        raise _invalid("FREQ=DAILY with an INTERVAL cannot combine BYMONTHDAY with BYMONTH or BYDAY "
                       "(use FREQ=MONTHLY or YEARLY)")
    if checked and prod(len(_numbers(key, parts[key])) for key in TIME_PARTS if key in parts) > PER_DAY_MAX:
        raise _invalid(f"may occur at most {PER_DAY_MAX} times a day (BYHOUR x BYMINUTE x BYSECOND values)")
    if "UNTIL" in parts:
        until = _read(parts["UNTIL"], zone)
        if checked:
            _supported(until, zone, "UNTIL")
        if not isinstance(until, datetime):  # a date: the whole local day counts
            until = datetime.combine(until, datetime.max.time(), zone).replace(microsecond=0)
        parts["UNTIL"] = until.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    return parts


def _numbers(key: str, values: str) -> set[int]:
    try:
        return {int(value) for value in values.split(",")}
    except ValueError:
        raise _invalid(f"{key} must list whole numbers") from None


def _supported(moment: date | datetime, zone: ZoneInfo, name: str) -> None:
    """Refuse a moment that does not fall on a supported date as written and in the event's zone."""
    try:
        if isinstance(moment, datetime):
            check_instant(moment, name, zone)
        else:
            check_date(moment, name)
    except InvalidValue:
        raise _invalid(f"{name} {SUPPORTED} (in the event's time zone too)") from None


def _can_match(parts: dict[str, str], start: datetime) -> bool:
    """True if the rule's filters ever select a date (BYMONTH=2;BYMONTHDAY=30 never does).

    dateutil looks for a match up to year 9999, so the probe starts one whole cycle (times the
    interval, which keeps the interval's phase) before the end: at most 400 years of periods, and
    a rule stepping days by an INTERVAL is answered without a walk when it cannot meet its weekdays.
    """
    interval, weekdays = int(parts.get("INTERVAL", "1")), parts.get("BYDAY")
    if parts["FREQ"] == "DAILY" and interval % 7 == 0 and weekdays and WEEKDAYS[start.weekday()] not in weekdays.split(","):
        return False
    span = CYCLE_YEARS * int(parts.get("INTERVAL", "1"))
    cycles = max(0, (9999 - start.year - span) // span)
    probe_start = start.replace(tzinfo=None, year=start.year + cycles * span)
    text = "RRULE:" + ";".join(f"{k}={v}" for k, v in parts.items() if k not in ("COUNT", "UNTIL"))
    return next(iter(rrulestr(text, dtstart=probe_start)), None) is not None


def _aware_until(parts: dict[str, str]) -> datetime | None:
    until = parts.get("UNTIL")
    return None if until is None else datetime.strptime(until, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)


def _exdates(params: list[str], value: str, event_zone: ZoneInfo, local_start: datetime, *,
             checked: bool) -> list[datetime]:
    zone = event_zone
    for param in params:
        key, _, setting = param.partition("=")
        if key.upper() == "TZID":
            try:
                zone = ZoneInfo(check_time_zone(setting))
            except DomainError:
                raise _invalid(f"EXDATE has an unknown TZID {setting!r}") from None
        elif key.upper() != "VALUE":
            raise _invalid(f"EXDATE has an unknown parameter {key!r}")
    found = []
    for item in value.split(","):
        moment = _read(item.strip(), zone)
        if checked:
            _supported(moment, event_zone, "EXDATE")
        found.append(moment if isinstance(moment, datetime) else datetime.combine(moment, local_start.timetz()))
    return found


def _read(value: str, zone: ZoneInfo) -> date | datetime:
    """An RFC 5545 DATE, UTC DATE-TIME (…Z) or local DATE-TIME (in `zone`)."""
    try:
        if len(value) == 8:
            return datetime.strptime(value, "%Y%m%d").date()
        if value.endswith("Z"):
            return datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        return datetime.strptime(value, "%Y%m%dT%H%M%S").replace(tzinfo=zone)
    except ValueError:
        raise _invalid(f"has an unreadable date {value!r} (use YYYYMMDD or YYYYMMDDTHHMMSS[Z])") from None
