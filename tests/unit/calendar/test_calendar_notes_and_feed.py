from datetime import timedelta

import pytest

from domain.calendar.event import EventNotFound
from domain.calendar.feed import CalendarFeedNotFound
from domain.calendar.note import NoteNotFound
from domain.identity.session import hash_secret
from domain.shared.errors import InvalidValue


@pytest.fixture
async def event(cal, owner):
    start = cal.clock.now() + timedelta(days=1)
    return await cal.create_event(owner, title="Offsite", start_time=start, end_time=start + timedelta(hours=8))


async def test_notes_are_markdown_kept_in_order_editable_and_removable(cal, owner, event):
    first = await cal.create_note(owner, event.id, body="## Agenda\n- budget\n")
    second = await cal.create_note(owner, event.id, body="x" * 10_000)
    assert first.body == "## Agenda\n- budget"
    page = await cal.list_notes(owner, event.id, limit=1)
    assert page.items == [first]
    assert (await cal.list_notes(owner, event.id, cursor=page.next_cursor)).items == [second]

    cal.clock.advance(minutes=1)
    edited = await cal.update_note(owner, first.id, body="## Agenda\n- budget\n- hiring")
    assert (edited.body.count("-"), edited.updated_at, edited.created_at) == (2, cal.clock.now(), first.created_at)
    await cal.delete_note(owner, second.id)
    assert (await cal.list_notes(owner, event.id)).items == [edited]
    with pytest.raises(NoteNotFound):
        await cal.delete_note(owner, second.id)


@pytest.mark.parametrize("body", ["", "  \n ", "x" * 10_001])
async def test_a_note_must_have_text_of_at_most_ten_thousand_characters(cal, owner, event, rows, body):
    with pytest.raises(InvalidValue) as error:
        await cal.create_note(owner, event.id, body=body)
    assert error.value.field == "body" and rows() == 1


async def test_notes_of_a_deleted_event_are_hidden_until_it_is_restored(cal, owner, event):
    note = await cal.create_note(owner, event.id, body="pack lunch")
    await cal.delete_event(owner, event.id)
    with pytest.raises(EventNotFound):
        await cal.list_notes(owner, event.id)
    with pytest.raises(NoteNotFound):
        await cal.update_note(owner, note.id, body="pack dinner")
    await cal.restore_event(owner, event.id)
    assert (await cal.list_notes(owner, event.id)).items == [note]


async def test_the_feed_token_is_stored_hashed_rotates_and_can_be_revoked(cal, owner, stranger, event):
    await cal.issue_calendar_feed(stranger)
    issued = await cal.issue_calendar_feed(owner)
    assert issued.token.startswith("cal_") and issued.feed.token_hash == hash_secret(issued.token)
    assert issued.token not in repr(issued.feed)
    assert b"SUMMARY:Offsite" in await cal.export_calendar_feed(issued.token)  # the owner's calendar

    rotated = await cal.issue_calendar_feed(owner)
    assert rotated.feed.id == issued.feed.id and rotated.token != issued.token
    with pytest.raises(CalendarFeedNotFound):
        await cal.export_calendar_feed(issued.token)
    assert b"SUMMARY:Offsite" in await cal.export_calendar_feed(rotated.token)

    await cal.revoke_calendar_feed(owner)
    await cal.revoke_calendar_feed(owner)
    with pytest.raises(CalendarFeedNotFound):
        await cal.export_calendar_feed(rotated.token)
