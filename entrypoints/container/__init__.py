"""The composition root: the one place that knows which adapter serves which port."""

import asyncio
import operator
from datetime import timedelta
from pathlib import Path

from dependency_injector import containers, providers
from pydantic import SecretStr

from adapters.blobs import FilesystemBlobStore, MemoryBlobStore
from adapters.clock import SystemClock
from adapters.ended_sessions import EndedSessionList
from adapters.ids import Uuid7Generator
from adapters.imaging.openai_generator import OpenAIImageGenerator
from adapters.imaging.pillow_generator import PillowImageGenerator
from adapters.memory.rate_limiter import MemoryRateLimiter
from adapters.memory.store import MemoryStore
from adapters.memory.unit_of_work import MemoryUnitOfWork
from adapters.passwords import Argon2PasswordHasher
from adapters.postgres.database import create_engine
from adapters.postgres.ended_sessions import PostgresEndedSessionFeed
from adapters.postgres.rate_limiter import PostgresRateLimiter
from adapters.postgres.readiness import PostgresReadiness, always_ready
from adapters.postgres.unit_of_work import PostgresUnitOfWork
from adapters.randomness import SystemRandomSource
from adapters.tokens import JwtTokenService
from application.identity.accounts import ChangePassword, GetAccount, RegisterAccount, UpdateProfile
from application.identity.api_keys import (
    AuthenticateApiKey, CreateApiKey, ListApiKeys, RefundUsage, RevokeApiKey, RollApiKey, VerifyApiKey,
)
from application.identity.rate_limits import (
    FAILED_LOGINS_PER_ADDRESS, FAILED_LOGINS_PER_DAY, FAILED_LOGINS_PER_HOUR, LOGINS_PER_IP, REGISTRATIONS_PER_IP,
    RateLimitedLogin, RateLimitedRegister,
)
from application.identity.sessions import (
    Authenticate, Login, Logout, RefreshSession, RequireLiveSession, SessionIssuer,
)
from application.identity.usage import GetUsage
from application.imaging.generations import GenerateImage, GetImage, ListGenerations, PurgeIdempotencyKeys
from application.ledger.budgets import (
    CreateBudget, DeleteBudget, GetBudget, GetBudgetProgress, ListBudgets, UpdateBudget,
)
from application.ledger.categories import (
    CreateCategory, DefaultCategoriesForNewAccounts, DeleteCategory, ListCategories, UpdateCategory,
)
from application.ledger.csv_io import ExportExpensesCsv, ImportExpensesCsv
from application.ledger.expenses import CreateExpense, DeleteExpense, GetExpense, ListExpenses, UpdateExpense
from application.ledger.reports import GetMonthlyReport, GetSummary
from adapters.icalendar_codec import IcalendarCodec
from adapters.notifiers.email import SmtpEmailNotifier
from adapters.notifiers.in_app import InAppNotifier
from adapters.notifiers.webhook import WebhookNotifier
from adapters.recurrence import DateutilRecurrenceExpander
from adapters.resolver import SystemResolver
from application.calendar import dispatch, events, feed, ical, inbox, notes, reminders, webhooks
from domain.calendar.reminder import Channel
from domain.identity.rate_limit import RateLimit
from entrypoints.settings import Settings, trusted_networks


def _blob_root(data_dir: Path) -> Path:
    return Path(data_dir) / "blobs"


def _secret(value: SecretStr | None) -> str:
    return "" if value is None else value.get_secret_value()


def _email_notifier(uow, settings: Settings) -> SmtpEmailNotifier | None:
    """The SMTP notifier when ATRIUM_SMTP_HOST is set, else None (no email channel)."""
    if not settings.smtp_host:
        return None
    return SmtpEmailNotifier(
        uow, host=settings.smtp_host, port=settings.smtp_port, sender=settings.smtp_sender,
        security=settings.smtp_security, username=settings.smtp_username,
        password=_secret(settings.smtp_password) or None, timeout=settings.smtp_timeout_seconds,
    )


def _notifiers(in_app, webhook, email) -> dict[Channel, object]:
    found = {Channel.IN_APP: in_app, Channel.WEBHOOK: webhook}
    return found if email is None else found | {Channel.EMAIL: email}


