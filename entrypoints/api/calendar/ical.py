"""Routes exchanging the caller's calendar as iCalendar: export an .ics file, import one."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, File, Response, UploadFile
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from application.calendar import ical
from entrypoints.api.dependencies import Caller, use
from entrypoints.api.problems import problem, responses
from entrypoints.api.routing import PrefixRoute
from entrypoints.container.calendar import Calendar

router = APIRouter(prefix="/api/v1", tags=["calendar"], route_class=PrefixRoute)
ICS = "text/calendar; charset=utf-8"


class ImportedOut(BaseModel):
    index: int = Field(description="the VEVENT's position in the file, from 0")
    uid: str | None
    title: str | None
    status: str = Field(description="created, or skipped when this calendar already holds the event")
    event_id: UUID
    reminders: int


class EventImportOut(BaseModel):
    created: int
    items: list[ImportedOut]


@router.post("/events/import", status_code=201, response_model=EventImportOut, responses=responses(401, 413, 422))
async def import_events(
    caller: Caller, file: Annotated[UploadFile, File(description="an .ics file")],
    import_events: ical.ImportEvents = use(Calendar.import_events),
) -> EventImportOut | JSONResponse:
    """Import an iCalendar file's events, with their alarms as in-app reminders; one invalid event imports
    nothing (422 lists every problem as `items[<index>].<field>`)."""
    try:
        report = await import_events(caller.account_id, await file.read())
    except ical.ImportRejected as rejected:
        errors = [{"location": "file", "field": f"items[{p.index}].{p.field}", "message": p.message}
                  for p in rejected.problems]
        return problem(422, rejected.code, rejected.title, rejected.detail, errors=errors)
    return EventImportOut(created=report.created, items=[ImportedOut(
        index=i.index, uid=i.uid, title=i.title, status=i.status, event_id=i.event_id, reminders=i.reminders,
    ) for i in report.items])


@router.get("/calendar.ics", response_class=Response, responses={
    200: {"content": {ICS: {}}, "description": "the caller's events as iCalendar"}, **responses(401)})
async def export_calendar(caller: Caller, export: ical.ExportCalendar = use(Calendar.export_calendar)) -> Response:
    """The caller's live events as an .ics file: series with RRULE/EXDATE, reminders as VALARMs."""
    return Response(await export(caller.account_id), media_type=ICS,
                    headers={"Content-Disposition": 'attachment; filename="atrium.ics"', "Cache-Control": "no-store"})
