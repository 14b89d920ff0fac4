"""Routes on an event's notes (markdown)."""

from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from application.calendar import notes
from domain.calendar.note import BODY_MAX, Note
from entrypoints.api.calendar.fields import Limit
from entrypoints.api.dependencies import Caller, use
from entrypoints.api.problems import responses
from entrypoints.api.routing import PrefixRoute
from entrypoints.api.types import Cursor, Page, Strict, no_content
from entrypoints.container.calendar import Calendar

router = APIRouter(prefix="/api/v1", tags=["calendar"], route_class=PrefixRoute)


class NoteIn(Strict):
    body: Annotated[str, Field(min_length=1, max_length=BODY_MAX, description="markdown")]


class NoteOut(BaseModel):
    id: UUID
    event_id: UUID
    body: str
    created_at: datetime
    updated_at: datetime


class NotePage(Page[NoteOut]):
    pass


def _note(note: Note) -> NoteOut:
    return NoteOut(id=note.id, event_id=note.event_id, body=note.body, created_at=note.created_at,
                   updated_at=note.updated_at)


@router.get("/events/{event_id:uuid}/notes", response_model=NotePage, responses=responses(401, 404, 422))
async def list_notes(event_id: UUID, caller: Caller, cursor: Cursor = None, limit: Limit = 50,
                     list_: notes.ListNotes = use(Calendar.list_notes)) -> NotePage:
    """The event's notes, oldest first."""
    page = await list_(caller.account_id, event_id, cursor=cursor, limit=limit)
    return NotePage(items=[_note(n) for n in page.items], next_cursor=page.next_cursor)


@router.post("/events/{event_id:uuid}/notes", status_code=201, response_model=NoteOut,
             responses=responses(401, 404, 422))
async def create_note(event_id: UUID, body: NoteIn, caller: Caller,
                      create: notes.CreateNote = use(Calendar.create_note)) -> NoteOut:
    """Attach a markdown note (up to 10,000 characters)."""
    return _note(await create(caller.account_id, event_id, body=body.body))


@router.patch("/notes/{note_id:uuid}", response_model=NoteOut, responses=responses(401, 404, 422))
async def update_note(note_id: UUID, body: NoteIn, caller: Caller,
                      update: notes.UpdateNote = use(Calendar.update_note)) -> NoteOut:
    """Replace a note's text."""
    return _note(await update(caller.account_id, note_id, body=body.body))


@router.delete("/notes/{note_id:uuid}", status_code=204, response_class=Response,
               responses=responses(401, 404, 422))
async def delete_note(note_id: UUID, caller: Caller, delete: notes.DeleteNote = use(Calendar.delete_note)) -> Response:
    """Remove a note for good."""
    await delete(caller.account_id, note_id)
    return no_content()
