"""The account aggregate."""

from dataclasses import dataclass, replace
from datetime import datetime
from uuid import UUID

from domain.identity.values import normalize_email, normalize_full_name, normalize_username
from domain.shared.errors import Conflict
from domain.shared.locale import check_time_zone, normalize_currency

DEFAULT_TIME_ZONE, DEFAULT_CURRENCY = "UTC", "EUR"


@dataclass(frozen=True, slots=True)
class Account:
    """Someone who can log in; owns everything they create."""

    id: UUID
    email: str
    username: str
    full_name: str | None
    password_hash: str
    is_active: bool
    created_at: datetime
    updated_at: datetime
    time_zone: str = DEFAULT_TIME_ZONE
    currency: str = DEFAULT_CURRENCY

    @classmethod
    def register(
        cls, *, id: UUID, email: str, username: str, full_name: str | None,
        password_hash: str, now: datetime, time_zone: str | None = None, currency: str | None = None,
    ) -> "Account":
        return cls(
            id=id,
            email=normalize_email(email),
            username=normalize_username(username),
            full_name=normalize_full_name(full_name),
            password_hash=password_hash,
            is_active=True,
            created_at=now,
            updated_at=now,
            time_zone=check_time_zone(time_zone or DEFAULT_TIME_ZONE),
            currency=normalize_currency(currency or DEFAULT_CURRENCY),
        )

    def update_profile(
        self, *, now: datetime, username: str | None = None,
        full_name: str | None = None, clear_full_name: bool = False,
        time_zone: str | None = None, currency: str | None = None,
    ) -> "Account":
        """Return the account with the given profile fields changed."""
        return replace(
            self, updated_at=now,
            time_zone=self.time_zone if time_zone is None else check_time_zone(time_zone),
            currency=self.currency if currency is None else normalize_currency(currency),
            username=self.username if username is None else normalize_username(username),
            full_name=None if clear_full_name else (
                self.full_name if full_name is None else normalize_full_name(full_name)),
        )

    def with_password_hash(self, password_hash: str, now: datetime) -> "Account":
        return replace(self, password_hash=password_hash, updated_at=now)


class EmailTaken(Conflict):
    code = "email_taken"

    def __init__(self) -> None:
        super().__init__("an account with this email already exists")


class UsernameTaken(Conflict):
    code = "username_taken"

    def __init__(self) -> None:
        super().__init__("this username is taken")
