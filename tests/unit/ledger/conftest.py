from datetime import UTC, datetime
from types import SimpleNamespace
from uuid import UUID, uuid4

import pytest

from adapters.clock import SettableClock
from adapters.ids import Uuid7Generator
from adapters.memory.store import MemoryStore
from adapters.memory.unit_of_work import MemoryUnitOfWork
from adapters.csv_codec import CsvExpenseCodec
from application.ledger import budgets, categories, expenses, exports, imports, reports
from domain.identity.account import Account


def make_ledger(clock: SettableClock) -> SimpleNamespace:
    """Every ledger use case, wired on one fresh in-memory store."""
    store, ids = MemoryStore(), Uuid7Generator()

    def uow() -> MemoryUnitOfWork:
        return MemoryUnitOfWork(store)

    async def set_locale(owner_id: UUID, *, currency: str = "EUR", time_zone: str = "UTC") -> None:
        """Give the owner an account with this currency and time zone (without one the defaults apply)."""
        async with uow() as tx:
            await tx.accounts.save(Account.register(
                id=owner_id, email=f"{owner_id.hex}@example.com", username=owner_id.hex, full_name=None,
                password_hash="x", now=clock.now(), currency=currency, time_zone=time_zone,
            ))
            await tx.commit()

    return SimpleNamespace(
        uow=uow,
        set_locale=set_locale,
        create_defaults=categories.CreateDefaultCategories(uow, clock, ids),
        list_categories=categories.ListCategories(uow),
        create_category=categories.CreateCategory(uow, clock, ids),
        update_category=categories.UpdateCategory(uow, clock),
        delete_category=categories.DeleteCategory(uow, clock),
        create_expense=expenses.CreateExpense(uow, clock, ids),
        get_expense=expenses.GetExpense(uow),
        update_expense=expenses.UpdateExpense(uow, clock),
        delete_expense=expenses.DeleteExpense(uow),
        list_expenses=expenses.ListExpenses(uow),
        create_budget=budgets.CreateBudget(uow, clock, ids),
        get_budget=budgets.GetBudget(uow),
        list_budgets=budgets.ListBudgets(uow),
        update_budget=budgets.UpdateBudget(uow, clock),
        delete_budget=budgets.DeleteBudget(uow),
        budget_progress=budgets.GetBudgetProgress(uow, clock),
        monthly_report=reports.GetMonthlyReport(uow),
        summary=reports.GetSummary(uow, clock),
        export_csv=exports.ExportExpensesCsv(uow, CsvExpenseCodec()),
        import_csv=imports.ImportExpensesCsv(uow, clock, ids, CsvExpenseCodec()),
    )


@pytest.fixture
def clock() -> SettableClock:
    return SettableClock(datetime(2026, 3, 15, 12, 0, tzinfo=UTC))


@pytest.fixture
def ledger(clock: SettableClock) -> SimpleNamespace:
    return make_ledger(clock)


@pytest.fixture
def owner() -> UUID:
    return uuid4()


@pytest.fixture
def stranger() -> UUID:
    return uuid4()


@pytest.fixture
async def food(ledger: SimpleNamespace, owner: UUID) -> UUID:
    """The id of the owner's default Food category."""
    defaults = await ledger.create_defaults(owner)
    return next(c.id for c in defaults if c.name == "Food")
