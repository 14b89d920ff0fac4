"""PostgreSQL events: keyset pages of live one-off events in a window, the series that may occur in it, purging."""

from collections.abc import Collection
from datetime import datetime
from functools import cache
from typing import Any, final
from uuid import UUID

from sqlalchemy import (
    BigInteger, ColumnElement, DateTime, Select, Text, bindparam, cast, delete, exists, extract, func, insert,
    literal_column, null, or_, select, true, tuple_, union_all, update,
)
from sqlalchemy.dialects.postgresql import aggregate_order_by

from adapters.postgres.connection import LazyConnection
from adapters.postgres.prepared import PreparedRead, by_position, owned_row, values_of
from adapters.postgres.tables.calendar import EVENT_SPAN, events
from application.calendar.ports import EventRepository, RenderedOccurrences
from domain.calendar.event import Event
from domain.calendar.occurrence import EventQuery, OccurrenceKey


_event = by_position(Event, events)


_EVENT_BY_ID = owned_row(events)


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _live(*, recurring: bool, text: bool) -> list[ColumnElement[bool]]:
    """The predicates of the partial indexes (live singles or live series), plus the text filter if asked."""
    conditions = [events.c.owner_id == bindparam("owner_id"), events.c.deleted_at.is_(None),
                  events.c.recurrence.is_not(None) if recurring else events.c.recurrence.is_(None)]
    if text:
        conditions.append(or_(*(column.ilike(bindparam("pattern"), escape="\\")
                                for column in (events.c.title, events.c.description, events.c.location))))
    return conditions


@cache
def _single_page(*, text: bool, after: bool, until: bool) -> PreparedRead:
    return PreparedRead(_single_select(text=text, after=after, until=until))


def _single_select(*, text: bool, after: bool, until: bool) -> Select[Any]:
    # Two index range scans: events starting inside the window (btree on owner, start, id, in order)
    # and events begun earlier that still run at its start (GiST on owner and [start, end]).
    live = _live(recurring=False, text=text)
    if after:
        live.append(tuple_(events.c.start_time, events.c.id) > tuple_(
            bindparam("after_start", type_=events.c.start_time.type), bindparam("after_id", type_=events.c.id.type)))
    starting = [events.c.start_time >= bindparam("window_from")]
    if until:
        starting.append(events.c.start_time < bindparam("window_to"))
    starting_rows = (select(events).where(*live, *starting)
                     .order_by(events.c.start_time, events.c.id).limit(bindparam("limit")).subquery())
    running_rows = select(events).where(
        *live, EVENT_SPAN.op("@>")(cast(bindparam("window_from"), DateTime(timezone=True))),
        events.c.start_time < bindparam("window_from"), events.c.end_time > bindparam("window_from"),
    )
    both = union_all(select(starting_rows), running_rows).subquery()
    return select(both).order_by(both.c.start_time, both.c.id).limit(bindparam("limit"))


@cache
def _series(*, text: bool, until: bool) -> PreparedRead:
    return PreparedRead(_series_select(text=text, until=until).order_by(events.c.id))


def _series_select(*, text: bool, until: bool) -> Select[Any]:
    conditions = _live(recurring=True, text=text)
    if until:
        conditions.append(events.c.start_time < bindparam("window_to"))
    conditions.append(or_(events.c.recurrence_until.is_(None), events.c.recurrence_until >= bindparam("window_from")))
    return select(events).where(*conditions)


_SEPARATOR = literal_column("chr(1)", Text)


