"""The account aggregate."""

from dataclasses import dataclass, replace
from datetime import datetime
from uuid import UUID

from domain.identity.values import normalize_email, normalize_full_name, normalize_username
from domain.shared.errors import Conflict


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

    @classmethod
    def register(
        cls, *, id: UUID, email: str, username: str, full_name: str | None,
        password_hash: str, now: datetime,
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
        )

    def update_profile(
        self, *, now: datetime, username: str | None = None,
        full_name: str | None = None, clear_full_name: bool = False,
    ) -> "Account":
        """Return the account with a new username and/or full name."""
        changes: dict[str, object] = {"updated_at": now}
        if username is not None:
            changes["username"] = normalize_username(username)
        if clear_full_name:
            changes["full_name"] = None
        elif full_name is not None:
            changes["full_name"] = normalize_full_name(full_name)
        return replace(self, **changes)

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
