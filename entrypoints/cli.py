"""The `atrium` command: serve, migrate, create-account, worker, reminders dispatch, fitness adapt, delivery sync,
seed-demo."""

import asyncio
import gc
import importlib
import logging
import os
import signal
import time
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer
from pydantic import SecretStr

from entrypoints.logs import configure_logging
from entrypoints.settings import MissingSecret, Settings

if TYPE_CHECKING:  # imported where used, so that `atrium --help` stays quick
    from application.identity.accounts import RegisterAccount
    from domain.identity.account import Account
    from entrypoints.container import Container

T = TypeVar("T")
log = logging.getLogger("atrium.cli")
app = typer.Typer(help="Atrium: one backend, five products.", no_args_is_help=True, add_completion=False)


def _echo(message: str) -> None:
    typer.echo(message, err=True)


@contextmanager
def database(settings: Settings, *, migrate: bool = True, say: Callable[[str], None] = _echo,
             meanwhile: Callable[[], object] = lambda: None) -> Iterator[Settings]:
    """Settings with a database URL: the configured one, else the embedded server's (stopped on exit), as the app
    role; with `migrate`, the app role prepared and the migrations applied first, as the schema's owner (the
    embedded server's superuser, else ATRIUM_MIGRATION_DATABASE_URL, else ATRIUM_DATABASE_URL). `say` tells what it
    does: on stderr, or in the log of a command that logs. `meanwhile` runs here while the embedded server starts
    on a thread (it imports nothing, so `meanwhile` may import anything)."""
    if settings.storage == "memory":
        meanwhile()
        yield settings
        return
    embedded = None
    try:
        if settings.database_url:
            meanwhile()
        else:
            from adapters.postgres.embedded import EmbeddedPostgres
            from adapters.postgres.roles import as_role

            # The secrets this machine generates: once the embedded URL is set, settings would require them given.
            secrets = {"jwt_secret": settings.resolved_jwt_secret(), "secret_key": settings.resolved_secret_key()}
            embedded = EmbeddedPostgres(settings.data_dir / "postgres")
            say(f"Starting the embedded PostgreSQL in {embedded.data_dir} …")
            with ThreadPoolExecutor(1, thread_name_prefix="atrium-postgres-start") as starting:
                started = starting.submit(embedded.start)
                meanwhile()
                owner_url = started.result()
            settings = settings.model_copy(update={
                "database_url": as_role(owner_url, settings.app_role), "migration_database_url": owner_url,
                **{name: SecretStr(value) for name, value in secrets.items()}})
            os.environ.update({"ATRIUM_DATABASE_URL": settings.database_url or "",  # for uvicorn's workers
                               **{f"ATRIUM_{name.upper()}": value for name, value in secrets.items()}})
        if migrate:
            from adapters.postgres.roles import migrate as migrate_as_owner

            migrate_as_owner(settings.owner_database_url(), settings.database_url or "", settings.app_role)
        yield settings
    finally:
        if embedded is not None:
            say("Stopping the embedded PostgreSQL …")
            embedded.stop()


def prepare_object_store(settings: Settings, say: Callable[[str], None] = _echo) -> None:
    """Create the bucket of ATRIUM_BLOB_STORE_URL unless it exists, waiting up to a minute for the store to answer
    (a container starting beside it); exit 1 when it refuses or stays away."""
    if not settings.blob_store_url:
        return
    from adapters.clock import SystemClock
    from adapters.object_store import S3BlobStore, S3Location
    from application.shared.errors import StorageUnavailable, UpstreamFailed
    from entrypoints.settings import revealed

    location = S3Location.parse(settings.blob_store_url)

    async def ensure() -> bool:
        store = S3BlobStore(location, access_key_id=settings.s3_access_key_id or "",
                            secret_access_key=revealed(settings.s3_secret_access_key), clock=SystemClock(),
                            timeout=settings.blob_store_timeout_seconds)
        deadline = time.monotonic() + 60
        try:
            while True:
                try:
                    return await store.ensure_bucket()
                except StorageUnavailable:
                    if time.monotonic() > deadline:
                        raise
                    await asyncio.sleep(1)
        finally:
            await store.aclose()

    try:
        created = asyncio.run(ensure())
    except (StorageUnavailable, UpstreamFailed) as error:
        say(f"error: the object store's bucket {location.bucket}: {error}")
        raise typer.Exit(1) from None
    say(f"{'Created' if created else 'Using'} the object store's bucket {location.bucket}")


def _exit(signum: int, frame: object) -> None:
    raise SystemExit(0)


