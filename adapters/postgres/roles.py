"""The application's own role: not the schema's owner, not a superuser, so row-level security holds it."""

import asyncio
import re
from urllib.parse import unquote, urlsplit, urlunsplit

from adapters.postgres.database import create_engine, driver_error
from adapters.postgres.migrations import upgrade_unless_at_head

_ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def check_role_name(role: str) -> str:
    """`role` if it is a plain lower-case SQL identifier (it is written into statements unquoted), else ValueError."""
    if not _ROLE_NAME.match(role):
        raise ValueError(f"{role!r} is not a plain role name (lower-case letters, digits, underscores)")
    return role


def as_role(url: str, role: str) -> str:
    """`url` with its user replaced by `role` and no password (the embedded server trusts its local users)."""
    parts = urlsplit(url)
    host = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit(parts._replace(netloc=f"{role}@{host}"))


def password_for(app_url: str, role: str) -> str | None:
    """The password `app_url` gives when it connects as `role` (or as Supabase's pooler spells it,
    `role.<project-ref>`); None when it connects as someone else or without one."""
    parts = urlsplit(app_url)
    user = unquote(parts.username or "")
    if user != role and not user.startswith(role + "."):
        return None
    return None if parts.password is None else unquote(parts.password)


def migrate(owner_url: str, app_url: str, role: str) -> None:
    """As the schema's owner: the app role created if missing (with the password of `app_url` when that URL is
    the role's), the migrations applied, and the role granted what the application does on every table."""
    check_role_name(role)
    asyncio.run(_as_owner(owner_url, _role_statements(role, password_for(app_url, role))))
    upgrade_unless_at_head(owner_url)  # a database at head: one query, no Alembic
    asyncio.run(_as_owner(owner_url, [
        f"GRANT USAGE ON SCHEMA public TO {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
        f"REVOKE INSERT, UPDATE, DELETE ON alembic_version FROM {role}",
    ]))


def _role_statements(role: str, password: str | None) -> list[str]:
    create = (f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') THEN "
              f"CREATE ROLE {role} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE; END IF; END $$")
    return [create] if password is None else [create, f"ALTER ROLE {role} PASSWORD {_literal(password)}"]


async def _as_owner(owner_url: str, statements: list[str]) -> None:
    engine = create_engine(owner_url, pool_size=1)
    try:
        async with engine.begin() as conn:
            for statement in statements:
                try:
                    await conn.exec_driver_sql(statement)
                except Exception as error:  # the statement may hold the role's password: never in the message
                    cause = type(driver_error(error)).__name__
                    raise RuntimeError(f"preparing the app role failed ({cause})") from None
    finally:
        await engine.dispose()


def _literal(value: str) -> str:
    """A SQL string literal (standard_conforming_strings: only quotes are doubled)."""
    return "'" + value.replace("'", "''") + "'"
