"""PostgreSQL events: keyset pages of live one-off events in a window, the series that may occur in it, purging."""

from collections.abc import Collection
from datetime import datetime
from functools import cache
from typing import Any, final
from uuid import UUID

from sqlalchemy import ColumnElement, DateTime, bindparam, cast, delete, insert, or_, select, tuple_, union_all, update

from adapters.postgres.connection import LazyConnection
from adapters.postgres.prepared import PreparedRead, by_position, owned_row, values_of
from adapters.postgres.tables.calendar import EVENT_SPAN, events
from application.calendar.ports import EventRepository
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
    return PreparedRead(select(both).order_by(both.c.start_time, both.c.id).limit(bindparam("limit")))


@cache
def _series(*, text: bool, until: bool) -> PreparedRead:
    conditions = _live(recurring=True, text=text)
    if until:
        conditions.append(events.c.start_time < bindparam("window_to"))
    conditions.append(or_(events.c.recurrence_until.is_(None), events.c.recurrence_until >= bindparam("window_from")))
    return PreparedRead(select(events).where(*conditions).order_by(events.c.id))


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

    async def series(self, owner_id: UUID, query: EventQuery) -> list[Event]:
        statement = _series(text=bool(query.text), until=query.window_to is not None)
        return [_event(row) for row in await statement.all(self._conn, **_window(owner_id, query))]

    async def purge_deleted(self, deleted_before: datetime, limit: int) -> int:
        doomed = (select(events.c.id).where(events.c.deleted_at < deleted_before)
                  .order_by(events.c.deleted_at, events.c.id).limit(limit).with_for_update(skip_locked=True))
        result = await self._conn.execute(delete(events).where(events.c.id.in_(doomed.scalar_subquery())))
        return result.rowcount
