"""Routes on the caller's events: create, list occurrences in a window, read, change, delete and restore."""

from datetime import date, datetime, timedelta
from typing import Annotated, Any
from uuid import UUID
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Response
from pydantic import AwareDatetime, BaseModel, BeforeValidator, Field, StrictBool, TypeAdapter

from application.calendar import events
from application.shared import pages
from domain.calendar.event import DESCRIPTION_MAX, LOCATION_MAX, RECURRENCE_MAX, TITLE_MAX, Event
from domain.calendar.occurrence import Occurrence
from entrypoints.api.calendar.fields import Limit
from entrypoints.api.dependencies import Caller, use
from entrypoints.api.problems import responses
from entrypoints.api.routing import PrefixRoute
from entrypoints.api.types import Cursor, Instant, Page, Strict, TimeZone, iso_instant, no_content
from entrypoints.container.calendar import Calendar

router = APIRouter(prefix="/api/v1", tags=["calendar"], route_class=PrefixRoute)

When = Annotated[AwareDatetime | date, BeforeValidator(iso_instant), Field(
    description="ISO 8601 date-time with an offset; a date (YYYY-MM-DD) when all_day",
    examples=["2026-03-16T09:00:00+01:00"])]
Recurrence = Annotated[str | None, Field(max_length=RECURRENCE_MAX, examples=["RRULE:FREQ=WEEKLY;BYDAY=MO"],
                                          description="one RFC 5545 RRULE line and optional EXDATE lines")]


class EventIn(Strict):
    title: Annotated[str, Field(min_length=1, max_length=TITLE_MAX)]
    description: Annotated[str | None, Field(max_length=DESCRIPTION_MAX)] = None
    location: Annotated[str | None, Field(max_length=LOCATION_MAX)] = None
    start_time: When
    end_time: When
    time_zone: TimeZone | None = Field(None, description="default: the account's time zone")
    all_day: StrictBool = False
    recurrence: Recurrence = None


class EventPatch(Strict):
    """Only the fields sent change; null clears description, location or recurrence."""

    # Where null is refused, the default None only marks a field not sent (the route reads the fields set), so
    # each type says what a sent value is and mypy's objection to its default is waived there, on purpose.
    title: Annotated[str, Field(min_length=1, max_length=TITLE_MAX)] = None  # type: ignore[assignment]  # not sent
    description: Annotated[str | None, Field(max_length=DESCRIPTION_MAX)] = None
    location: Annotated[str | None, Field(max_length=LOCATION_MAX)] = None
    start_time: When = None  # type: ignore[assignment]  # not sent
    end_time: When = None  # type: ignore[assignment]  # not sent
    time_zone: TimeZone = None  # type: ignore[assignment]  # not sent
    all_day: StrictBool = None  # type: ignore[assignment]  # not sent
    recurrence: Recurrence = None


class EventOut(BaseModel):
    id: UUID
    title: str
    description: str | None
    location: str | None
    start_time: datetime = Field(description="in the event's time zone")
    end_time: datetime
    start_date: date | None = Field(description="all-day events: the first day")
    end_date: date | None = Field(description="all-day events: the last day (inclusive)")
    time_zone: str
    all_day: bool
    recurrence: str | None
    created_at: datetime
    updated_at: datetime


class OccurrenceOut(BaseModel):
    event_id: UUID
    series_id: UUID | None = Field(description="the recurring event this occurrence belongs to")
    title: str
    description: str | None
    location: str | None
    start_time: datetime
    end_time: datetime
    time_zone: str
    all_day: bool
    recurrence: str | None


class OccurrencePage(Page[OccurrenceOut]):
    pass


def _local(instant: datetime, zone: str) -> datetime:
    return instant.astimezone(ZoneInfo(zone))


def _event(event: Event) -> EventOut:
    days = (_local(event.start_time, event.time_zone).date(),
            _local(event.end_time, event.time_zone).date() - timedelta(days=1)) if event.all_day else (None, None)
    return EventOut(
        id=event.id, title=event.title, description=event.description, location=event.location,
        start_time=_local(event.start_time, event.time_zone), end_time=_local(event.end_time, event.time_zone),
        start_date=days[0], end_date=days[1], time_zone=event.time_zone, all_day=event.all_day,
        recurrence=event.recurrence, created_at=event.created_at, updated_at=event.updated_at,
    )


def _occurrence(occurrence: Occurrence) -> OccurrenceOut:
    event = occurrence.event
    return OccurrenceOut(
        event_id=event.id, series_id=occurrence.series_id, title=event.title, description=event.description,
        location=event.location, start_time=_local(occurrence.start, event.time_zone),
        end_time=_local(occurrence.end, event.time_zone), time_zone=event.time_zone, all_day=event.all_day,
        recurrence=event.recurrence,
    )


