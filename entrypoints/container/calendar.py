"""The calendar context: recurrence, iCalendar, reminder channels, and the calendar use cases."""



from dependency_injector import containers, providers

from adapters.notifiers.email import SmtpEmailNotifier
from adapters.notifiers.in_app import InAppNotifier
from adapters.notifiers.webhook import WebhookNotifier
from adapters.recurrence import DateutilRecurrenceExpander
from adapters.resolver import SystemResolver
from application.calendar import dispatch, events, feed, ical, inbox, notes, reminders, webhooks
from application.calendar.ports import CalendarCodec, CalendarUnitOfWork, Notifier
from application.shared.unit_of_work import UowFactory
from application.shared.clock import Clock
from application.shared.ids import IdGenerator
from domain.calendar.reminder import Channel
from entrypoints.settings import Settings, revealed


def _icalendar_codec() -> CalendarCodec:
    """The iCalendar codec, its library imported at the first feed or import rather than at every start."""
    from adapters.icalendar_codec import IcalendarCodec

    return IcalendarCodec()


def _email_notifier(uow: UowFactory[CalendarUnitOfWork], settings: Settings) -> SmtpEmailNotifier | None:
    """The SMTP notifier when ATRIUM_SMTP_HOST is set, else None (no email channel)."""
    if not settings.smtp_host:
        return None
    return SmtpEmailNotifier(
        uow, host=settings.smtp_host, port=settings.smtp_port, sender=settings.smtp_sender,
        security=settings.smtp_security, username=settings.smtp_username,
        password=revealed(settings.smtp_password) or None, timeout=settings.smtp_timeout_seconds,
    )


def _notifiers(in_app: Notifier, webhook: Notifier, email: Notifier | None) -> dict[Channel, Notifier]:
    found: dict[Channel, Notifier] = {Channel.IN_APP: in_app, Channel.WEBHOOK: webhook}
    return found if email is None else found | {Channel.EMAIL: email}


class Calendar(containers.DeclarativeContainer):
    settings = providers.Dependency(instance_of=Settings)
    config = providers.Configuration()
    uow: providers.Dependency[CalendarUnitOfWork] = providers.Dependency()
    clock: providers.Dependency[Clock] = providers.Dependency()
    ids: providers.Dependency[IdGenerator] = providers.Dependency()

    recurrence = providers.Singleton(DateutilRecurrenceExpander)
    host_resolver = providers.Singleton(SystemResolver, timeout=config.webhook_timeout_seconds)
    calendar_codec = providers.Singleton(_icalendar_codec)
    in_app_notifier = providers.Singleton(InAppNotifier, uow=uow.provider, clock=clock, ids=ids)
    webhook_notifier = providers.Singleton(
        WebhookNotifier, uow=uow.provider, resolver=host_resolver, timeout=config.webhook_timeout_seconds,
        allow_private_networks=config.webhook_allow_private_networks)
    email_notifier = providers.Singleton(_email_notifier, uow.provider, settings)
    notifiers = providers.Singleton(_notifiers, in_app=in_app_notifier, webhook=webhook_notifier, email=email_notifier)
    create_event = providers.Factory(events.CreateEvent, uow=uow.provider, clock=clock, ids=ids, recurrence=recurrence)
    get_event = providers.Factory(events.GetEvent, uow=uow.provider)
    list_events = providers.Factory(events.ListEvents, uow=uow.provider, clock=clock, recurrence=recurrence)
    update_event = providers.Factory(events.UpdateEvent, uow=uow.provider, clock=clock, recurrence=recurrence)
    delete_event = providers.Factory(events.DeleteEvent, uow=uow.provider, clock=clock)
    restore_event = providers.Factory(events.RestoreEvent, uow=uow.provider, clock=clock, recurrence=recurrence)
    purge_deleted_events = providers.Factory(events.PurgeDeletedEvents, uow=uow.provider, clock=clock)
    create_reminder = providers.Factory(
        reminders.CreateReminder, uow=uow.provider, clock=clock, ids=ids, recurrence=recurrence,
        channels=providers.Callable(frozenset, notifiers))
    list_event_reminders = providers.Factory(reminders.ListEventReminders, uow=uow.provider)
    list_reminders = providers.Factory(reminders.ListReminders, uow=uow.provider)
    delete_reminder = providers.Factory(reminders.DeleteReminder, uow=uow.provider)
    snooze_reminder = providers.Factory(reminders.SnoozeReminder, uow=uow.provider, clock=clock)
    dispatch_reminders = providers.Factory(
        dispatch.DispatchDueReminders, uow=uow.provider, clock=clock, recurrence=recurrence, notifiers=notifiers)
    create_note = providers.Factory(notes.CreateNote, uow=uow.provider, clock=clock, ids=ids)
    list_notes = providers.Factory(notes.ListNotes, uow=uow.provider)
    update_note = providers.Factory(notes.UpdateNote, uow=uow.provider, clock=clock)
    delete_note = providers.Factory(notes.DeleteNote, uow=uow.provider)
    list_notifications = providers.Factory(inbox.ListNotifications, uow=uow.provider)
    mark_notification_read = providers.Factory(inbox.MarkNotificationRead, uow=uow.provider, clock=clock)
    issue_calendar_feed = providers.Factory(feed.IssueCalendarFeed, uow=uow.provider, clock=clock, ids=ids)
    revoke_calendar_feed = providers.Factory(feed.RevokeCalendarFeed, uow=uow.provider)
    export_calendar = providers.Factory(ical.ExportCalendar, uow=uow.provider, codec=calendar_codec)
    export_calendar_feed = providers.Factory(ical.ExportCalendarFeed, uow=uow.provider, codec=calendar_codec)
    import_events = providers.Factory(
        ical.ImportEvents, uow=uow.provider, clock=clock, ids=ids, recurrence=recurrence, codec=calendar_codec)
    set_calendar_webhook = providers.Factory(
        webhooks.SetCalendarWebhook, uow=uow.provider, clock=clock, resolver=host_resolver,
        allow_private_networks=config.webhook_allow_private_networks)
    get_calendar_webhook = providers.Factory(webhooks.GetCalendarWebhook, uow=uow.provider)
    remove_calendar_webhook = providers.Factory(webhooks.RemoveCalendarWebhook, uow=uow.provider)