@app.command()
def serve(
    host: Annotated[str, typer.Option(envvar="HOST")] = "127.0.0.1",
    port: Annotated[int, typer.Option(envvar="PORT")] = 8000,
    workers: Annotated[int, typer.Option(envvar="WORKERS", min=1)] = 1,
) -> None:
    """Serve the HTTP API (migrating the database first)."""
    import uvicorn

    from entrypoints.allocator import tune_allocator, worker_environment

    tune_allocator()  # before the log's writer thread starts
    settings = Settings()
    configure_logging(settings.log_level, settings.log_format)
    if settings.storage == "memory" and workers > 1:
        log.warning("ATRIUM_STORAGE=memory keeps data per process: serving with 1 worker.")
        workers = 1
    try:  # on a database of its own, both must be given: say so before starting anything
        settings.resolved_jwt_secret(), settings.resolved_secret_key()
    except MissingSecret as error:
        log.error("%s", error)
        raise typer.Exit(2) from None
    # uvicorn re-raises SIGTERM after its graceful shutdown: exit normally so the database stops too.
    signal.signal(signal.SIGTERM, _exit)
    # One worker serves from this process: its imports (about a second) overlap the embedded server's start, with
    # the cyclic collector paused until the app is built (app_from_env turns it on, tuned, with startup frozen).
    app_imports = (lambda: importlib.import_module("entrypoints.api.main")) if workers == 1 else (lambda: None)
    if workers == 1:
        gc.disable()
    with database(settings, say=log.info, meanwhile=app_imports):
        prepare_object_store(settings, say=log.info)
        log.info("Atrium on http://%s:%s (storage: %s, workers: %s)", host, port, settings.storage, workers)
        if workers > 1:
            os.environ.update({**worker_environment(), **os.environ})  # the operator's own MALLOC_* win
        # log_config=None: uvicorn's records go through the handler configure_logging set up, not its own; its
        # access log stays off (it would log raw paths, and a feed URL's path is its secret): ours logs templates.
        uvicorn.run("entrypoints.api.main:app_from_env", factory=True, host=host, port=port,
                    workers=workers, log_level=settings.log_level, log_config=None, access_log=False,
                    loop="uvloop", http="httptools", proxy_headers=False)


@app.command()
def migrate(
    action: Annotated[str, typer.Argument(help="upgrade | downgrade | current")] = "upgrade",
    revision: Annotated[str, typer.Argument(help="target revision")] = "",
) -> None:
    """Apply, revert or show database migrations."""
    from adapters.postgres import migrations

    settings = Settings()
    if settings.storage == "memory":
        raise typer.BadParameter("ATRIUM_STORAGE=memory has no database to migrate")
    with database(settings, migrate=False) as settings:
        url = settings.owner_database_url()
        if action == "upgrade":
            if revision:
                migrations.upgrade(url, revision)
            else:  # the app role too: created if missing, granted every table
                from adapters.postgres.roles import migrate as migrate_as_owner

                migrate_as_owner(url, settings.database_url or "", settings.app_role)
            prepare_object_store(settings)
        elif action == "downgrade":
            if not revision:
                raise typer.BadParameter("downgrade needs a target revision, e.g. -1 or base")
            migrations.downgrade(url, revision)
        elif action == "current":
            migrations.current(url)
        else:
            raise typer.BadParameter(f"unknown action {action!r}: upgrade, downgrade or current")


@app.command("create-account")
def create_account(
    email: Annotated[str, typer.Option(prompt=True)],
    username: Annotated[str, typer.Option(prompt=True)],
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)],
    full_name: Annotated[str, typer.Option()] = "",
) -> None:
    """Create an account from the command line."""
    from domain.shared.errors import DomainError
    from entrypoints.container import build_container

    with database(Settings()) as settings:
        container = build_container(settings)

        async def run() -> "Account":
            try:
                register: RegisterAccount = container.identity.register_account()
                return await register(
                    email=email, username=username, password=password, full_name=full_name or None)
            finally:
                if settings.storage == "postgres":
                    await container.infrastructure.engine().dispose()

        try:
            account = asyncio.run(run())
        except DomainError as error:
            typer.echo(f"error: {error.detail}", err=True)
            raise typer.Exit(1) from None
    typer.echo(f"created account {account.id} ({account.email})")


def _in_container(settings: Settings, work: "Callable[[Container], Awaitable[T]]") -> T:
    """Run `work(container)` on a container for `settings`, closing the engine afterwards."""
    from entrypoints.container import build_container

    container = build_container(settings)

    async def run() -> T:
        try:
            return await work(container)
        finally:
            if settings.storage == "postgres":
                await container.infrastructure.engine().dispose()

    return asyncio.run(run())