class Container(containers.DeclarativeContainer):
    settings = providers.Dependency(instance_of=Settings)
    config = providers.Configuration()

    # --- infrastructure -------------------------------------------------------
    clock = providers.Singleton(SystemClock)
    ids = providers.Singleton(Uuid7Generator)
    hasher = providers.Singleton(Argon2PasswordHasher)
    tokens = providers.Singleton(
        JwtTokenService,
        secret=providers.Callable(Settings.resolved_jwt_secret, settings),
        ttl=providers.Callable(timedelta, seconds=config.access_token_ttl_seconds),
    )
    engine = providers.Singleton(
        create_engine, url=config.database_url, pool_size=config.db_pool_size,
        max_overflow=config.db_max_overflow, connect_timeout=config.db_connect_timeout_seconds,
    )
    connection_gate = providers.Singleton(
        asyncio.Semaphore, providers.Callable(operator.add, config.db_pool_size, config.db_max_overflow))
    memory_store = providers.Singleton(MemoryStore)
    uow = providers.Selector(
        config.storage,
        postgres=providers.Factory(PostgresUnitOfWork, engine=engine, gate=connection_gate),
        memory=providers.Factory(MemoryUnitOfWork, store=memory_store),
    )
    readiness = providers.Selector(
        config.storage,
        postgres=providers.Singleton(PostgresReadiness, engine=engine),
        memory=providers.Object(always_ready),
    )

    # --- identity -------------------------------------------------------------
    session_issuer = providers.Singleton(
        SessionIssuer, ids=ids, tokens=tokens,
        refresh_ttl=providers.Callable(timedelta, days=config.refresh_token_ttl_days),
    )
    register_account = providers.Factory(
        RegisterAccount, uow=uow.provider, clock=clock, ids=ids, hasher=hasher,
        on_registered=providers.List(providers.Factory(DefaultCategoriesForNewAccounts, ids=ids)))
    get_account = providers.Factory(GetAccount, uow=uow.provider)
    update_profile = providers.Factory(UpdateProfile, uow=uow.provider, clock=clock)
    # Kept a minute longer than an access token lives, for clocks a little apart.
    ended_sessions_kept = providers.Callable(
        timedelta, seconds=providers.Callable(operator.add, config.access_token_ttl_seconds, 60))
    ended_sessions = providers.Selector(
        config.storage,
        postgres=providers.Singleton(EndedSessionList, clock=clock, keep=ended_sessions_kept,
                                     feed=providers.Singleton(PostgresEndedSessionFeed, engine=engine,
                                                              gate=connection_gate)),
        memory=providers.Singleton(EndedSessionList, clock=clock, keep=ended_sessions_kept),
    )
    change_password = providers.Factory(ChangePassword, uow=uow.provider, clock=clock, hasher=hasher,
                                        ended=ended_sessions)
    login = providers.Factory(Login, uow=uow.provider, clock=clock, ids=ids, hasher=hasher, issuer=session_issuer)
    refresh_session = providers.Factory(RefreshSession, uow=uow.provider, clock=clock, issuer=session_issuer,
                                        ended=ended_sessions)
    logout = providers.Factory(Logout, uow=uow.provider, clock=clock, ended=ended_sessions)
    authenticate = providers.Factory(Authenticate, clock=clock, tokens=tokens, ended=ended_sessions)
    require_live_session = providers.Factory(RequireLiveSession, uow=uow.provider)

    # --- api access and imaging ---------------------------------------------
    random = providers.Singleton(SystemRandomSource)
    trusted_proxies = providers.Singleton(trusted_networks, config.trusted_proxies)
    rate_limiter = providers.Selector(
        config.storage,
        postgres=providers.Singleton(PostgresRateLimiter, engine=engine),
        memory=providers.Singleton(MemoryRateLimiter),
    )
    blobs = providers.Selector(
        config.storage,
        postgres=providers.Singleton(FilesystemBlobStore, root=providers.Callable(_blob_root, config.data_dir)),
        memory=providers.Singleton(MemoryBlobStore),
    )
    image_generator = providers.Selector(
        config.image_provider,
        offline=providers.Singleton(PillowImageGenerator),
        openai=providers.Singleton(
            OpenAIImageGenerator, base_url=config.openai_base_url,
            api_key=providers.Callable(_secret, config.openai_api_key), model=config.openai_model,
            timeout=config.image_timeout_seconds, size=config.openai_image_size,
        ),
    )
    api_key_rate_limit = providers.Singleton(
        RateLimit, count=config.api_key_rate_per_second, period=providers.Object(timedelta(seconds=1)),
        burst=config.api_key_rate_burst,
    )
    rate_limited_login = providers.Factory(
        RateLimitedLogin, login=login, limiter=rate_limiter, clock=clock,
        per_ip=providers.Singleton(RateLimit, config.login_attempts_per_ip, LOGINS_PER_IP.period),
        failures_per_address=providers.Singleton(
            RateLimit, config.login_failures_per_address, FAILED_LOGINS_PER_ADDRESS.period),
        failures_per_identifier=providers.Callable(
            tuple, providers.List(
                providers.Singleton(RateLimit, config.login_failures_per_hour, FAILED_LOGINS_PER_HOUR.period),
                providers.Singleton(RateLimit, config.login_failures_per_day, FAILED_LOGINS_PER_DAY.period))),
    )
    rate_limited_register = providers.Factory(
        RateLimitedRegister, register=register_account, limiter=rate_limiter, clock=clock,
        per_ip=providers.Singleton(RateLimit, config.registrations_per_ip, REGISTRATIONS_PER_IP.period),
    )
    create_api_key = providers.Factory(
        CreateApiKey, uow=uow.provider, clock=clock, ids=ids, random=random,
        default_daily_quota=config.api_key_default_daily_quota,
    )
    list_api_keys = providers.Factory(ListApiKeys, uow=uow.provider)
    revoke_api_key = providers.Factory(RevokeApiKey, uow=uow.provider, clock=clock)
    roll_api_key = providers.Factory(RollApiKey, uow=uow.provider, clock=clock, random=random)
    authenticate_api_key = providers.Factory(
        AuthenticateApiKey, uow=uow.provider, clock=clock, limiter=rate_limiter, rate_limit=api_key_rate_limit)
    verify_api_key = providers.Factory(VerifyApiKey, uow=uow.provider, clock=clock, authenticate=authenticate_api_key)
    refund_usage = providers.Factory(RefundUsage, uow=uow.provider)
    get_usage = providers.Factory(GetUsage, uow=uow.provider, clock=clock)
    generate_image = providers.Factory(
        GenerateImage, uow=uow.provider, clock=clock, ids=ids, generator=image_generator, blobs=blobs)
    get_image = providers.Factory(GetImage, uow=uow.provider, blobs=blobs)
    list_generations = providers.Factory(ListGenerations, uow=uow.provider)
    purge_idempotency_keys = providers.Factory(PurgeIdempotencyKeys, uow=uow.provider, clock=clock)

    # --- ledger ---------------------------------------------------------------
    list_categories = providers.Factory(ListCategories, uow=uow.provider)
    create_category = providers.Factory(CreateCategory, uow=uow.provider, clock=clock, ids=ids)
    update_category = providers.Factory(UpdateCategory, uow=uow.provider, clock=clock)
    delete_category = providers.Factory(DeleteCategory, uow=uow.provider, clock=clock)
    create_expense = providers.Factory(CreateExpense, uow=uow.provider, clock=clock, ids=ids)
    get_expense = providers.Factory(GetExpense, uow=uow.provider)
    update_expense = providers.Factory(UpdateExpense, uow=uow.provider, clock=clock)
    delete_expense = providers.Factory(DeleteExpense, uow=uow.provider)
    list_expenses = providers.Factory(ListExpenses, uow=uow.provider)
    export_expenses_csv = providers.Factory(ExportExpensesCsv, uow=uow.provider)
    import_expenses_csv = providers.Factory(ImportExpensesCsv, uow=uow.provider, clock=clock, ids=ids)
    create_budget = providers.Factory(CreateBudget, uow=uow.provider, clock=clock, ids=ids)
    get_budget = providers.Factory(GetBudget, uow=uow.provider)
    list_budgets = providers.Factory(ListBudgets, uow=uow.provider)
    update_budget = providers.Factory(UpdateBudget, uow=uow.provider, clock=clock)
    delete_budget = providers.Factory(DeleteBudget, uow=uow.provider)
    budget_progress = providers.Factory(GetBudgetProgress, uow=uow.provider, clock=clock)
    monthly_report = providers.Factory(GetMonthlyReport, uow=uow.provider)
    summary = providers.Factory(GetSummary, uow=uow.provider, clock=clock)


    # --- calendar -------------------------------------------------------------
    recurrence = providers.Singleton(DateutilRecurrenceExpander)
    host_resolver = providers.Singleton(SystemResolver, timeout=config.webhook_timeout_seconds)
    calendar_codec = providers.Singleton(IcalendarCodec)
    notifiers = providers.Singleton(
        _notifiers,
        in_app=providers.Singleton(InAppNotifier, uow=uow.provider, clock=clock, ids=ids),
        webhook=providers.Singleton(WebhookNotifier, uow=uow.provider, resolver=host_resolver,
                                    timeout=config.webhook_timeout_seconds,
                                    allow_private_networks=config.webhook_allow_private_networks),
        email=providers.Singleton(_email_notifier, uow.provider, settings),
    )
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


def build_container(settings: Settings | None = None) -> Container:
    """A container configured from `settings` (default: the environment)."""
    settings = settings or Settings()
    container = Container(settings=settings)
    container.config.from_dict(settings.model_dump(mode="python"))
    return container
