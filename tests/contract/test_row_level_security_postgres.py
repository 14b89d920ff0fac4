"""The database itself keeps accounts apart: row-level security on every table, whatever a query forgets."""

import json
import uuid

import asyncpg
import pytest
from sqlalchemy import bindparam, select, text

from adapters.postgres.connection import LazyConnection, Scope
from adapters.postgres.prepared import PreparedRead
from adapters.postgres.roles import as_role, password_for
from adapters.postgres.unit_of_work import PostgresUnitOfWork
from application.identity.locale import AccountLocale, LocaleChanged
from adapters.postgres.tables.calendar import events
from adapters.postgres.tables.ledger import expenses
from entrypoints.demo import seed_demo
from tests.api.identity_support import GENERATIONS, PROMPT, new_key, user
from tests.api.identity_support import container  # noqa: F401  (image files in a temporary folder)
from tests.contract.test_ledger_repositories import expense


TABLES = """
SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity,
       array(SELECT p.polname || ': ' || pg_get_expr(p.polqual, p.polrelid) FROM pg_policy p
             WHERE p.polrelid = c.oid AND p.polqual IS NOT NULL) AS policies,
       EXISTS (SELECT FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'owner_id') AS owned
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY c.relname
"""


async def _catalog(engine) -> list:
    async with engine.connect() as conn:
        return list(await conn.execute(text(TABLES)))


async def test_every_table_is_under_row_level_security_and_owned_ones_by_their_owner(clean_postgres):
    tables = await _catalog(clean_postgres)
    assert len(tables) > 30
    for name, enabled, forced, policies, owned in tables:
        assert enabled, f"{name} has no row-level security"
        assert forced or name == "alembic_version", f"{name}'s owner is not held to its policies"
        assert policies, f"{name} has no policy: nobody but its owner could use it"
        column = "id" if name == "accounts" else "owner_id" if owned else None
        if column is not None:
            own = f"{name}_own: ({column} = (NULLIF(current_setting('atrium.account_id'::text, true), ''::text))::uuid)"
            assert own in policies, f"{name} is not limited to its owner's rows: {policies}"


async def _two_owners(engine) -> tuple[uuid.UUID, uuid.UUID, dict[uuid.UUID, uuid.UUID]]:
    """Ada and Grace, each with a category, two expenses and an event; returns their ids and each expense's owner."""
    ada, grace = uuid.uuid4(), uuid.uuid4()
    async with engine.begin() as conn:
        for owner, name in ((ada, "ada"), (grace, "grace")):
            await conn.execute(text("""
                INSERT INTO accounts (id, email, username, password_hash, is_active, created_at, updated_at,
                                      time_zone, currency)
                VALUES (:id, :name || '@example.com', :name, 'x', true, now(), now(), 'UTC', 'EUR')"""),
                {"id": owner, "name": name})
            await conn.execute(text("""
                INSERT INTO categories (id, owner_id, name, color, icon, created_at, updated_at)
                VALUES (gen_random_uuid(), :id, 'Food', '#000000', 'tag', now(), now())"""), {"id": owner})
            await conn.execute(text("""
                INSERT INTO expenses (id, owner_id, category_id, amount, currency, spent_on, description,
                                      payment_method, tags, tag_keys, fingerprint, created_at, updated_at)
                SELECT gen_random_uuid(), c.owner_id, c.id, n, 'EUR', date '2026-01-01', 'lunch', 'card', '{}', '{}',
                       md5(c.id::text || n), now(), now()
                FROM categories c, generate_series(1, 2) n WHERE c.owner_id = :id"""), {"id": owner})
        rows = await conn.execute(select(expenses.c.id, expenses.c.owner_id))
        return ada, grace, {expense_id: owner for expense_id, owner in rows}


