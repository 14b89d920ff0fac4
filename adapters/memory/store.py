"""In-memory tables with unique constraints and transactions that really roll back.

Transactions run one at a time (the store's lock is held for the unit of work's life),
so the memory adapter is serializable: no lost update, no double claim, as on Postgres.
"""

import asyncio
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

_MISSING: Any = object()
R = TypeVar("R")


@dataclass(frozen=True)
class Unique:
    """A unique constraint: `key(row)` must not repeat (None is never compared)."""

    name: str
    key: Callable[[Any], Hashable | None]
    error: Callable[[], Exception]


@dataclass(frozen=True)
class TableSpec(Generic[R]):
    """A table's name, primary key and unique constraints; R is the type of its rows."""

    name: str
    primary_key: Callable[[Any], Hashable] = lambda row: row.id
    unique: tuple[Unique, ...] = ()


@dataclass
class _Table(Generic[R]):
    spec: TableSpec[R]
    rows: dict[Hashable, R] = field(default_factory=dict)
    indexes: dict[str, dict[Hashable, Hashable]] = field(default_factory=dict)

    def put(self, row: R) -> Any:
        pk = self.spec.primary_key(row)
        old = self.rows.get(pk, _MISSING)
        for constraint in self.spec.unique:
            key = constraint.key(row)
            owner = self.indexes.get(constraint.name, {}).get(key, pk) if key is not None else pk
            if owner != pk:
                raise constraint.error()
        if old is not _MISSING:
            self._unindex(pk, old)
        self.rows[pk] = row
        for constraint in self.spec.unique:
            key = constraint.key(row)
            if key is not None:
                self.indexes.setdefault(constraint.name, {})[key] = pk
        return old

    def delete(self, pk: Hashable) -> Any:
        old = self.rows.pop(pk, _MISSING)
        if old is not _MISSING:
            self._unindex(pk, old)
        return old

    def _unindex(self, pk: Hashable, row: R) -> None:
        for constraint in self.spec.unique:
            key = constraint.key(row)
            index = self.indexes.get(constraint.name, {})
            if key is not None and index.get(key) == pk:
                del index[key]


class MemoryStore:
    """Every in-memory table of one application instance."""

    def __init__(self) -> None:
        self._tables: dict[str, _Table[Any]] = {}
        self.lock = asyncio.Lock()

    def table(self, spec: TableSpec[R]) -> _Table[R]:
        table = self._tables.get(spec.name)
        if table is None:
            table = self._tables[spec.name] = _Table(spec)
        return table


class MemoryTransaction:
    """Reads and writes against a store, with an undo log for rollback."""

    def __init__(self, store: MemoryStore) -> None:
        self._store = store
        self._undo: list[tuple[_Table[Any], Hashable, Any]] = []

    def get(self, spec: TableSpec[R], pk: Hashable) -> R | None:
        return self._store.table(spec).rows.get(pk)

    def rows(self, spec: TableSpec[R]) -> Iterator[R]:
        return iter(list(self._store.table(spec).rows.values()))

    def find_unique(self, spec: TableSpec[R], constraint_name: str, key: Hashable) -> R | None:
        table = self._store.table(spec)
        pk = table.indexes.get(constraint_name, {}).get(key)
        return None if pk is None else table.rows.get(pk)

    def put(self, spec: TableSpec[R], row: R) -> None:
        """Insert or replace a row; raises the constraint's error on a duplicate key."""
        table = self._store.table(spec)
        old = table.put(row)
        self._undo.append((table, spec.primary_key(row), old))

    def delete(self, spec: TableSpec[R], pk: Hashable) -> bool:
        table = self._store.table(spec)
        old = table.delete(pk)
        if old is _MISSING:
            return False
        self._undo.append((table, pk, old))
        return True

    def commit(self) -> None:
        self._undo.clear()

    def rollback(self) -> None:
        while self._undo:
            table, pk, old = self._undo.pop()
            if old is _MISSING:
                table.delete(pk)
            else:
                table.put(old)
