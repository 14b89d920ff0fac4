"""The CalendarCodec port on the `icalendar` library: RFC 5545 files in and out."""

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import cast, final
from zoneinfo import ZoneInfo

import icalendar

from application.calendar.ports import CalendarCodec, CalendarEntry, ParsedEvent
from domain.calendar.event import Event
from domain.calendar.reminder import MAX_PER_EVENT, MINUTES_BEFORE_MAX
from domain.shared.dates import SUPPORTED, check_date, check_instant
from domain.shared.errors import DomainError, InvalidValue
from domain.shared.locale import check_time_zone

PRODID = "-//Atrium//Calendar//EN"
UID_SUFFIX = "@atrium"
UNTITLED = "Untitled"
# VTIMEZONE blocks list each transition in these years; outside them calendar apps go by the IANA TZID.
TIMEZONE_SPAN = (date(1900, 1, 1), date(2100, 1, 1))


@final
class IcalendarCodec(CalendarCodec):
    """Exports events with RRULE/EXDATE and one VALARM per reminder; imports VEVENTs the same way back."""

    def export(self, entries: Sequence[CalendarEntry], *, name: str) -> bytes:
        calendar = icalendar.Calendar()
        calendar.add("prodid", PRODID)
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("x-wr-calname", name)
        for zone in sorted({entry.event.time_zone for entry in entries} - {"UTC"}):
            calendar.add_component(_vtimezone(zone))
        for entry in entries:
            calendar.add_component(_vevent(entry))
        data: bytes = calendar.to_ical()
        return data

    def parse(self, data: bytes, *, default_time_zone: str) -> list[ParsedEvent]:
        try:
            calendar = icalendar.Calendar.from_ical(data)
        except Exception:  # the library raises ValueError, KeyError, IndexError... on garbage
            raise InvalidValue("file", "is not an iCalendar (.ics) file") from None
        if not isinstance(calendar, icalendar.Calendar) or calendar.name != "VCALENDAR":
            raise InvalidValue("file", "is not an iCalendar (.ics) file: it must start with BEGIN:VCALENDAR")
        fallback = ZoneInfo(default_time_zone)
        return [_parsed(index, component, fallback) for index, component in enumerate(calendar.walk("VEVENT"))]


# --- export -----------------------------------------------------------------

@lru_cache(maxsize=None)
def _vtimezone(name: str) -> icalendar.Timezone:
    """The zone's transitions over TIMEZONE_SPAN, worked out once per zone and process (never changed after)."""
    return icalendar.Timezone.from_tzid(name, first_date=TIMEZONE_SPAN[0], last_date=TIMEZONE_SPAN[1])


def _vevent(entry: CalendarEntry) -> icalendar.Event:
    event = entry.event
    zone = ZoneInfo(event.time_zone)
    vevent = icalendar.Event()
    vevent.add("uid", f"{event.id}{UID_SUFFIX}")
    vevent.add("dtstamp", event.updated_at)
    vevent.add("created", event.created_at)
    vevent.add("last-modified", event.updated_at)
    vevent.add("summary", event.title)
    if event.description:
        vevent.add("description", event.description)
    if event.location:
        vevent.add("location", event.location)
    if event.all_day:
        vevent.add("dtstart", event.start_time.astimezone(zone).date())
        vevent.add("dtend", event.end_time.astimezone(zone).date())  # exclusive: the day after the last
    else:
        vevent.add("dtstart", _local(event.start_time, zone))
        vevent.add("dtend", _local(event.end_time, zone))
    if event.recurrence:
        _add_recurrence(vevent, event, zone)
    for minutes in entry.reminder_minutes:
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", event.title)
        alarm.add("trigger", timedelta(minutes=-minutes))
        vevent.add_component(alarm)
    return vevent


def _local(instant: datetime, zone: ZoneInfo) -> datetime:
    return instant if zone.key == "UTC" else instant.astimezone(zone)


def _add_recurrence(vevent: icalendar.Event, event: Event, zone: ZoneInfo) -> None:
    """The stored RRULE/EXDATE lines, with local UNTIL and EXDATE values made exact in the event's zone."""
    local_start = event.start_time.astimezone(zone)
    for line in (event.recurrence or "").splitlines():
        head, _, value = line.partition(":")
        name, *params = head.split(";")
        if name.upper() == "RRULE":
            rule = icalendar.vRecur.from_ical(value)
            if "UNTIL" in rule:
                until = _moment(rule["UNTIL"][0], zone, end_of_day=True)
                rule["UNTIL"] = [until.astimezone(zone).date() if event.all_day else until.astimezone(UTC)]
            vevent.add("rrule", rule)
        elif name.upper() == "EXDATE":
            tzid = next((p.split("=", 1)[1] for p in params if p.upper().startswith("TZID=")), None)
            where = ZoneInfo(tzid) if tzid else zone
            days = [_moment(v.strip(), where, start=local_start) for v in value.split(",")]
            vevent.add("exdate", [d.astimezone(zone).date() if event.all_day else _local(d, zone) for d in days])


def _moment(
    value: str | date, zone: ZoneInfo, *, start: datetime | None = None, end_of_day: bool = False,
) -> datetime:
    """An RFC 5545 DATE / DATE-TIME (text or parsed) as an aware instant; floating values are in `zone`."""
    if isinstance(value, str):
        value = cast(date, icalendar.vDDDTypes.from_ical(value))  # a DATE or DATE-TIME, or it raises
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=zone)
    if end_of_day:
        moment = time.max.replace(microsecond=0)
    else:
        moment = start.timetz().replace(tzinfo=None) if start else time()
    return datetime.combine(value, moment, zone)


