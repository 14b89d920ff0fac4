"""Small builders for entities used across tests."""

from datetime import UTC, datetime, timedelta
from uuid import UUID

from adapters.ids import Uuid7Generator
from domain.identity.account import Account
from domain.identity.session import RefreshToken, Session

NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
_ids = Uuid7Generator()


def new_id() -> UUID:
    return _ids.new_id()


def account(email: str = "ada@example.com", username: str = "ada", **changes) -> Account:
    values = dict(id=new_id(), email=email, username=username, full_name=None,
                  password_hash="$argon2id$fake", now=NOW)
    values.update(changes)
    return Account.register(**values)


def refresh_token(owner_id: UUID, family_id: UUID | None = None, token_hash: str | None = None) -> RefreshToken:
    token_id = new_id()
    return RefreshToken(id=token_id, owner_id=owner_id, family_id=family_id or new_id(),
                        token_hash=token_hash or token_id.hex, issued_at=NOW,
                        expires_at=NOW + timedelta(days=30))


def session(owner_id: UUID, session_id: UUID | None = None, client_address: str | None = "203.0.113.1",
            started_at: datetime = NOW) -> Session:
    return Session(id=session_id or new_id(), owner_id=owner_id, started_at=started_at,
                   client_address=client_address)
