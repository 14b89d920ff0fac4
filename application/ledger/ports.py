"""Ports of the ledger context: repositories whose queries a database can answer in SQL, and the CSV codec."""

from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol
from uuid import UUID

from application.identity.ports import AccountLocale, AccountRepository
from application.shared.unit_of_work import UnitOfWork
from domain.ledger.budget import Budget
from domain.ledger.category import Category
from domain.ledger.expense import Expense
from domain.ledger.periods import Period
from domain.ledger.query import ExpenseFilter, ExpenseKey, ExpenseOrder
from domain.ledger.report import CurrencyTotal, MonthlyTotal


class CategoryRepository(Protocol):
    """An owner's categories; a name is unique per owner case-insensitively (CategoryNameTaken)."""

    async def add(self, category: Category) -> None: ...

    async def get(self, owner_id: UUID, category_id: UUID) -> Category | None: ...

    async def add_missing(self, categories: Sequence[Category]) -> None:
        """Add, in one go, those whose owner has no category of that name yet (ignoring case); skip the others."""
        ...

    async def get_by_name(self, owner_id: UUID, name: str) -> Category | None:
        """Find by name, ignoring case (lower(name))."""
        ...

    async def all(self, owner_id: UUID) -> list[Category]:
        """Every category of the owner, ordered by lower(name) then id."""
        ...

    async def save(self, category: Category) -> None: ...

    async def remove(self, owner_id: UUID, category_id: UUID) -> bool:
        """False if the owner has no such category; CategoryHasBudgets, then CategoryHasExpenses, while one uses it."""
        ...


class ExpenseRepository(Protocol):
    """An owner's expenses; filters, ordering and sums run in the store, in exact decimals. `add`, `add_many`
    and `save` refuse an expense whose category is not its owner's: InvalidValue(unknown_category, category_id)."""

    async def add(self, expense: Expense, *, assuming: AccountLocale | None = None) -> None:
        """With `assuming`, the expense is stored only if its owner's account still has that locale when it is
        written (its defaults were taken from it); else LocaleChanged, by this call or at the latest by commit()."""
        ...

    async def add_many(self, expenses: Sequence[Expense]) -> None: ...

    async def get(self, owner_id: UUID, expense_id: UUID) -> Expense | None: ...

    async def save(self, expense: Expense) -> None: ...

    async def remove(self, owner_id: UUID, expense_id: UUID) -> bool: ...

    async def page(
        self, owner_id: UUID, filter: ExpenseFilter, order: ExpenseOrder, *, after: ExpenseKey | None, limit: int
    ) -> list[Expense]:
        """Up to `limit` matching expenses in `order` (ties by id), strictly after the key `after`."""
        ...

    async def totals(self, owner_id: UUID, filter: ExpenseFilter) -> list[CurrencyTotal]:
        """Sum and count of the matching expenses per currency, ordered by currency."""
        ...

    async def monthly_totals(self, owner_id: UUID, date_from: date, date_to: date) -> list[MonthlyTotal]:
        """Sum and count per (month, currency, category) of the expenses between the dates, in that order."""
        ...

    async def has_category(self, owner_id: UUID, category_id: UUID) -> bool:
        """True if any expense of the owner is in the category."""
        ...

    async def reassign_category(self, owner_id: UUID, from_id: UUID, to_id: UUID, now: datetime) -> int:
        """Move every expense of one category to another (fingerprints follow); return how many moved."""
        ...

    async def count_fingerprints(self, owner_id: UUID, fingerprints: Collection[str]) -> dict[str, int]:
        """How many of the owner's expenses carry each fingerprint (absent ones are left out)."""
        ...

    async def lock_for_import(self, owner_id: UUID) -> None:
        """Make other imports of this owner wait until this transaction ends (Postgres: an advisory lock)."""
        ...


class BudgetRepository(Protocol):
    """An owner's budgets."""

    async def add(self, budget: Budget) -> None: ...

    async def get(self, owner_id: UUID, budget_id: UUID) -> Budget | None: ...

    async def all(self, owner_id: UUID) -> list[Budget]:
        """Every budget of the owner, ordered by id (creation order)."""
        ...

    async def save(self, budget: Budget) -> None: ...

    async def remove(self, owner_id: UUID, budget_id: UUID) -> bool: ...

    async def find_overlapping(
        self, owner_id: UUID, *, category_id: UUID | None, period: Period, start: date, end: date | None,
        exclude_id: UUID | None = None,
    ) -> Budget | None:
        """A budget with the same category (None matches None) and period whose dates meet [start, end].

        Holds the owner's budget lock until the transaction ends, so check-then-write has one winner."""
        ...

    async def uses_category(self, owner_id: UUID, category_id: UUID) -> bool: ...


class LedgerUnitOfWork(UnitOfWork, Protocol):
    accounts: AccountRepository
    categories: CategoryRepository
    expenses: ExpenseRepository
    budgets: BudgetRepository


EXPENSE_COLUMNS = (
    "date", "amount", "currency", "category", "description", "payment_method", "tags", "notes", "receipt_url",
)
REQUIRED_COLUMNS = frozenset({"date", "amount", "category"})


@dataclass(frozen=True, slots=True)
class RowError:
    """What is wrong at a line of an imported file (`field` is a column, or row, header or file)."""

    line: int
    field: str
    detail: str


@dataclass(frozen=True, slots=True)
class SheetRow:
    """A non-blank row of an expense file: the line it starts on and a stripped cell for every column of
    EXPENSE_COLUMNS (empty when the file has no such column), or `error` when it cannot be split into them."""

    line: int
    cells: Mapping[str, str]
    error: RowError | None = None


class ExpenseCsvCodec(Protocol):
    """CSV files of expenses in the columns of EXPENSE_COLUMNS (any order on import), header first. A cell that a
    spreadsheet would run as a formula is written inert and read back as it was."""

    def write(self, rows: Iterable[Sequence[str]], *, header: bool = False) -> str:
        """The rows (cells in EXPENSE_COLUMNS order) as CSV text, after the header line when `header`."""
        ...

    def read(self, lines: Iterable[str]) -> Iterator[SheetRow | RowError]:
        """The file's non-blank rows in order, read lazily. A RowError ends the file: a header that does not name
        the required columns from EXPENSE_COLUMNS, or text that cannot be read as UTF-8 CSV."""
        ...