async def test_a_query_stripped_of_its_owner_filter_still_returns_only_the_callers_rows(clean_postgres, app_engine):
    ada, grace, owners = await _two_owners(clean_postgres)
    graces = next(expense_id for expense_id, owner in owners.items() if owner == grace)
    get_one = PreparedRead(select(expenses).where(expenses.c.id == bindparam("id")))  # `get` without owner_id
    every = PreparedRead(select(expenses.c.owner_id))  # a list without owner_id
    conn = LazyConnection(app_engine, Scope(account=ada))
    try:
        assert await get_one.one(conn, id=graces) is None  # a prepared read outside the transaction
        assert [row["owner_id"] for row in await every.all(conn)] == [ada, ada]
        assert list(await conn.scalar(text("SELECT array_agg(owner_id) FROM expenses"))) == [ada, ada]  # inside
        assert await get_one.one(conn, id=graces) is None  # a prepared read inside the transaction
    finally:
        await conn.close()


async def test_without_an_account_a_unit_of_work_sees_and_writes_no_ones_rows(clean_postgres, app_engine):
    ada, grace, _ = await _two_owners(clean_postgres)
    nobody = LazyConnection(app_engine)
    try:
        assert await PreparedRead(select(expenses.c.id)).all(nobody) == []
        assert await nobody.scalar(text("SELECT count(*) FROM accounts")) == 0
    finally:
        await nobody.close()
    for scope in (Scope(), Scope(account=ada)):  # nobody, or Ada writing a row of Grace's
        conn = LazyConnection(app_engine, scope)
        try:
            with pytest.raises(Exception, match="row-level security"):
                await conn.execute(events.insert().values(
                    id=uuid.uuid4(), owner_id=grace, title="x", start_time=text("now()"),
                    end_time=text("now()"), time_zone="UTC", all_day=False, created_at=text("now()"),
                    updated_at=text("now()")))
        finally:
            await conn.close()


@pytest.mark.parametrize("storage", ["postgres"], indirect=True)
async def test_supabase_shaped_api_roles_read_and_write_nothing(clean_postgres, postgres_url, api, container):
    await seed_demo(container, "correct horse battery")
    headers = await user(api, "grace")
    key = await new_key(api, headers)
    assert (await api.post(GENERATIONS, json=PROMPT, headers={"X-API-Key": key["key"]})).status_code == 201
    async with clean_postgres.begin() as conn:
        await conn.execute(text("""
            DO $$ BEGIN
              IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'anon') THEN CREATE ROLE anon LOGIN; END IF;
              IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'authenticated') THEN
                CREATE ROLE authenticated LOGIN; END IF;
            END $$"""))
        await conn.execute(text("GRANT USAGE ON SCHEMA public TO anon, authenticated"))
        await conn.execute(text("GRANT ALL ON ALL TABLES IN SCHEMA public TO anon, authenticated"))
        samples = {name: (await conn.execute(text(f"SELECT row_to_json(t)::text FROM {name} t LIMIT 1"))).scalar()
                   for name, *_ in await _catalog(clean_postgres)}
    filled = [name for name, sample in samples.items() if sample is not None]
    assert len(filled) >= 25, f"too few tables hold a row to test with: {sorted(set(samples) - set(filled))}"
    for role in ("anon", "authenticated"):
        conn = await asyncpg.connect(as_role(postgres_url, role))
        try:
            for name, sample in samples.items():
                assert await conn.fetchval(f"SELECT count(*) FROM {name}") == 0, f"{role} reads {name}"
                assert await conn.execute(f"DELETE FROM {name}") == "DELETE 0", f"{role} deletes from {name}"
                if sample is None:
                    continue
                with pytest.raises(asyncpg.InsufficientPrivilegeError, match="row-level security"):
                    await conn.execute(f"INSERT INTO {name} SELECT * FROM json_populate_record(NULL::{name}, $1)",
                                       json.dumps(json.loads(sample)))
        finally:
            await conn.close()


