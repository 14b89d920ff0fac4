"""The calendar context: events with time zones and recurrence, reminders, notes, feeds."""
