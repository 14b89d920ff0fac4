"""The PostgreSQL unit of work's one transaction, begun on the asyncpg connection (`LazyConnection`): prepared
writes and SQLAlchemy statements commit together or not at all, and no connection goes back to the pool
inside a transaction or in autocommit mode. A pool of one connection makes every unit of work reuse it."""

import pytest
from sqlalchemy import text

from adapters.postgres.database import create_engine
from adapters.postgres.unit_of_work import PostgresUnitOfWork
from domain.ledger.query import ExpenseFilter, ExpenseOrder
from domain.shared.errors import InvalidValue
from tests.contract.test_ledger_repositories import category, expense, owners


@pytest.fixture
async def engine(postgres_url, clean_postgres):
    engine = create_engine(postgres_url, pool_size=1)
    yield engine
    await engine.dispose()


@pytest.fixture
def uow_factory(engine):
    return lambda **scope: PostgresUnitOfWork(engine, **scope)


async def pooled_connection_is_idle(engine) -> bool:
    """The one pooled connection is outside any transaction."""
    raw = await engine.raw_connection()
    try:
        return not raw.driver_connection.is_in_transaction()
    finally:
        raw.close()


async def expenses_of(uow_factory, owner_id) -> list:
    async with uow_factory() as uow:
        return await uow.expenses.page(owner_id, ExpenseFilter(), ExpenseOrder(), after=None, limit=100)


async def test_a_prepared_write_and_a_sqlalchemy_statement_commit_together(uow_factory, engine):
    [ada] = await owners(uow_factory, 1)
    food = category(ada)
    async with uow_factory() as uow:
        await uow.categories.add(food)  # SQLAlchemy
        await uow.expenses.add(expense(ada, food.id))  # prepared, on the same transaction
        await uow.commit()
    assert len(await expenses_of(uow_factory, ada)) == 1
    assert await pooled_connection_is_idle(engine)


async def test_without_commit_neither_is_kept_and_the_connection_goes_back_idle(uow_factory, engine):
    [ada] = await owners(uow_factory, 1)
    food = category(ada)
    async with uow_factory() as uow:
        await uow.categories.add(food)
        await uow.expenses.add(expense(ada, food.id))
    assert await pooled_connection_is_idle(engine)
    async with uow_factory() as uow:
        assert await uow.categories.all(ada) == []
    assert await expenses_of(uow_factory, ada) == []


async def test_a_prepared_write_alone_is_rolled_back_too(uow_factory, engine):
    [ada] = await owners(uow_factory, 1)
    food = category(ada)
    async with uow_factory() as uow:
        await uow.categories.add(food)
        await uow.commit()
    async with uow_factory() as uow:
        await uow.expenses.add(expense(ada, food.id))
    assert await pooled_connection_is_idle(engine)
    assert await expenses_of(uow_factory, ada) == []


async def test_a_refused_prepared_write_rolls_back_what_came_before_and_the_connection_serves_again(
        uow_factory, engine):
    [ada] = await owners(uow_factory, 1)
    food, other = category(ada), category(ada, "Other")
    with pytest.raises(InvalidValue):
        async with uow_factory() as uow:
            await uow.categories.add(food)
            await uow.expenses.add(expense(ada, other.id))  # not stored: the foreign key refuses it
            await uow.commit()
    assert await pooled_connection_is_idle(engine)
    async with uow_factory() as uow:
        assert await uow.categories.all(ada) == []
        await uow.categories.add(other)
        await uow.expenses.add(expense(ada, other.id))
        await uow.commit()
    assert len(await expenses_of(uow_factory, ada)) == 1


async def test_the_engine_is_transactional_again_after_a_unit_of_work(uow_factory, engine):
    """The unit of work runs SQLAlchemy in autocommit mode on its connection; the pool must restore it."""
    [ada] = await owners(uow_factory, 1)
    async with uow_factory() as uow:
        await uow.categories.add(category(ada))  # SQLAlchemy, on the autocommit-mode connection
        await uow.commit()
    with pytest.raises(RuntimeError):
        async with engine.begin() as conn:
            await conn.execute(text("DELETE FROM categories"))
            raise RuntimeError("abandon the transaction")
    async with uow_factory() as uow:
        assert len(await uow.categories.all(ada)) == 1
