"""Disagreements between the memory and PostgreSQL adapters that the state machines found, kept as plain tests."""

from adapters.memory.store import MemoryStore
from adapters.memory.unit_of_work import MemoryUnitOfWork
from adapters.postgres.unit_of_work import PostgresUnitOfWork
from domain.shared.errors import DomainError
from tests.contract.test_ledger_repositories import budget, category, expense, owners, stored


async def error_code(uow_factory, operation) -> str | None:
    try:
        async with uow_factory() as uow:
            await operation(uow)
    except DomainError as error:
        return error.code
    return None


async def test_removing_a_category_with_expenses_and_a_budget_names_the_same_reason_on_both(clean_postgres):
    codes = []
    store = MemoryStore()
    for factory in (lambda **scope: MemoryUnitOfWork(store, **scope), lambda **scope: PostgresUnitOfWork(clean_postgres, **scope)):
        ada, _ = await owners(factory)
        food = category(ada)
        await stored(factory, food, expense(ada, food.id), budget(ada, food.id))
        codes.append(await error_code(factory, lambda uow: uow.categories.remove(ada, food.id)))
    assert codes == ["category_has_budgets", "category_has_budgets"], codes  # the budget is named first
