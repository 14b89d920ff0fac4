"""Use cases for logging in and out with rotating refresh tokens."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from application.identity.ports import (
    AccessClaims, EndedSessions, IdentityUnitOfWork, PasswordHasher, TokenService,
)
from application.shared.clock import Clock
from application.shared.ids import IdGenerator
from application.shared.unit_of_work import Purpose, UowFactory
from domain.identity.account import Account
from domain.identity.session import InvalidRefreshToken, RefreshToken, Session, SessionEnded, hash_secret
from domain.identity.values import normalize_email, normalize_username
from domain.shared.errors import AuthenticationFailed, DomainError

_NO_ACCOUNT = UUID(int=0)


class InvalidCredentials(AuthenticationFailed):
    code = "invalid_credentials"

    def __init__(self) -> None:
        super().__init__("the login or the password is wrong")


@dataclass(frozen=True, slots=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int


@dataclass
class SessionIssuer:
    """Adds refresh tokens to session families and signs access tokens."""

    ids: IdGenerator
    tokens: TokenService
    refresh_ttl: timedelta

    async def issue(self, uow: IdentityUnitOfWork, owner_id: UUID, family_id: UUID, now: datetime) -> TokenPair:
        """Add a fresh refresh token to the family (the caller commits) and sign an access token."""
        secret = self.tokens.new_refresh_secret()
        await uow.refresh_tokens.add(RefreshToken(
            id=self.ids.new_id(), owner_id=owner_id, family_id=family_id,
            token_hash=hash_secret(secret), issued_at=now, expires_at=now + self.refresh_ttl,
        ))
        access = self.tokens.issue_access_token(account_id=owner_id, session_id=family_id, now=now)
        return TokenPair(access.token, secret, access.expires_in)


@dataclass
class Login:
    """Exchange an email or username and a password for a new session's tokens."""

    uow: UowFactory[IdentityUnitOfWork]
    clock: Clock
    ids: IdGenerator
    hasher: PasswordHasher
    issuer: SessionIssuer

    async def __call__(self, *, login: str, password: str, client_address: str | None = None) -> TokenPair:
        return await self.sign_in(await self.find(login), password, client_address)

    async def sign_in(self, account: Account | None, password: str, client_address: str | None = None) -> TokenPair:
        """A new session's tokens for `account` if `password` is its password and it is active; InvalidCredentials
        otherwise (None costs the same hash check, so timing does not tell which logins exist)."""
        matches = await self.hasher.verify(account.password_hash if account else None, password)
        if account is None or not matches or not account.is_active:
            raise InvalidCredentials()
        rehash = self.hasher.needs_rehash(account.password_hash)
        new_hash = await self.hasher.hash(password) if rehash else None
        now = self.clock.now()
        async with self.uow(account=account.id) as uow:
            if new_hash is not None:
                await uow.accounts.save(account.with_password_hash(new_hash, now))
            session = Session(id=self.ids.new_id(), owner_id=account.id, started_at=now, client_address=client_address)
            await uow.sessions.add(session)
            pair = await self.issuer.issue(uow, account.id, session.id, now)
            await uow.commit()
        return pair

    async def signed_in_from(self, account: Account | None, client_address: str, since: datetime) -> bool:
        """True if a session of `account` started from `client_address` at or after `since` (None asks the same
        question of no account, so timing does not tell which logins exist)."""
        async with self.uow(account=account.id if account else None) as uow:
            return await uow.sessions.started_from(account.id if account else _NO_ACCOUNT, client_address, since)

    async def find(self, login: str) -> Account | None:
        """The account an email or username names, or None."""
        try:
            email = normalize_email(login) if "@" in login else None
            username = None if email else normalize_username(login)
        except DomainError:
            return None
        async with self.uow(purpose=Purpose.LOGIN) as uow:
            if email:
                return await uow.accounts.get_by_email(email)
            return await uow.accounts.get_by_username(username or "")


@dataclass
class RefreshSession:
    """Spend a refresh token for a new pair; a reused token ends its session."""

    uow: UowFactory[IdentityUnitOfWork]
    clock: Clock
    issuer: SessionIssuer
    ended: EndedSessions

    async def __call__(self, refresh_token: str) -> TokenPair:
        now = self.clock.now()
        token = await _token(self.uow, refresh_token)
        if token is None or token.revoked_at is not None or now >= token.expires_at:
            raise InvalidRefreshToken()
        async with self.uow(account=token.owner_id) as uow:
            if token.spent_at is not None or not await uow.refresh_tokens.spend(token.id, now):
                await uow.sessions.end(token.owner_id, token.family_id, now)
                await uow.commit()
                self.ended.add([token.family_id], now)
                raise InvalidRefreshToken()
            account = await uow.accounts.get(token.owner_id)
            if account is None or not account.is_active:
                raise InvalidRefreshToken()
            pair = await self.issuer.issue(uow, token.owner_id, token.family_id, now)
            await uow.commit()
        return pair


@dataclass
class Logout:
    """End the session a refresh token belongs to; unknown tokens change nothing."""

    uow: UowFactory[IdentityUnitOfWork]
    clock: Clock
    ended: EndedSessions

    async def __call__(self, refresh_token: str) -> None:
        now = self.clock.now()
        token = await _token(self.uow, refresh_token)
        if token is None:
            return
        async with self.uow(account=token.owner_id) as uow:
            await uow.sessions.end(token.owner_id, token.family_id, now)
            await uow.commit()
        self.ended.add([token.family_id], now)


@dataclass
class Authenticate:
    """Turn a bearer access token into the caller's claims, unless its session has ended as far as this process
    knows (no round trip)."""

    clock: Clock
    tokens: TokenService
    ended: EndedSessions

    async def __call__(self, token: str) -> AccessClaims:
        claims = self.tokens.verify_access_token(token, self.clock.now())
        if await self.ended.has_ended(claims.session_id):
            raise SessionEnded()
        return claims


@dataclass
class RequireLiveSession:
    """Refuse a session the database says has ended (or whose account is inactive): one statement, for the
    sensitive operations that must not wait until this process has learned of the end."""

    uow: UowFactory[IdentityUnitOfWork]

    async def __call__(self, claims: AccessClaims) -> None:
        async with self.uow(account=claims.account_id) as uow:
            live = await uow.sessions.is_live(claims.account_id, claims.session_id)
        if not live:
            raise SessionEnded()


async def _token(uow: UowFactory[IdentityUnitOfWork], refresh_token: str) -> RefreshToken | None:
    """The refresh token presented, found by its hash before its account is known (Purpose.REFRESH)."""
    async with uow(purpose=Purpose.REFRESH) as lookup:
        return await lookup.refresh_tokens.get_by_hash(hash_secret(refresh_token))
