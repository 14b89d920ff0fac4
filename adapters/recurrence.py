"""RFC 5545 recurrence (one RRULE, any EXDATEs) with python-dateutil, expanded in the event's own zone.

dateutil keeps the wall-clock time of an aware DTSTART, so a weekly 09:00 Europe/Oslo event
stays at 09:00 local across daylight-saving changes; the instants are converted to UTC last.
A local time that falls in a DST gap is read with the offset before the gap (RFC 5545 3.3.5).
"""

from collections import deque
from collections.abc import Iterator
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule, rruleset, rrulestr

from domain.calendar.event import Event
from domain.shared.errors import DomainError, InvalidValue
from domain.shared.locale import check_time_zone

FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
PARTS = frozenset({
    "FREQ", "UNTIL", "COUNT", "INTERVAL", "BYSECOND", "BYMINUTE", "BYHOUR", "BYDAY", "BYMONTHDAY",
    "BYYEARDAY", "BYWEEKNO", "BYMONTH", "BYSETPOS", "WKST",
})
COUNT_MAX, INTERVAL_MAX = 5_000, 1_000
NOT_WITH = {  # RFC 5545 3.3.10 "MUST NOT" pairs, and BYSETPOS kept to the frequencies that use it
    "BYWEEKNO": ("DAILY", "WEEKLY", "MONTHLY"),
    "BYYEARDAY": ("DAILY", "WEEKLY", "MONTHLY"),
    "BYMONTHDAY": ("WEEKLY",),
    "BYSETPOS": ("DAILY", "WEEKLY"),
}
CYCLE_YEARS = 400  # the Gregorian calendar, weekdays included, repeats every 400 years


def _invalid(detail: str) -> InvalidValue:
    return InvalidValue("recurrence", detail)


class DateutilRecurrenceExpander:
    """The RecurrenceExpander port on dateutil.rrule and zoneinfo."""

    def last_start(self, event: Event) -> datetime | None:
        rule, _, parts = self._parse(event)
        local_start = event.start_time.astimezone(ZoneInfo(event.time_zone))
        if not _can_match(parts, local_start) or next(iter(rule), None) is None:
            raise _invalid("never occurs on or after start_time")
        if "COUNT" in parts:
            return deque(rule, maxlen=1)[0].astimezone(UTC)
        return _aware_until(parts)

    def starts(self, event: Event, since: datetime) -> Iterator[datetime]:
        rule, exdates, _ = self._parse(event)
        series = rruleset()
        series.rrule(rule)
        for excluded in exdates:
            series.exdate(excluded)
        for start in series.xafter(since, inc=True):
            yield start.astimezone(UTC)

    def _parse(self, event: Event) -> tuple[rrule, list[datetime], dict[str, str]]:
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
                exdates += _exdates(head.split(";")[1:], value, zone, local_start)
        if len(rules) != 1:
            raise _invalid("must have exactly one RRULE: line")
        parts = _rule_parts(rules[0], zone)
        text = "RRULE:" + ";".join(f"{key}={value}" for key, value in parts.items())
        try:
            rule = rrulestr(text, dtstart=local_start)
        except (ValueError, TypeError, KeyError, OverflowError) as error:
            raise _invalid(f"is not a valid RRULE: {error}") from None
        return rule, exdates, parts


def _rule_parts(value: str, zone: ZoneInfo) -> dict[str, str]:
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
    if "UNTIL" in parts:
        until = _read(parts["UNTIL"], zone)
        if not isinstance(until, datetime):  # a date: the whole local day counts
            until = datetime.combine(until, datetime.max.time(), zone).replace(microsecond=0)
        parts["UNTIL"] = until.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    return parts


def _can_match(parts: dict[str, str], start: datetime) -> bool:
    """True if the rule's filters ever select a date (BYMONTH=2;BYMONTHDAY=30 never does).

    dateutil looks for a match up to year 9999, so the probe starts one whole cycle (times the
    interval, which keeps the interval's phase) before the end: at most 400 years of periods.
    """
    span = CYCLE_YEARS * int(parts.get("INTERVAL", "1"))
    cycles = max(0, (9999 - start.year - span) // span)
    probe_start = start.replace(tzinfo=None, year=start.year + cycles * span)
    text = "RRULE:" + ";".join(f"{k}={v}" for k, v in parts.items() if k not in ("COUNT", "UNTIL"))
    return next(iter(rrulestr(text, dtstart=probe_start)), None) is not None


def _aware_until(parts: dict[str, str]) -> datetime | None:
    until = parts.get("UNTIL")
    return None if until is None else datetime.strptime(until, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)


def _exdates(params: list[str], value: str, zone: ZoneInfo, local_start: datetime) -> list[datetime]:
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