def _shared_storage(settings: Settings) -> None:
    if settings.storage == "memory":
        typer.echo("ATRIUM_STORAGE=memory keeps data inside the API process: a separate worker cannot see it.",
                   err=True)
        raise typer.Exit(2)


@app.command()
def worker(
    interval: Annotated[float | None, typer.Option(min=0.1, help="seconds between passes "
                                                   "(default: ATRIUM_WORKER_INTERVAL_SECONDS)")] = None,
) -> None:
    """Deliver due reminders, adapt fitness plans weekly, sync delivery sources on their schedule and purge what
    expired, every interval, until SIGINT/SIGTERM."""
    from entrypoints import delivery_sync
    from entrypoints import worker as background

    settings = Settings()
    configure_logging(settings.log_level, settings.log_format)
    _shared_storage(settings)
    seconds = interval or settings.worker_interval_seconds

    async def work(container: "Container") -> None:
        async with delivery_sync.scheduled(container, seconds):
            await background.run(container, seconds)

    with database(settings, say=log.info) as settings:
        _in_container(settings, work)


reminders_app = typer.Typer(help="Reminder delivery.", no_args_is_help=True)
app.add_typer(reminders_app, name="reminders")


@reminders_app.command("dispatch")
def dispatch_reminders(
    once: Annotated[bool, typer.Option("--once", help="one pass, then exit (for cron)")] = False,
) -> None:
    """Deliver due reminders: one pass with --once, else every ATRIUM_WORKER_INTERVAL_SECONDS until stopped."""
    from entrypoints import worker as background

    settings = Settings()
    configure_logging(settings.log_level, settings.log_format)
    _shared_storage(settings)
    with database(settings, say=log.info) as settings:
        if not once:
            _in_container(settings, lambda c: background.run(c, settings.worker_interval_seconds, purge=False))
            return
        report = _in_container(settings, background.dispatch_due)
    typer.echo(" ".join(f"{key}={value}" for key, value in report.items()))


fitness_app = typer.Typer(help="Fitness plans.", no_args_is_help=True)
app.add_typer(fitness_app, name="fitness")


@fitness_app.command("adapt")
def adapt_fitness_plans(
    once: Annotated[bool, typer.Option("--once", help="one pass, then exit (for cron)")] = False,
) -> None:
    """Adapt the workout plans that opted in, once per ISO week each: one pass with --once (run it from cron as
    often as you like; a plan already adapted this week is left alone), else the worker's loop."""
    from entrypoints import worker as background

    settings = Settings()
    configure_logging(settings.log_level, settings.log_format)
    _shared_storage(settings)
    with database(settings, say=log.info) as settings:
        if not once:
            _in_container(settings, lambda c: background.run(c, settings.worker_interval_seconds))
            return
        report = _in_container(settings, lambda c: background.fitness_pass(c, purge=True))
    typer.echo(" ".join(f"{key}={value}" for key, value in report.items()))


delivery_app = typer.Typer(help="Delivery metrics: syncing sources.", no_args_is_help=True)
app.add_typer(delivery_app, name="delivery")


@delivery_app.command("sync")
def delivery_sync_once(
    source: Annotated[str | None, typer.Option("--source", help="only this source's id (default: every source)")] = None,
) -> None:
    """One pass for cron: queue a sync of every source (or one) not syncing now, run what is queued, then exit."""
    from uuid import UUID

    from entrypoints import delivery_sync

    try:
        source_id = None if source is None else UUID(source)
    except ValueError:
        raise typer.BadParameter("--source must be a source id (a UUID)") from None
    settings = Settings()
    configure_logging(settings.log_level, settings.log_format)
    _shared_storage(settings)
    with database(settings, say=log.info) as settings:
        report = _in_container(settings, lambda c: delivery_sync.sync_once(c, source_id))
    typer.echo(f"succeeded={report.succeeded} failed={report.failed} postponed={report.postponed}")


@app.command("seed-demo")
def seed_demo(
    password: Annotated[str | None, typer.Option(envvar="ATRIUM_DEMO_PASSWORD", show_envvar=True,
                                                 help="the demo account's password (default: generated)")] = None,
) -> None:
    """Create the demo account (demo@example.com, username demo) and sample data; safe to run again."""
    from entrypoints.demo import DEMO_EMAIL, DEMO_USERNAME, seed_demo as seed

    with database(Settings()) as settings:
        account, new_password = _in_container(settings, lambda c: seed(c, password))
    typer.echo(f"demo account {account.email} (username {DEMO_USERNAME}) is ready with sample data")
    if new_password and not password:
        typer.echo(f"password (shown once): {new_password}")
    elif not new_password:
        typer.echo(f"{DEMO_EMAIL} existed already: its password is unchanged")


def main() -> None:
    app()