@cache
def _rendered_page(*, text: bool, after: bool, until: bool) -> PreparedRead:
    """One row: the single page's first `limit` - 1 rows as `RenderedOccurrences` describes them, in order, as
    text joined by U+0001 (which JSON text never holds unescaped): each head and tail (`row_to_json`), each start
    and end (microseconds since the epoch), each zone; whether a row `limit` exists; the key of row `limit` - 1;
    and whether a series may meet the query."""
    found = _single_select(text=text, after=after, until=until).subquery("found")
    page = select(found, func.row_number().over(order_by=(found.c.start_time, found.c.id)).label("n")).subquery("page")
    head = select(page.c.id.label("event_id"), null().label("series_id"), page.c.title, page.c.description,
                  page.c.location).correlate(page).lateral("head")
    tail = select(page.c.time_zone, page.c.all_day, page.c.recurrence).correlate(page).lateral("tail")
    limit: ColumnElement[int] = bindparam("limit")

    def joined(value: ColumnElement[str]) -> ColumnElement[str]:  # text: an array would cost a type lookup
        return func.string_agg(value, aggregate_order_by(_SEPARATOR, page.c.n)).filter(page.c.n < limit)

    def json(row: Any) -> ColumnElement[str]:
        return func.row_to_json(row.table_valued()).cast(Text)

    def micros(instant: ColumnElement[datetime]) -> ColumnElement[str]:
        return cast(cast(extract("epoch", instant) * literal_column("1000000"), BigInteger), Text)

    last = page.c.n == limit - literal_column("1")
    return PreparedRead(select(
        joined(func.left(json(head), literal_column("-1")) + literal_column("',\"start_time\":'", Text) + _SEPARATOR
               + literal_column("','", Text) + func.substr(json(tail), literal_column("2"))).label("pieces"),
        joined(page.c.time_zone).label("zones"),
        joined(micros(page.c.start_time) + _SEPARATOR + micros(page.c.end_time)).label("instants"),
        (func.count() == limit).label("more"),
        func.max(page.c.start_time).filter(last).label("last_start"),
        func.array_agg(page.c.id).filter(last)[literal_column("1")].label("last_id"),
        exists(_series_select(text=text, until=until)).label("series"),
    ).select_from(page.join(head, true()).join(tail, true())))


def _window(owner_id: UUID, query: EventQuery) -> dict[str, Any]:
    return {"owner_id": owner_id, "pattern": query.text and _like(query.text), "window_from": query.window_from,
            "window_to": query.window_to}


@final
class PostgresEventRepository(EventRepository):
    def __init__(self, conn: LazyConnection) -> None:
        self._conn = conn

    async def add(self, event: Event) -> None:
        await self._conn.execute(insert(events).values(values_of(event)))

    async def get(self, owner_id: UUID, event_id: UUID, *, for_update: bool = False) -> Event | None:
        if for_update:
            statement = select(events).where(events.c.id == event_id, events.c.owner_id == owner_id)
            locked = (await self._conn.execute(statement.with_for_update())).first()
            return None if locked is None else _event(locked)
        row = await _EVENT_BY_ID.one(self._conn, id=event_id, owner_id=owner_id)
        return None if row is None else _event(row)

    async def get_many(self, keys: Collection[tuple[UUID, UUID]]) -> dict[UUID, Event]:
        if not keys:
            return {}
        statement = select(events).where(tuple_(events.c.owner_id, events.c.id).in_(list(keys)))
        return {row.id: _event(row) for row in await self._conn.execute(statement)}

    async def save(self, event: Event) -> None:
        await self._conn.execute(update(events).where(events.c.id == event.id).values(values_of(event)))

    async def single_page(
        self, owner_id: UUID, query: EventQuery, *, after: OccurrenceKey | None, limit: int
    ) -> list[Event]:
        statement = _single_page(text=bool(query.text), after=after is not None, until=query.window_to is not None)
        start, event_id = after or (None, None)
        rows = await statement.all(self._conn, **_window(owner_id, query), after_start=start, after_id=event_id,
                                   limit=limit)
        return [_event(row) for row in rows]

    async def rendered_page(
        self, owner_id: UUID, query: EventQuery, *, after: OccurrenceKey | None, limit: int
    ) -> RenderedOccurrences | None:
        statement = _rendered_page(text=bool(query.text), after=after is not None, until=query.window_to is not None)
        start, event_id = after or (None, None)
        row = await statement.one(self._conn, **_window(owner_id, query), after_start=start, after_id=event_id,
                                  limit=limit)
        if row is None or row["series"]:
            return None
        if row["pieces"] is None:
            return RenderedOccurrences([], [], [], [], [], None)
        pieces, instants = row["pieces"].split("\x01"), [int(value) for value in row["instants"].split("\x01")]
        return RenderedOccurrences(pieces[::2], pieces[1::2], instants[::2], instants[1::2], row["zones"].split("\x01"),
                                   (row["last_start"], row["last_id"]) if row["more"] else None)

    async def series(self, owner_id: UUID, query: EventQuery) -> list[Event]:
        statement = _series(text=bool(query.text), until=query.window_to is not None)
        return [_event(row) for row in await statement.all(self._conn, **_window(owner_id, query))]

    async def purge_deleted(self, deleted_before: datetime, limit: int) -> int:
        doomed = (select(events.c.id).where(events.c.deleted_at < deleted_before)
                  .order_by(events.c.deleted_at, events.c.id).limit(limit).with_for_update(skip_locked=True))
        result = await self._conn.execute(delete(events).where(events.c.id.in_(doomed.scalar_subquery())))
        return result.rowcount
