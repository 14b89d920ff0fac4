"""The composition root: the one place that knows which adapter serves which port."""

from datetime import timedelta

from dependency_injector import containers, providers

from adapters.clock import SystemClock
from adapters.ids import Uuid7Generator
from adapters.memory.store import MemoryStore
from adapters.memory.unit_of_work import MemoryUnitOfWork
from adapters.passwords import Argon2PasswordHasher
from adapters.postgres.database import create_engine
from adapters.postgres.readiness import PostgresReadiness, always_ready
from adapters.postgres.unit_of_work import PostgresUnitOfWork
from adapters.tokens import JwtTokenService
from application.identity.accounts import ChangePassword, GetAccount, RegisterAccount, UpdateProfile
from application.identity.sessions import Authenticate, Login, Logout, RefreshSession, SessionIssuer
from entrypoints.settings import Settings


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
    memory_store = providers.Singleton(MemoryStore)
    uow = providers.Selector(
        config.storage,
        postgres=providers.Factory(PostgresUnitOfWork, engine=engine),
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
    register_account = providers.Factory(RegisterAccount, uow=uow.provider, clock=clock, ids=ids, hasher=hasher)
    get_account = providers.Factory(GetAccount, uow=uow.provider)
    update_profile = providers.Factory(UpdateProfile, uow=uow.provider, clock=clock)
    change_password = providers.Factory(ChangePassword, uow=uow.provider, clock=clock, hasher=hasher)
    login = providers.Factory(Login, uow=uow.provider, clock=clock, ids=ids, hasher=hasher, issuer=session_issuer)
    refresh_session = providers.Factory(RefreshSession, uow=uow.provider, clock=clock, issuer=session_issuer)
    logout = providers.Factory(Logout, uow=uow.provider, clock=clock)
    authenticate = providers.Factory(Authenticate, clock=clock, tokens=tokens)


def build_container(settings: Settings | None = None) -> Container:
    """A container configured from `settings` (default: the environment)."""
    settings = settings or Settings()
    container = Container(settings=settings)
    container.config.from_dict(settings.model_dump(mode="python"))
    return container
