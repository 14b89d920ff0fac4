"""A unit of work whose repository calls and commit pass through a hook first: for injecting faults and pauses."""

import inspect
from collections.abc import Awaitable, Callable
from typing import Any

Hook = Callable[[str, str, tuple[Any, ...]], Awaitable[None]]


class InterceptedUnitOfWork:
    """The real unit of work; `before(repository, method, args)` is awaited before each call, `after` after it.

    The real unit of work's repositories are replaced by intercepted ones, so the calls of the event handlers it
    runs at commit (with itself as their unit of work) pass through the hooks too."""

    def __init__(self, inner: Any, *, before: Hook | None = None, after: Hook | None = None) -> None:
        self._inner, self._before, self._after = inner, before, after

    async def __aenter__(self) -> "InterceptedUnitOfWork":
        await self._inner.__aenter__()
        for name in dir(self._inner):  # attributes, or made at first use (the PostgreSQL unit of work's)
            repository = None if name.startswith("_") else getattr(self._inner, name)
            if repository is not None and not inspect.ismethod(repository):
                setattr(self._inner, name, _InterceptedRepository(name, repository, self))
        return self

    async def __aexit__(self, *exc: Any) -> Any:
        return await self._inner.__aexit__(*exc)

    async def commit(self) -> None:
        await self._call("uow", "commit", (), self._inner.commit)

    def publish(self, event: Any) -> None:
        self._inner.publish(event)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    async def _call(self, repository: str, method: str, args: tuple[Any, ...], real, **kwargs: Any) -> Any:
        if self._before is not None:
            await self._before(repository, method, args)
        result = await real(*args, **kwargs)
        if self._after is not None:
            await self._after(repository, method, args)
        return result


class _InterceptedRepository:
    def __init__(self, name: str, inner: Any, uow: InterceptedUnitOfWork) -> None:
        self._name, self._inner, self._uow = name, inner, uow

    def __getattr__(self, method: str) -> Callable[..., Awaitable[Any]]:
        real = getattr(self._inner, method)

        async def call(*args: Any, **kwargs: Any) -> Any:
            return await self._uow._call(self._name, method, args, real, **kwargs)
        return call