async def test_the_app_role_is_neither_superuser_nor_bypasses_policies_nor_owns_a_table(clean_postgres, app_url):
    async with clean_postgres.connect() as conn:
        role = (await conn.execute(text(
            "SELECT rolsuper, rolbypassrls, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = 'atrium_app'"))).one()
        owned = await conn.scalar(text("SELECT count(*) FROM pg_tables WHERE tableowner = 'atrium_app'"))
    assert tuple(role) == (False, False, False, False) and owned == 0
    assert app_url.startswith("postgresql://atrium_app@")


def test_migrate_takes_the_app_roles_password_from_its_url_supabase_pooler_spelling_included():
    assert password_for("postgresql://atrium_app:s%40cret@db.example/atrium", "atrium_app") == "s@cret"
    assert password_for("postgresql://atrium_app.abcdef:pw@pooler.supabase.com:5432/postgres", "atrium_app") == "pw"
    assert password_for("postgresql://postgres:pw@db.example/atrium", "atrium_app") is None  # the owner's URL
    assert as_role("postgresql://postgres:pw@db.example:5432/atrium?x=1", "atrium_app") == \
        "postgresql://atrium_app@db.example:5432/atrium?x=1"


async def test_an_insert_sent_alone_acts_for_its_account_and_no_other(clean_postgres, app_engine):
    """A unit of work's only insert goes at commit as its own implicit transaction, setting the scope itself."""
    ada, grace, owners = await _two_owners(clean_postgres)
    async with clean_postgres.connect() as conn:
        adas_category = await conn.scalar(text("SELECT id FROM categories WHERE owner_id = :id"), {"id": ada})
    mine = [expense(ada, adas_category), expense(ada, adas_category, "2"), expense(ada, adas_category, "3")]
    for alone in ([mine[0]], mine[1:]):  # one insert, then two in one statement
        async with PostgresUnitOfWork(app_engine, account=ada) as uow:
            for each in alone:
                await uow.expenses.add(each)
            await uow.commit()
    async with PostgresUnitOfWork(app_engine, account=ada) as uow:
        assert [await uow.expenses.get(ada, each.id) for each in mine] == mine
    for scope in ({}, {"account": grace}):  # nobody, or Grace writing rows of Ada's
        for count in (1, 2):
            with pytest.raises(Exception, match="row-level security"):
                async with PostgresUnitOfWork(app_engine, **scope) as uow:
                    for _ in range(count):
                        await uow.expenses.add(expense(ada, adas_category))
                    await uow.commit()
    async with clean_postgres.connect() as conn:
        assert await conn.scalar(text("SELECT count(*) FROM expenses WHERE owner_id = :id"), {"id": ada}) == 5


async def test_an_insert_assuming_the_accounts_locale_checks_it_as_its_own_account_only(clean_postgres, app_engine):
    """The check of the assumed locale reads `accounts` after the insert set its scope: Ada's own insert finds her
    locale; Grace, writing a row of Ada's, cannot see Ada's account and stores nothing."""
    ada, grace, _ = await _two_owners(clean_postgres)
    async with clean_postgres.connect() as conn:
        category_id = await conn.scalar(text("SELECT id FROM categories WHERE owner_id = :id"), {"id": ada})
        currency, zone = (await conn.execute(
            text("SELECT currency, time_zone FROM accounts WHERE id = :id"), {"id": ada})).one()
        before = await conn.scalar(text("SELECT count(*) FROM expenses WHERE owner_id = :id"), {"id": ada})
    mine = expense(ada, category_id)
    async with PostgresUnitOfWork(app_engine, account=ada) as uow:
        await uow.expenses.add(mine, assuming=AccountLocale(currency, zone))
        await uow.commit()
    with pytest.raises(LocaleChanged):
        async with PostgresUnitOfWork(app_engine, account=grace) as uow:
            await uow.expenses.add(expense(ada, category_id, "2"), assuming=AccountLocale(currency, zone))
            await uow.commit()
    async with clean_postgres.connect() as conn:
        assert await conn.scalar(text("SELECT count(*) FROM expenses WHERE owner_id = :id"), {"id": ada}) == before + 1
