"""Clock adapters: the system clock, and a settable clock for tests and demos."""

from datetime import UTC, datetime, timedelta
from typing import final

from application.shared.clock import Clock


@final
class SystemClock(Clock):
    """The wall clock, in UTC."""

    def now(self) -> datetime:
        return datetime.now(UTC)


@final
class SettableClock(Clock):
    """A clock that stands still until it is set or advanced."""

    def __init__(self, now: datetime | None = None) -> None:
        self._now = now or datetime(2026, 1, 5, 9, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self._now

    def set(self, now: datetime) -> None:
        if now.tzinfo is None:
            raise ValueError("the clock only holds aware datetimes")
        self._now = now.astimezone(UTC)

    def advance(self, delta: timedelta | None = None, **kwargs: float) -> datetime:
        self._now += delta or timedelta(**kwargs)
        return self._now
