"""The expander jumps to the asked instant instead of walking to it, and every call is bounded: a jump gives the
same occurrences as dateutil's walk from DTSTART, for any rule the calendar accepts."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from itertools import islice
from uuid import uuid4
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from adapters import recurrence
from adapters.recurrence import DateutilRecurrenceExpander
from domain.calendar.event import Event
from domain.shared.errors import InvalidValue

EXPANDER = DateutilRecurrenceExpander()
DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
ZONES = ("UTC", "Europe/Oslo", "America/Santiago", "Australia/Lord_Howe", "Pacific/Kiritimati", "America/St_Johns")
LAST = datetime(2999, 12, 31, 23, 59, 59)


def numbers(low: int, high: int, *, signed: bool = False, most: int = 3):
    value = st.integers(low, high)
    if signed:
        value = st.one_of(value, value.map(lambda n: -n))
    return st.lists(value, min_size=1, max_size=most, unique=True).map(lambda v: ",".join(map(str, v)))


@st.composite
def rules(draw) -> str:
    freq = draw(st.sampled_from(("DAILY", "WEEKLY", "MONTHLY", "YEARLY")))
    parts = {"FREQ": freq, "INTERVAL": draw(st.sampled_from((1, 1, 2, 3, 5, 7, 12, 53)))}
    optional = {
        "BYMONTH": numbers(1, 12),
        "BYMONTHDAY": numbers(1, 31, signed=True),
        "BYDAY": st.lists(st.sampled_from(DAYS), min_size=1, max_size=3, unique=True).map(",".join),
        "BYHOUR": numbers(0, 23, most=2),
        "BYMINUTE": numbers(0, 59, most=2),
        "WKST": st.sampled_from(DAYS),
    }
    if freq in ("MONTHLY", "YEARLY"):
        optional["BYDAY"] = st.lists(st.tuples(st.sampled_from(("", "1", "2", "-1", "3")), st.sampled_from(DAYS)),
                                     min_size=1, max_size=2, unique=True).map(lambda v: ",".join(map("".join, v)))
        optional["BYSETPOS"] = numbers(1, 3, signed=True, most=1)
    if freq == "YEARLY":
        optional["BYWEEKNO"] = numbers(1, 53, signed=True, most=2)
        optional["BYYEARDAY"] = numbers(1, 366, signed=True)
    for key in draw(st.lists(st.sampled_from(sorted(optional)), max_size=4, unique=True)):
        if not (key == "BYMONTHDAY" and freq == "WEEKLY"):
            parts[key] = draw(optional[key])
    end = draw(st.sampled_from(("", "", "COUNT", "UNTIL")))
    if end == "COUNT":
        parts["COUNT"] = draw(st.integers(1, 300))
    elif end == "UNTIL":
        parts["UNTIL"] = f"{draw(st.integers(2000, 2200))}0101T000000Z"
    return "RRULE:" + ";".join(f"{key}={value}" for key, value in parts.items())


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(rule=rules(), zone=st.sampled_from(ZONES),
       start=st.datetimes(datetime(1950, 1, 1), datetime(2030, 12, 31)).map(lambda d: d.replace(microsecond=0)),
       later=st.timedeltas(timedelta(days=-3), timedelta(days=40 * 366)), excluded=st.integers(0, 400))
def test_a_series_starts_at_any_instant_as_if_walked_from_its_first(rule, zone, start, later, excluded):
    local = start.replace(tzinfo=ZoneInfo(zone))
    text = f"{rule}\nEXDATE:{(local + timedelta(days=excluded)).astimezone(UTC):%Y%m%dT%H%M%SZ}"
    event = Event.create(id=uuid4(), owner_id=uuid4(), title="x", start_time=local, end_time=local + timedelta(hours=1),
                         time_zone=zone, now=local, recurrence=text)
    try:
        EXPANDER.last_start(event)
    except InvalidValue:
        assume(False)
    since = local + later

    jumped = list(islice(EXPANDER.starts(event, since), 30))

    walked = rrulestr(text, dtstart=local.replace(microsecond=0), forceset=True)
    expected = list(islice((s.astimezone(UTC) for s in walked
                            if s >= since and s.replace(tzinfo=None) <= LAST), 30))
    assert jumped == expected


def series(recurrence: str, start: datetime, zone: str = "UTC") -> Event:
    return Event.create(id=uuid4(), owner_id=uuid4(), title="x", start_time=start, end_time=start + timedelta(hours=1),
                        time_zone=zone, now=start, recurrence=recurrence)


def test_a_dense_series_is_listed_centuries_on_within_a_budget_smaller_than_the_walk(monkeypatch):
    """Walking from 1900 would look at 9.6 million candidates; the budget of 1,000 still finds the right ones."""
    monkeypatch.setattr(recurrence, "EXPANSION_BUDGET", 1_000)
    event = series("RRULE:FREQ=DAILY;BYHOUR=" + ",".join(map(str, range(24))), datetime(1900, 1, 1, tzinfo=UTC))
    since = datetime(2998, 6, 1, 12, 30, tzinfo=UTC)
    assert list(islice(EXPANDER.starts(event, since), 3)) == [since + timedelta(minutes=30 + 60 * n) for n in range(3)]


def test_a_rule_stored_before_the_caps_still_lists_within_the_budget(monkeypatch):
    """The issue's rule (86,400 a day), as a database written before the per-day cap may hold it."""
    monkeypatch.setattr(recurrence, "EXPANSION_BUDGET", 1_000)
    every_second = "RRULE:FREQ=DAILY;BYHOUR=" + ",".join(map(str, range(24))) + ";BYMINUTE=" + ",".join(
        map(str, range(60))) + ";BYSECOND=" + ",".join(map(str, range(60)))
    with pytest.raises(InvalidValue, match="at most 24 times a day"):
        EXPANDER.last_start(series(every_second, datetime(2026, 1, 1, tzinfo=UTC)))
    stored = replace(series("RRULE:FREQ=DAILY", datetime(2026, 1, 1, tzinfo=UTC)), recurrence=every_second)
    since = datetime(2040, 1, 1, tzinfo=UTC)
    starts = list(EXPANDER.starts(stored, since))
    assert starts[:2] == [since, since + timedelta(seconds=1)] and len(starts) == 1_000
