"""Where a series occurs: its end, and its occurrences merged into a list page.

Expanding a rule is bounded work (see RecurrenceExpander) but can take milliseconds, so it runs in a worker
thread, never on the event loop.
"""

import asyncio
import heapq
from collections.abc import Iterator, Sequence
from datetime import timedelta
from itertools import islice

from application.calendar.ports import RecurrenceExpander
from domain.calendar.event import Event
from domain.calendar.occurrence import EventQuery, Occurrence, OccurrenceKey


async def with_series_end(expander: RecurrenceExpander, event: Event) -> Event:
    """Check the event's recurrence rule and record where its series ends."""
    if event.recurrence is None:
        return event
    return event.with_last_start(await asyncio.to_thread(expander.last_start, event))


async def first_occurrences(
    expander: RecurrenceExpander, singles: Sequence[Event], series: Sequence[Event], query: EventQuery, *,
    after: OccurrenceKey | None, limit: int,
) -> list[Occurrence]:
    """The first `limit` occurrences by key of the one-off events the repository found and of the series;
    each series is expanded only as far as the page reaches."""
    found = sorted((Occurrence(e, e.start_time, e.end_time) for e in singles), key=_key)
    if not series:
        return found[:limit]

    def merge() -> list[Occurrence]:
        streams = [series_occurrences(expander, event, query, after=after) for event in series]
        return list(islice(heapq.merge(found, *streams, key=_key), limit))

    return await asyncio.to_thread(merge)


def _key(occurrence: Occurrence) -> OccurrenceKey:
    return occurrence.key


def series_occurrences(
    expander: RecurrenceExpander, event: Event, query: EventQuery, *, after: OccurrenceKey | None
) -> Iterator[Occurrence]:
    """The occurrences of a recurring event meeting the query, by start, strictly after the key."""
    # An occurrence running across window_from began at most its length (+ a DST shift) earlier.
    try:
        since = query.window_from - (event.end_time - event.start_time) - timedelta(days=1)
    except OverflowError:  # a window opening before year 1: no occurrence starts before the series does
        since = event.start_time
    if after is not None:
        since = max(since, after[0])
    for start in expander.starts(event, since):
        if query.window_to is not None and start >= query.window_to:
            return
        occurrence = Occurrence(event, start, event.occurrence_end(start))
        if query.meets(occurrence.start, occurrence.end) and (after is None or occurrence.key > after):
            yield occurrence
