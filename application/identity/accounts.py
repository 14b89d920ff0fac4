"""Use cases on one's own account."""

from dataclasses import dataclass
from uuid import UUID

from application.identity.ports import EndedSessions, IdentityUnitOfWork, PasswordHasher
from application.shared.clock import Clock
from application.shared.ids import IdGenerator
from application.shared.unit_of_work import UowFactory
from domain.identity.account import Account
from domain.identity.events import AccountOpened
from domain.identity.values import check_password
from domain.shared.errors import Conflict, InvalidValue, NotFound



class AccountNotFound(NotFound):
    code = "account_not_found"

    def __init__(self) -> None:
        super().__init__("the account does not exist")


@dataclass
class RegisterAccount:
    """Create an account (and, through AccountOpened, what other contexts give it) in one transaction; email and
    username must be free."""

    uow: UowFactory[IdentityUnitOfWork]
    clock: Clock
    ids: IdGenerator
    hasher: PasswordHasher

    async def __call__(
        self, *, email: str, username: str, password: str, full_name: str | None = None,
        time_zone: str | None = None, currency: str | None = None,
    ) -> Account:
        check_password(password)
        now = self.clock.now()
        # Every cheap rule is checked before the deliberately slow hash.
        account = Account.register(id=self.ids.new_id(), email=email, username=username, full_name=full_name,
                                   password_hash="", now=now, time_zone=time_zone, currency=currency)
        account = account.with_password_hash(await self.hasher.hash(password), now)
        async with self.uow(account=account.id) as uow:
            await uow.accounts.add(account)
            uow.publish(AccountOpened(account.id, account.currency, account.time_zone, account.created_at))
            await uow.commit()
        return account


@dataclass
class GetAccount:
    """Return the caller's own account."""

    uow: UowFactory[IdentityUnitOfWork]

    async def __call__(self, account_id: UUID) -> Account:
        async with self.uow(account=account_id) as uow:
            account = await uow.accounts.get(account_id)
        if account is None or not account.is_active:
            raise AccountNotFound()
        return account


@dataclass
class UpdateProfile:
    """Change the caller's username and/or full name."""

    uow: UowFactory[IdentityUnitOfWork]
    clock: Clock

    async def __call__(
        self, account_id: UUID, *, username: str | None = None,
        full_name: str | None = None, clear_full_name: bool = False,
        time_zone: str | None = None, currency: str | None = None,
    ) -> Account:
        async with self.uow(account=account_id) as uow:
            account = await uow.accounts.get(account_id)
            if account is None or not account.is_active:
                raise AccountNotFound()
            account = account.update_profile(
                now=self.clock.now(), username=username, full_name=full_name,
                clear_full_name=clear_full_name, time_zone=time_zone, currency=currency,
            )
            await uow.accounts.save(account)
            await uow.commit()
        return account


@dataclass
class ChangePassword:
    """Replace the password after checking the current one; ends every other session."""

    uow: UowFactory[IdentityUnitOfWork]
    clock: Clock
    hasher: PasswordHasher
    ended: EndedSessions

    async def __call__(
        self, account_id: UUID, session_id: UUID, *, current_password: str, new_password: str
    ) -> None:
        check_password(new_password, "new_password")
        async with self.uow(account=account_id) as uow:
            account = await uow.accounts.get(account_id)
        if account is None or not account.is_active:
            raise AccountNotFound()
        if not await self.hasher.verify(account.password_hash, current_password):
            raise InvalidValue("current_password", "is not the account's password",
                               code="wrong_password")
        new_hash = await self.hasher.hash(new_password)
        now = self.clock.now()
        async with self.uow(account=account_id) as uow:
            current = await uow.accounts.get(account_id)
            if current is None or current.password_hash != account.password_hash:
                raise Conflict("the password changed meanwhile; try again")
            await uow.accounts.save(current.with_password_hash(new_hash, now))
            ended = await uow.sessions.end_others(account_id, session_id, now)
            await uow.commit()
        self.ended.add(ended, now)
