"""Translate integrity errors to domain errors by constraint name."""

from collections.abc import Awaitable, Callable, Mapping
from typing import TypeVar

from asyncpg.exceptions import IntegrityConstraintViolationError
from sqlalchemy.exc import IntegrityError

from adapters.postgres.database import driver_error

from domain.shared.errors import DomainError

T = TypeVar("T")


def constraint_name(error: IntegrityError | IntegrityConstraintViolationError) -> str | None:
    """The constraint that refused a statement, sent through SQLAlchemy or straight to asyncpg."""
    return getattr(driver_error(error), "constraint_name", None)


async def translating(
    action: Awaitable[T], errors: Mapping[str, Callable[[], DomainError]]
) -> T:
    """Await the statement; raise the mapped domain error when a named constraint rejects it."""
    try:
        return await action
    except (IntegrityError, IntegrityConstraintViolationError) as error:
        factory = errors.get(constraint_name(error) or "")
        if factory is None:
            raise
        raise factory() from None
