"""Use cases on notes attached to events."""

from dataclasses import dataclass
from uuid import UUID

from application.calendar.ports import CalendarUnitOfWork
from application.calendar.events import live_event
from application.shared.clock import Clock
from application.shared.ids import IdGenerator
from application.shared.pages import Page, check_limit, cursor_id, page_of
from application.shared.unit_of_work import UowFactory
from domain.calendar.event import EventNotFound
from domain.calendar.note import Note, NoteNotFound



async def _live_note(uow: CalendarUnitOfWork, owner_id: UUID, note_id: UUID) -> Note:
    note = await uow.notes.get(owner_id, note_id)
    if note is None:
        raise NoteNotFound()
    try:
        await live_event(uow, owner_id, note.event_id)
    except EventNotFound:
        raise NoteNotFound() from None
    return note


@dataclass
class CreateNote:
    """Attach a markdown note (1-10,000 characters) to a live event."""

    uow: UowFactory[CalendarUnitOfWork]
    clock: Clock
    ids: IdGenerator

    async def __call__(self, owner_id: UUID, event_id: UUID, *, body: str) -> Note:
        note = Note.create(id=self.ids.new_id(), owner_id=owner_id, event_id=event_id, body=body,
                           now=self.clock.now())
        async with self.uow(account=owner_id) as uow:
            await live_event(uow, owner_id, event_id)
            await uow.notes.add(note)
            await uow.commit()
        return note


@dataclass
class ListNotes:
    """The notes of a live event, oldest first."""

    uow: UowFactory[CalendarUnitOfWork]

    async def __call__(
        self, owner_id: UUID, event_id: UUID, *, cursor: str | None = None, limit: int = 50
    ) -> Page[Note]:
        check_limit(limit)
        async with self.uow(account=owner_id) as uow:
            await live_event(uow, owner_id, event_id)
            rows = await uow.notes.page(owner_id, event_id, after=cursor_id(cursor), limit=limit + 1)
        return page_of(rows, limit, lambda note: (note.id,))


@dataclass
class UpdateNote:
    """Replace a note's text."""

    uow: UowFactory[CalendarUnitOfWork]
    clock: Clock

    async def __call__(self, owner_id: UUID, note_id: UUID, *, body: str) -> Note:
        async with self.uow(account=owner_id) as uow:
            note = (await _live_note(uow, owner_id, note_id)).edit(body, self.clock.now())
            await uow.notes.save(note)
            await uow.commit()
        return note


@dataclass
class DeleteNote:
    """Remove a note for good."""

    uow: UowFactory[CalendarUnitOfWork]

    async def __call__(self, owner_id: UUID, note_id: UUID) -> None:
        async with self.uow(account=owner_id) as uow:
            await _live_note(uow, owner_id, note_id)
            await uow.notes.remove(owner_id, note_id)
            await uow.commit()
