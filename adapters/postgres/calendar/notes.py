"""PostgreSQL notes on events."""

from typing import final
from uuid import UUID

from sqlalchemy import delete, insert, select, update

from adapters.postgres.connection import LazyConnection
from adapters.postgres.prepared import values_of
from adapters.postgres.tables.calendar import notes
from application.calendar.ports import NoteRepository
from domain.calendar.note import Note


@final
class PostgresNoteRepository(NoteRepository):
    def __init__(self, conn: LazyConnection) -> None:
        self._conn = conn

    async def add(self, note: Note) -> None:
        await self._conn.execute(insert(notes).values(values_of(note)))

    async def get(self, owner_id: UUID, note_id: UUID) -> Note | None:
        row = (await self._conn.execute(
            select(notes).where(notes.c.id == note_id, notes.c.owner_id == owner_id))).first()
        return None if row is None else Note(**row._mapping)

    async def save(self, note: Note) -> None:
        await self._conn.execute(update(notes).where(notes.c.id == note.id).values(values_of(note)))

    async def remove(self, owner_id: UUID, note_id: UUID) -> bool:
        statement = delete(notes).where(notes.c.id == note_id, notes.c.owner_id == owner_id)
        return (await self._conn.execute(statement)).rowcount == 1

    async def page(self, owner_id: UUID, event_id: UUID, *, after: UUID | None, limit: int) -> list[Note]:
        statement = (select(notes).where(notes.c.event_id == event_id, notes.c.owner_id == owner_id)
                     .order_by(notes.c.id).limit(limit))
        if after is not None:
            statement = statement.where(notes.c.id > after)
        return [Note(**row._mapping) for row in await self._conn.execute(statement)]
