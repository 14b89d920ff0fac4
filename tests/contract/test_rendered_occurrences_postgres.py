"""A page of one-off occurrences as PostgreSQL writes it (the read model behind `GET /api/v1/events`), with its
instants spelled by the API, is the API's own rendering of the same page from the entities, byte for byte: the
same fields in the same order, the same escapes, the same instants in the same zones, the same next cursor."""

from datetime import UTC, datetime, timedelta
from zoneinfo import available_timezones

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from adapters.postgres.unit_of_work import PostgresUnitOfWork
from adapters.recurrence import DateutilRecurrenceExpander
from application.calendar.events import ListEvents
from domain.calendar.event import Event
from domain.calendar.occurrence import EventQuery
from domain.shared.errors import InvalidValue
from entrypoints.api.calendar.events import occurrence_page_json, rendered_page_json
from tests.factories import NOW, account, new_id

pytestmark = pytest.mark.parametrize("storage", ["postgres"], indirect=True)

ZONES = sorted(available_timezones() - {"localtime", "posixrules", "Factory"})
FIRST, LAST = datetime(1900, 1, 2, tzinfo=UTC), datetime(2999, 12, 30, tzinfo=UTC)
WINDOW = {"window_from": datetime(1900, 1, 1, tzinfo=UTC), "window_to": datetime(2999, 12, 31, tzinfo=UTC)}

words = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
events = st.lists(st.fixed_dictionaries({
    "title": words, "description": st.none() | words, "location": st.none() | words,
    "zone": st.sampled_from(ZONES),
    "start": st.datetimes(FIRST.replace(tzinfo=None), LAST.replace(tzinfo=None)).map(lambda t: t.replace(tzinfo=UTC)),
    "length": st.timedeltas(timedelta(0), timedelta(days=3)),
    "all_day": st.booleans(),
}), min_size=1, max_size=4)


class Clock:
    def now(self) -> datetime:
        return NOW


def made(owner_id, spec) -> Event | None:
    """The event the spec describes, or None when the domain refuses it (a control character, a date outside the
    supported range in its zone)."""
    start, end = spec["start"], spec["start"] + spec["length"]
    if spec["all_day"]:
        start, end = start.date(), end.date()  # type: ignore[assignment]  # an all-day event takes dates
    try:
        return Event.create(id=new_id(), owner_id=owner_id, title=spec["title"] or "x", start_time=start,
                            end_time=end, time_zone=spec["zone"], all_day=spec["all_day"],
                            description=spec["description"], location=spec["location"], now=NOW)
    except InvalidValue:
        return None


async def both_renderings(uow_factory, specs, limit) -> tuple[list[str], list[str]]:
    """Every page of a new owner's events, rendered by PostgreSQL and by the API, following the cursors."""
    name = new_id().hex
    owner = account(email=f"{name}@example.com", username=name)
    async with uow_factory() as uow:
        await uow.accounts.add(owner)
        for spec in specs:
            if (event := made(owner.id, spec)) is not None:
                await uow.events.add(event)
        await uow.commit()
    listing = ListEvents(uow_factory, Clock(), DateutilRecurrenceExpander())
    stored, shown, cursor = [], [], None
    while True:
        rendered = await listing.rendered(owner.id, **WINDOW, cursor=cursor, limit=limit)
        assert rendered is not None, "no series: PostgreSQL renders the page"
        page = await listing(owner.id, **WINDOW, cursor=cursor, limit=limit)
        stored.append(rendered_page_json(rendered))
        shown.append(occurrence_page_json(page))
        if (cursor := page.next_cursor) is None:
            return stored, shown


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(specs=events, limit=st.integers(1, 3))
@example(specs=[{"title": 'a "quoted" \\ title', "description": "two\nlines\tand\rtab", "location": "Zürich 🏔",
                 "zone": "Asia/Kolkata", "start": datetime(2026, 3, 1, 3, 30, 0, 500, tzinfo=UTC),
                 "length": timedelta(hours=1), "all_day": False}], limit=1)
@example(specs=[{"title": "local mean time", "description": None, "location": None, "zone": zone,
                 "start": start, "length": timedelta(0), "all_day": False}
                for zone, start in (("Europe/Amsterdam", datetime(1900, 6, 1, tzinfo=UTC)),  # +00:19:32
                                    ("Africa/Monrovia", datetime(1960, 1, 1, tzinfo=UTC)),  # -00:44:30
                                    ("America/New_York", datetime(2999, 7, 1, 12, tzinfo=UTC)),  # DST by rule
                                    ("UTC", datetime(2026, 1, 1, tzinfo=UTC)))], limit=3)
async def test_postgres_renders_each_page_as_the_api_does(uow_factory, specs, limit):
    stored, shown = await both_renderings(uow_factory, specs, limit)
    assert stored == shown


async def test_with_a_series_in_reach_postgres_renders_nothing_and_the_api_expands(uow_factory):
    owner = account()
    series = Event.create(id=new_id(), owner_id=owner.id, title="weekly", start_time=NOW,
                          end_time=NOW + timedelta(hours=1), time_zone="UTC", recurrence="FREQ=WEEKLY", now=NOW)
    async with uow_factory() as uow:
        await uow.accounts.add(owner)
        await uow.events.add(series)
        await uow.commit()
    async with uow_factory() as uow:
        found = await uow.events.rendered_page(owner.id, EventQuery(NOW, None), after=None, limit=51)
        ended = await uow.events.rendered_page(owner.id, EventQuery(NOW - timedelta(days=9), NOW - timedelta(days=8)),
                                               after=None, limit=51)
    assert found is None
    assert ended is not None and ended.heads == []  # the series begins after that window


async def test_another_accounts_scope_renders_none_of_the_owners_events(uow_factory, app_engine):
    owner, other = account(), account(email="bob@example.com", username="bob")
    async with uow_factory() as uow:
        for person in (owner, other):
            await uow.accounts.add(person)
        await uow.events.add(Event.create(id=new_id(), owner_id=owner.id, title="mine", start_time=NOW,
                                          end_time=NOW, time_zone="UTC", now=NOW))
        await uow.commit()
    query = EventQuery(NOW - timedelta(days=1), None)
    for scope, expected in ((owner.id, 1), (other.id, 0)):
        async with PostgresUnitOfWork(app_engine, account=scope) as uow:  # the app role, held by the policies
            page = await uow.events.rendered_page(owner.id, query, after=None, limit=51)
        assert page is not None and len(page.heads) == expected
