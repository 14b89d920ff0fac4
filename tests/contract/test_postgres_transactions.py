"""The PostgreSQL unit of work's one transaction, begun on the asyncpg connection (`LazyConnection`): prepared
writes and SQLAlchemy statements commit together or not at all, and no connection goes back to the pool
inside a transaction or in autocommit mode. A pool of one connection makes every unit of work reuse it."""

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import text

from adapters.postgres.database import create_engine
from adapters.postgres.unit_of_work import PostgresUnitOfWork
from application.identity.locale import AccountLocale, LocaleChanged
from domain.identity.session import RefreshToken, Session
from domain.ledger.query import ExpenseFilter, ExpenseOrder
from domain.shared.errors import InvalidValue
from tests.contract.test_ledger_repositories import category, expense, owners
from tests.factories import NOW, new_id


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


async def owner_with_category(uow_factory):
    """A stored owner and one stored category of theirs."""
    [ada] = await owners(uow_factory, 1)
    food = category(ada)
    async with uow_factory() as uow:
        await uow.categories.add(food)
        await uow.commit()
    return ada, food


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
    ada, food = await owner_with_category(uow_factory)
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


class SentStatements:
    """The statements the one pooled connection sends while this is open, BEGIN and COMMIT included."""

    def __init__(self, engine):
        self._engine, self.sql = engine, []

    async def __aenter__(self):
        self._raw = await self._engine.raw_connection()
        self._driver = self._raw.driver_connection
        self._driver.add_query_logger(self._log)
        self._raw.close()
        return self

    async def __aexit__(self, *exc):
        await self.logged()
        self._driver.remove_query_logger(self._log)

    async def logged(self) -> list[str]:
        """What was sent so far (asyncpg calls its loggers soon after each statement, not during it)."""
        await asyncio.sleep(0)
        return self.sql

    def _log(self, record):
        self.sql.append(record.query)


async def test_an_insert_that_is_the_only_write_is_sent_alone_at_commit_in_one_round_trip(uow_factory, engine):
    ada, food = await owner_with_category(uow_factory)
    spent = expense(ada, food.id)
    async with SentStatements(engine) as sent:
        async with uow_factory(account=ada) as uow:
            await uow.expenses.add(spent)
            assert await sent.logged() == []  # held until the commit
            await uow.commit()
    assert len(sent.sql) == 1 and sent.sql[0].startswith("INSERT INTO expenses")
    assert [e.id for e in await expenses_of(uow_factory, ada)] == [spent.id]
    assert await pooled_connection_is_idle(engine)


async def test_an_insert_assuming_the_accounts_locale_is_sent_alone_and_stored_while_the_account_has_it(
    uow_factory, engine
):
    ada, food = await owner_with_category(uow_factory)
    async with uow_factory() as uow:
        held = await uow.accounts.locale(ada)
    spent, refused = expense(ada, food.id), expense(ada, food.id, "2")
    async with SentStatements(engine) as sent:
        async with uow_factory(account=ada) as uow:
            await uow.expenses.add(spent, assuming=held)
            await uow.commit()
    assert len(sent.sql) == 1 and sent.sql[0].startswith("WITH scope AS MATERIALIZED")
    with pytest.raises(LocaleChanged):
        async with uow_factory(account=ada) as uow:
            await uow.expenses.add(refused, assuming=AccountLocale("JPY", held.time_zone))
            await uow.commit()
    assert [e.id for e in await expenses_of(uow_factory, ada)] == [spent.id]
    assert await pooled_connection_is_idle(engine)


async def test_an_insert_assuming_another_locale_among_other_inserts_stores_none_of_them(uow_factory, engine):
    ada, food = await owner_with_category(uow_factory)
    async with uow_factory() as uow:
        held = await uow.accounts.locale(ada)
    with pytest.raises(LocaleChanged):
        async with uow_factory(account=ada) as uow:
            await uow.expenses.add(expense(ada, food.id))
            await uow.expenses.add(expense(ada, food.id, "2"), assuming=AccountLocale(held.currency, "Asia/Tokyo"))
            await uow.commit()
    assert await expenses_of(uow_factory, ada) == []
    assert await pooled_connection_is_idle(engine)


async def test_a_deferred_insert_is_sent_first_when_another_statement_follows_and_is_seen_by_it(uow_factory, engine):
    ada, food = await owner_with_category(uow_factory)
    first, second = expense(ada, food.id), expense(ada, food.id, "2")
    async with SentStatements(engine) as sent:
        async with uow_factory(account=ada) as uow:
            await uow.expenses.add(first)
            assert await uow.expenses.get(ada, first.id) == first  # a prepared read sees it
            await uow.expenses.add(second)
            await uow.commit()
    assert sent.sql[0].startswith("BEGIN") and sent.sql[1].startswith("INSERT INTO expenses")
    assert sent.sql[-1] == "COMMIT" and len(sent.sql) == 5
    assert {e.id for e in await expenses_of(uow_factory, ada)} == {first.id, second.id}


async def test_a_deferred_insert_never_committed_is_never_sent(uow_factory, engine):
    ada, food = await owner_with_category(uow_factory)
    async with SentStatements(engine) as sent:
        with pytest.raises(RuntimeError):
            async with uow_factory(account=ada) as uow:
                await uow.expenses.add(expense(ada, food.id))
                raise RuntimeError("the use case fails before committing")
    assert sent.sql == [] and await expenses_of(uow_factory, ada) == []
    assert await pooled_connection_is_idle(engine)


async def test_a_deferred_insert_sent_alone_is_refused_by_commit_with_the_domain_error(uow_factory, engine):
    [ada] = await owners(uow_factory, 1)
    with pytest.raises(InvalidValue):
        async with uow_factory(account=ada) as uow:
            await uow.expenses.add(expense(ada, category(ada).id))  # a category never stored
            await uow.commit()
    assert await pooled_connection_is_idle(engine)
    assert await expenses_of(uow_factory, ada) == []


async def test_inserts_that_are_the_only_writes_go_together_in_one_statement_at_commit(uow_factory, engine):
    [ada] = await owners(uow_factory, 1)
    session = Session(id=new_id(), owner_id=ada, started_at=NOW, client_address="127.0.0.1")
    token = RefreshToken(id=new_id(), owner_id=ada, family_id=session.id, token_hash="h" * 64, issued_at=NOW,
                         expires_at=NOW + timedelta(days=30))
    async with SentStatements(engine) as sent:
        async with uow_factory(account=ada) as uow:
            await uow.sessions.add(session)
            await uow.refresh_tokens.add(token)  # its family is the session: checked at the statement's end
            await uow.commit()
    assert len(sent.sql) == 1 and sent.sql[0].startswith("WITH w0 AS (INSERT INTO sessions")
    async with uow_factory(account=ada) as uow:
        assert await uow.sessions.is_live(ada, session.id)
        assert await uow.refresh_tokens.get_by_hash(token.token_hash) == token


async def test_inserts_sent_together_are_refused_together(uow_factory, engine):
    ada, food = await owner_with_category(uow_factory)
    with pytest.raises(InvalidValue):
        async with uow_factory(account=ada) as uow:
            await uow.expenses.add(expense(ada, food.id))
            await uow.expenses.add(expense(ada, category(ada).id))  # a category never stored
            await uow.commit()
    assert await expenses_of(uow_factory, ada) == []
    assert await pooled_connection_is_idle(engine)
