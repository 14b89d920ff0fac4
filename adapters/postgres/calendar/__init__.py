"""PostgreSQL calendar repositories (SQLAlchemy Core, keyset pages, explicit row mapping), one module per aggregate."""

from adapters.postgres.calendar.events import (
    PostgresCalendarFeedRepository, PostgresCalendarWebhookRepository, PostgresEventRepository,
    PostgresNoteRepository, PostgresNotificationRepository, PostgresReminderRepository,
)

__all__ = [
    "PostgresCalendarFeedRepository", "PostgresCalendarWebhookRepository", "PostgresEventRepository",
    "PostgresNoteRepository", "PostgresNotificationRepository", "PostgresReminderRepository",
]