@router.post("/events", status_code=201, response_model=EventOut, responses=responses(401, 422))
async def create_event(body: EventIn, caller: Caller,
                       create: events.CreateEvent = use(Calendar.create_event)) -> EventOut:
    """Add an event; times are stored as UTC instants, a series expands in its own time zone."""
    return _event(await create(caller.account_id, **body.model_dump()))


@router.get("/events", response_model=OccurrencePage, responses=responses(401, 422))
async def list_events(
    caller: Caller,
    window_from: Annotated[Instant | None, Query(alias="from", description="default: now")] = None,
    window_to: Annotated[Instant | None, Query(alias="to", description="default: no end")] = None,
    q: Annotated[str | None, Query(max_length=TITLE_MAX, description="text in title, description or location")] = None,
    cursor: Cursor = None, limit: Limit = 50,
    list_events: events.ListEvents = use(Calendar.list_events),
) -> OccurrencePage | Response:
    """Occurrences meeting [from, to) (running across `from` counts), by start; without `from`, upcoming ones."""
    asked: dict[str, Any] = {"window_from": window_from, "window_to": window_to, "text": q, "cursor": cursor,
                             "limit": limit}
    rendered = await list_events.rendered(caller.account_id, **asked)
    if rendered is not None:
        return Response(rendered_page_json(rendered), media_type="application/json")
    return _occurrence_page(await list_events(caller.account_id, **asked))


def _occurrence_page(page: pages.Page[Occurrence]) -> OccurrencePage:
    return OccurrencePage(items=[_occurrence(o) for o in page.items], next_cursor=page.next_cursor)


def occurrence_page_json(page: pages.Page[Occurrence]) -> str:
    """The page as the route answers it when it renders the entities."""
    return _occurrence_page(page).model_dump_json()


def rendered_page_json(rendered: events.RenderedPage) -> str:
    """The page the store rendered, its instants spelled here: equal to `occurrence_page_json` of the same page."""
    found = rendered.occurrences
    spelled = _spelled([*found.starts, *found.ends], found.zones * 2)
    count = len(found.heads)
    items = ",".join(f'{head}{start},"end_time":{end}{tail}'
                     for head, start, end, tail in zip(found.heads, spelled[:count], spelled[count:], found.tails))
    next_cursor = "null" if rendered.next_cursor is None else f'"{rendered.next_cursor}"'  # base64url: no escapes
    return f'{{"items":[{items}],"next_cursor":{next_cursor}}}'


_INSTANTS = TypeAdapter(list[datetime])


def _spelled(instants: list[int], zones: list[str]) -> list[str]:
    """Each instant (microseconds since 1970-01-01 UTC) in its zone as a JSON string, as a response model writes
    an aware datetime (the same serializer, for all of them in one call)."""
    local = []
    for instant, zone in zip(instants, zones):
        seconds, micro = divmod(instant, 1_000_000)
        moment = datetime.fromtimestamp(seconds, ZoneInfo(zone))
        local.append(moment.replace(microsecond=micro) if micro else moment)
    return _INSTANTS.dump_json(local).decode()[1:-1].split(",") if local else []  # no comma inside an instant


@router.get("/events/{event_id:uuid}", response_model=EventOut, responses=responses(401, 404, 422))
async def get_event(event_id: UUID, caller: Caller, get: events.GetEvent = use(Calendar.get_event)) -> EventOut:
    """One of the caller's events."""
    return _event(await get(caller.account_id, event_id))


@router.patch("/events/{event_id:uuid}", response_model=EventOut, responses=responses(401, 404, 422))
async def update_event(event_id: UUID, body: EventPatch, caller: Caller,
                       update: events.UpdateEvent = use(Calendar.update_event)) -> EventOut:
    """Change some fields; new timing moves the event's pending reminders with it."""
    return _event(await update(caller.account_id, event_id, **body.model_dump(exclude_unset=True)))


@router.delete("/events/{event_id:uuid}", status_code=204, response_class=Response,
               responses=responses(401, 404, 422))
async def delete_event(event_id: UUID, caller: Caller,
                       delete: events.DeleteEvent = use(Calendar.delete_event)) -> Response:
    """Soft-delete: gone from lists and reminders; `POST .../restore` brings it back within 30 days."""
    await delete(caller.account_id, event_id)
    return no_content()


@router.post("/events/{event_id:uuid}/restore", response_model=EventOut, responses=responses(401, 404, 422))
async def restore_event(event_id: UUID, caller: Caller,
                        restore: events.RestoreEvent = use(Calendar.restore_event)) -> EventOut:
    """Undo a delete of less than 30 days ago, with the reminders it cancelled."""
    return _event(await restore(caller.account_id, event_id))