# --- import -----------------------------------------------------------------

def _parsed(index: int, component: icalendar.Component, fallback: ZoneInfo) -> ParsedEvent:
    uid = str(component.get("UID")) if component.get("UID") is not None else None
    try:
        if component.get("RECURRENCE-ID") is not None:
            raise InvalidValue("recurrence", "changed single occurrences (RECURRENCE-ID) cannot be imported")
        if component.get("RDATE") is not None:
            raise InvalidValue("recurrence", "RDATE is not supported; use RRULE and EXDATE")
        fields, start = _fields(component, fallback)
        return ParsedEvent(index, uid, fields, _alarm_minutes(component, start))
    except DomainError as error:
        return ParsedEvent(index, uid, {}, problem=(getattr(error, "field", "file"), error.detail))
    except OverflowError:  # a DURATION reaching past the year 9999
        return ParsedEvent(index, uid, {}, problem=("end_time", SUPPORTED))
    except (ValueError, TypeError, KeyError, AttributeError) as error:
        return ParsedEvent(index, uid, {}, problem=("file", f"event {index + 1} is unreadable: {error}"))


def _fields(component: icalendar.Component, fallback: ZoneInfo) -> tuple[dict[str, object], datetime | date]:
    dtstart = component.get("DTSTART")
    if dtstart is None:
        raise InvalidValue("start_time", "the event has no DTSTART")
    zone = _zone(dtstart, fallback)
    start = _aware(dtstart.dt, zone)
    if isinstance(start, datetime):
        check_instant(start, "start_time", zone)
    else:
        check_date(start, "start_time")
    all_day = not isinstance(start, datetime)
    end = _end(component, start, zone, all_day)
    fields: dict[str, object] = {
        "title": _text(component, "SUMMARY") or UNTITLED,
        "description": _text(component, "DESCRIPTION"),
        "location": _text(component, "LOCATION"),
        "start_time": start, "end_time": end, "all_day": all_day, "time_zone": zone.key,
        "recurrence": _recurrence(component, zone),
    }
    return fields, start


def _zone(prop: icalendar.vDDDTypes, fallback: ZoneInfo) -> ZoneInfo:
    """The IANA zone of a DTSTART: its TZID when that is an IANA name, else its tzinfo's, else the fallback."""
    tzid = prop.params.get("TZID")
    for name in (tzid, getattr(getattr(prop.dt, "tzinfo", None), "key", None)):
        try:
            return ZoneInfo(check_time_zone(name))
        except DomainError:
            continue
    if isinstance(prop.dt, datetime) and prop.dt.utcoffset() == timedelta(0) and tzid is None:
        return ZoneInfo("UTC")
    return fallback


def _aware(value: date | datetime, zone: ZoneInfo) -> date | datetime:
    if isinstance(value, datetime):
        return value.replace(tzinfo=zone) if value.tzinfo is None else value
    return value


def _end(component: icalendar.Component, start: date | datetime, zone: ZoneInfo, all_day: bool) -> date | datetime:
    dtend = component.get("DTEND")
    if dtend is not None:
        end = _aware(dtend.dt, zone)
    elif component.get("DURATION") is not None:
        end = start + component.get("DURATION").dt
    else:
        end = start + timedelta(days=1) if all_day else start
    if all_day:
        if isinstance(end, datetime):
            raise InvalidValue("end_time", "must be a date when DTSTART is a date")
        return max(start, end - timedelta(days=1))  # iCalendar's end date is exclusive, ours inclusive
    if not isinstance(end, datetime):
        raise InvalidValue("end_time", "must be a date-time when DTSTART is a date-time")
    return end


def _text(component: icalendar.Component, name: str) -> str | None:
    value = component.get(name)
    if isinstance(value, list):
        value = value[0] if value else None
    return None if value is None else str(value)


def _recurrence(component: icalendar.Component, zone: ZoneInfo) -> str | None:
    rules = component.get("RRULE")
    if rules is None:
        return None
    if isinstance(rules, list):
        if len(rules) != 1:
            raise InvalidValue("recurrence", "an event may have one RRULE")
        rules = rules[0]
    lines = ["RRULE:" + rules.to_ical().decode()]
    exdates = component.get("EXDATE") or []
    for group in exdates if isinstance(exdates, list) else [exdates]:
        for item in group.dts:
            lines.append(_exdate(item.dt, zone))
    return "\n".join(lines)


def _exdate(value: date | datetime, zone: ZoneInfo) -> str:
    if not isinstance(value, datetime):
        return f"EXDATE;VALUE=DATE:{value:%Y%m%d}"
    if value.tzinfo is None:
        return f"EXDATE;TZID={zone.key}:{value:%Y%m%dT%H%M%S}"
    return f"EXDATE:{value.astimezone(UTC):%Y%m%dT%H%M%SZ}"


def _alarm_minutes(component: icalendar.Component, start: date | datetime) -> tuple[int, ...]:
    """Offsets of the alarms that ring before (or at) the start, in whole minutes, at most five."""
    found = set()
    for alarm in component.walk("VALARM"):
        trigger = alarm.get("TRIGGER")
        if trigger is None or trigger.params.get("RELATED", "START").upper() != "START":
            continue
        value = trigger.dt
        if isinstance(value, datetime) and isinstance(start, datetime):
            value = value - start
        if isinstance(value, timedelta) and value <= timedelta(0):
            minutes = int(-value.total_seconds() // 60)
            if minutes <= MINUTES_BEFORE_MAX:
                found.add(minutes)
    return tuple(sorted(found))[:MAX_PER_EVENT]
