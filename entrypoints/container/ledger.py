"""The ledger context: categories, expenses, budgets, reports, CSV export and import."""

from dependency_injector import containers, providers

from adapters.csv_codec import CsvExpenseCodec

from application.ledger.budgets import (
    CreateBudget, DeleteBudget, GetBudget, GetBudgetProgress, ListBudgets, UpdateBudget,
)
from application.ledger.categories import (
    CreateCategory, DeleteCategory, ListCategories, UpdateCategory,
)
from application.ledger.exports import ExportExpensesCsv
from application.ledger.imports import ImportExpensesCsv
from application.identity.locale import RecentLocales
from application.ledger.expenses import CreateExpense, DeleteExpense, GetExpense, ListExpenses, UpdateExpense
from application.ledger.ports import LedgerUnitOfWork
from application.ledger.reports import GetMonthlyReport, GetSummary
from application.shared.clock import Clock
from application.shared.ids import IdGenerator


class Ledger(containers.DeclarativeContainer):
    uow: providers.Dependency[LedgerUnitOfWork] = providers.Dependency()  # use cases get `uow.provider`: one per call
    clock: providers.Dependency[Clock] = providers.Dependency()
    ids: providers.Dependency[IdGenerator] = providers.Dependency()

    list_categories = providers.Factory(ListCategories, uow=uow.provider)
    create_category = providers.Factory(CreateCategory, uow=uow.provider, clock=clock, ids=ids)
    update_category = providers.Factory(UpdateCategory, uow=uow.provider, clock=clock)
    delete_category = providers.Factory(DeleteCategory, uow=uow.provider, clock=clock)
    recent_locales = providers.Singleton(RecentLocales)  # this process's guesses; every write checks its guess
    create_expense = providers.Factory(CreateExpense, uow=uow.provider, clock=clock, ids=ids, locales=recent_locales)
    get_expense = providers.Factory(GetExpense, uow=uow.provider)
    update_expense = providers.Factory(UpdateExpense, uow=uow.provider, clock=clock)
    delete_expense = providers.Factory(DeleteExpense, uow=uow.provider)
    list_expenses = providers.Factory(ListExpenses, uow=uow.provider)
    expense_csv_codec = providers.Singleton(CsvExpenseCodec)
    export_expenses_csv = providers.Factory(ExportExpensesCsv, uow=uow.provider, codec=expense_csv_codec)
    import_expenses_csv = providers.Factory(
        ImportExpensesCsv, uow=uow.provider, clock=clock, ids=ids, codec=expense_csv_codec)
    create_budget = providers.Factory(CreateBudget, uow=uow.provider, clock=clock, ids=ids)
    get_budget = providers.Factory(GetBudget, uow=uow.provider)
    list_budgets = providers.Factory(ListBudgets, uow=uow.provider)
    update_budget = providers.Factory(UpdateBudget, uow=uow.provider, clock=clock)
    delete_budget = providers.Factory(DeleteBudget, uow=uow.provider)
    budget_progress = providers.Factory(GetBudgetProgress, uow=uow.provider, clock=clock)
    monthly_report = providers.Factory(GetMonthlyReport, uow=uow.provider)
    summary = providers.Factory(GetSummary, uow=uow.provider, clock=clock)
