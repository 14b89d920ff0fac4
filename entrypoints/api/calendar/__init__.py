"""Routes of the calendar context, one module per resource."""

from entrypoints.api.calendar import events, feed, ical, inbox, notes, reminders, webhook

routers = (events.router, ical.router, reminders.router, notes.router, inbox.router, feed.router, webhook.router)
