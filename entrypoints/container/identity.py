"""The identity context: accounts, sessions and tokens, login limits, API keys and their usage."""

import asyncio
import operator
from datetime import timedelta
from typing import Protocol

from dependency_injector import containers, providers
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.ended_sessions import EndedSessionList
from adapters.passwords import Argon2PasswordHasher
from adapters.postgres.ended_sessions import PostgresEndedSessionFeed
from adapters.tokens import JwtTokenService
from application.identity.accounts import ChangePassword, GetAccount, RegisterAccount, UpdateProfile
from application.identity.api_keys import AuthenticateApiKey, CreateApiKey, ListApiKeys, RevokeApiKey, RollApiKey
from application.identity.ports import ApiKeyUnitOfWork, IdentityUnitOfWork, RandomSource, RateLimiter
from application.identity.rate_limits import (
    FAILED_LOGINS_PER_ADDRESS, FAILED_LOGINS_PER_DAY, FAILED_LOGINS_PER_HOUR, LOGINS_PER_IP, REGISTRATIONS_PER_IP,
    RateLimitedLogin, RateLimitedRegister,
)
from application.identity.sessions import (
    Authenticate, Login, Logout, RefreshSession, RequireLiveSession, SessionIssuer,
)
from application.identity.usage import GetUsage
from application.shared.clock import Clock
from application.shared.ids import IdGenerator
from domain.identity.rate_limit import RateLimit
from entrypoints.settings import Settings


class IdentityStorage(IdentityUnitOfWork, ApiKeyUnitOfWork, Protocol):
    """The units of work identity's use cases open: accounts and sessions, API keys and usage."""


class Identity(containers.DeclarativeContainer):
    settings = providers.Dependency(instance_of=Settings)
    config = providers.Configuration()
    uow: providers.Dependency[IdentityStorage] = providers.Dependency()
    clock: providers.Dependency[Clock] = providers.Dependency()
    ids: providers.Dependency[IdGenerator] = providers.Dependency()
    random: providers.Dependency[RandomSource] = providers.Dependency()
    rate_limiter: providers.Dependency[RateLimiter] = providers.Dependency()
    engine: providers.Dependency[AsyncEngine] = providers.Dependency()
    connection_gate: providers.Dependency[asyncio.Semaphore] = providers.Dependency()

    hasher = providers.Singleton(Argon2PasswordHasher)
    tokens = providers.Singleton(
        JwtTokenService,
        secret=providers.Callable(Settings.resolved_jwt_secret, settings),
        ttl=providers.Callable(timedelta, seconds=config.access_token_ttl_seconds),
    )

    # --- accounts and sessions --------------------------------------------------
    session_issuer = providers.Singleton(
        SessionIssuer, ids=ids, tokens=tokens,
        refresh_ttl=providers.Callable(timedelta, days=config.refresh_token_ttl_days),
    )
    register_account = providers.Factory(
        RegisterAccount, uow=uow.provider, clock=clock, ids=ids, hasher=hasher)
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

    # --- login and registration limits --------------------------------------------
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

    # --- API keys and usage --------------------------------------------------------
    api_key_rate_limit = providers.Singleton(
        RateLimit, count=config.api_key_rate_per_second, period=providers.Object(timedelta(seconds=1)),
        burst=config.api_key_rate_burst,
    )
    create_api_key = providers.Factory(
        CreateApiKey, uow=uow.provider, clock=clock, ids=ids, random=random,
        default_daily_quota=config.api_key_default_daily_quota,
    )
    list_api_keys = providers.Factory(ListApiKeys, uow=uow.provider)
    revoke_api_key = providers.Factory(RevokeApiKey, uow=uow.provider, clock=clock)
    roll_api_key = providers.Factory(RollApiKey, uow=uow.provider, clock=clock, random=random)
    authenticate_api_key = providers.Factory(
        AuthenticateApiKey, uow=uow.provider, clock=clock, limiter=rate_limiter,
        rate_limit=api_key_rate_limit)
    get_usage = providers.Factory(GetUsage, uow=uow.provider, clock=clock)
