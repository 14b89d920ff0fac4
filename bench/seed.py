"""Realistic-scale seed data for the benchmark: 1,000 owners, 100k events, 1M expenses, one API key each."""

import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import asyncpg

from adapters.passwords import Argon2PasswordHasher
from adapters.postgres.database import asyncpg_url
from adapters.tokens import JwtTokenService
from domain.identity.api_key import new_secret
from domain.identity.session import hash_secret

SEED_VERSION = 1
OWNERS, EVENTS_PER_OWNER, EXPENSES_PER_OWNER = 1_000, 100, 1_000
# Delivery: the first DELIVERY_OWNERS owners have one source each with a deployment every 2.6 hours from
# DELIVERY_START (one in 20 failed, one in 10 to staging), five changes per deployment and an incident after one
# deployment in 15 (bench/delivery_metrics.py's shapes, at a tenth of its scale per owner).
DELIVERY_OWNERS, DELIVERIES, DELIVERY_CHANGES = 20, 2_000, 10_000
DELIVERY_START = datetime(2023, 1, 2, tzinfo=UTC)
PASSWORD = "bench-password"
SECRETS_FILE = "secrets.tsv"


@dataclass(frozen=True)
class Owner:
    index: int
    id: uuid.UUID
    email: str
    token: str
    api_key: str
    event_ids: tuple[uuid.UUID, ...]
    category_id: uuid.UUID
    workout_plan_id: uuid.UUID | None  # the first DELIVERY_OWNERS owners have a fitness profile and a plan


async def seed(url: str, jwt_secret: str, work_dir) -> list[Owner]:
    """Seed once (kept across runs in the benchmark's own cluster); return the owners with credentials."""
    conn = await asyncpg.connect(asyncpg_url(url).replace("postgresql+asyncpg", "postgresql"))
    try:
        await conn.execute("CREATE TABLE IF NOT EXISTS bench_seed (version int NOT NULL)")
        if await conn.fetchval("SELECT max(version) FROM bench_seed") != SEED_VERSION:
            await _load(conn, work_dir)
        if not await conn.fetchval("SELECT EXISTS (SELECT FROM delivery_sources)"):
            await _load_delivery(conn)
        if not await conn.fetchval("SELECT EXISTS (SELECT FROM workout_plans)"):
            await _load_fitness(conn, url, jwt_secret, work_dir)
        return await _owners(conn, jwt_secret, work_dir)
    finally:
        await conn.close()


async def _load(conn: asyncpg.Connection, work_dir) -> None:
    print("seeding 1,000 owners, 100k events, 1M expenses (once) …", flush=True)
    password_hash = await Argon2PasswordHasher().hash(PASSWORD)
    keys = [new_secret(secrets.token_bytes(32)) for _ in range(OWNERS)]
    (work_dir / SECRETS_FILE).write_text("\n".join(keys) + "\n")
    async with conn.transaction():
        await conn.execute("TRUNCATE accounts CASCADE; DELETE FROM bench_seed")
        await conn.execute("""
            INSERT INTO accounts (id, email, username, full_name, password_hash, is_active,
                                  created_at, updated_at, time_zone, currency)
            SELECT gen_random_uuid(), 'bench' || g || '@example.com', 'bench' || g, NULL, $1, true,
                   now(), now(), 'UTC', 'EUR'
            FROM generate_series(1, $2) g""", password_hash, OWNERS)
        await conn.execute("""
            INSERT INTO categories (id, owner_id, name, color, icon, created_at, updated_at)
            SELECT gen_random_uuid(), a.id, c.name, c.color, c.icon, now(), now()
            FROM accounts a CROSS JOIN (VALUES ('Food', '#E4572E', 'utensils'), ('Transport', '#17BEBB', 'bus'),
                 ('Shopping', '#FFC914', 'shopping-bag'), ('Bills', '#2E282A', 'receipt'),
                 ('Entertainment', '#76B041', 'film'), ('Health', '#B10F2E', 'heart')) c(name, color, icon)""")
        await conn.execute("""
            INSERT INTO events (id, owner_id, title, description, location, start_time, end_time, time_zone,
                                all_day, recurrence, recurrence_until, created_at, updated_at, deleted_at)
            SELECT gen_random_uuid(), a.id, 'Event ' || g, NULL, NULL,
                   timestamptz '2026-01-01 09:00Z' + (g - 1) * interval '1 day',
                   timestamptz '2026-01-01 10:00Z' + (g - 1) * interval '1 day',
                   'UTC', false, NULL, NULL, now(), now(), NULL
            FROM accounts a CROSS JOIN generate_series(1, $1) g""", EVENTS_PER_OWNER)
        await conn.execute("""
            WITH cats AS (SELECT owner_id, array_agg(id ORDER BY name) AS ids FROM categories GROUP BY owner_id)
            INSERT INTO expenses (id, owner_id, category_id, amount, currency, spent_on, description,
                                  payment_method, tags, tag_keys, notes, receipt_url, fingerprint,
                                  created_at, updated_at)
            SELECT gen_random_uuid(), c.owner_id, c.ids[1 + g % 6], round((1 + random() * 199)::numeric, 2),
                   'EUR', date '2024-01-01' + (g % 1000), 'expense ' || g, 'card', '{}', '{}', NULL, NULL,
                   md5(c.owner_id::text || g), now(), now()
            FROM cats c CROSS JOIN generate_series(1, $1) g""", EXPENSES_PER_OWNER)
        owners = await conn.fetch("SELECT id FROM accounts ORDER BY email")
        await conn.executemany("""
            INSERT INTO api_keys (id, owner_id, name, key_hash, prefix, daily_quota, created_at)
            VALUES (gen_random_uuid(), $1, 'bench', $2, $3, 1000000, now())""",
            [(row["id"], hash_secret(key), key[:13]) for row, key in zip(owners, keys)])
        await conn.execute("INSERT INTO bench_seed VALUES ($1)", SEED_VERSION)
    await conn.execute("ANALYZE")


async def _load_delivery(conn: asyncpg.Connection) -> None:
    from bench.delivery_metrics import LOAD

    print(f"seeding delivery records for {DELIVERY_OWNERS} owners (once) …", flush=True)
    owners = await conn.fetch("SELECT id FROM accounts WHERE email LIKE 'bench%' ORDER BY email LIMIT $1",
                              DELIVERY_OWNERS)
    async with conn.transaction():
        for row in owners:
            source_id = await conn.fetchval("""
                INSERT INTO delivery_sources (id, owner_id, kind, target, deployment_patterns, production_pattern,
                                              incident_labels, incident_pattern, sealed_token, created_at, updated_at)
                VALUES (gen_random_uuid(), $1, 'git', '/bench/app', '{}', '', '{}', '', NULL, now(), now())
                RETURNING id""", row["id"])
            arguments = (row["id"], source_id, DELIVERY_START, DELIVERIES, DELIVERY_CHANGES)
            for statement in LOAD:
                await conn.execute(statement, *arguments[: max(int(part[0]) for part in statement.split("$")[1:])])
    for table in ("delivery_deployments", "delivery_changes", "delivery_deployed_commits", "delivery_incidents"):
        await conn.execute(f"VACUUM ANALYZE {table}")


async def _load_fitness(conn: asyncpg.Connection, url: str, jwt_secret: str, work_dir) -> None:
    """A profile and a generated 8-week plan for each of the first DELIVERY_OWNERS owners, through Atrium's use
    cases (a plan is a JSON document its generator writes)."""
    from entrypoints.container import build_container
    from entrypoints.settings import Settings

    print(f"seeding fitness plans for {DELIVERY_OWNERS} owners (once) …", flush=True)
    settings = Settings(_env_file=None, storage="postgres", database_url=url, data_dir=work_dir / "data",
                        jwt_secret=jwt_secret, secret_key="bench-seed-" + "z" * 40, db_pool_size=2)
    container = build_container(settings)
    fitness = container.fitness
    owners = await conn.fetch("SELECT id FROM accounts WHERE email LIKE 'bench%' ORDER BY email LIMIT $1",
                              DELIVERY_OWNERS)
    try:
        for row in owners:
            await fitness.put_profile()(
                row["id"], sex="female", birth_date=date(1991, 4, 12), height_cm=168, weight_kg=68.4,
                activity_level="moderate", goal="lose", weekly_rate_kg=0.4, experience="intermediate",
                equipment=["barbell", "dumbbell", "cable", "machine"], training_days_per_week=4,
                session_minutes=60, diet="pescatarian", excluded_foods=[], meals_per_day=4)
            await fitness.create_workout_plan()(row["id"], name="Spring strength", auto_adapt=False)
    finally:
        await container.infrastructure.engine().dispose()
    await conn.execute("ANALYZE workout_plans; ANALYZE workout_plan_versions")


async def _owners(conn: asyncpg.Connection, jwt_secret: str, work_dir) -> list[Owner]:
    tokens = JwtTokenService(jwt_secret, ttl=timedelta(days=1))
    keys = (work_dir / SECRETS_FILE).read_text().split()
    rows = await conn.fetch("""
        SELECT a.id, a.email,
               (SELECT array_agg(e.id ORDER BY e.start_time) FROM (SELECT id, start_time FROM events
                 WHERE owner_id = a.id ORDER BY start_time LIMIT 5) e) AS event_ids,
               (SELECT c.id FROM categories c WHERE c.owner_id = a.id ORDER BY c.name LIMIT 1) AS category_id,
               (SELECT w.id FROM workout_plans w WHERE w.owner_id = a.id LIMIT 1) AS workout_plan_id
        FROM accounts a WHERE a.email LIKE 'bench%' ORDER BY a.email""")
    now = datetime.now(UTC)
    return [Owner(index=i, id=row["id"], email=row["email"],
                  token=tokens.issue_access_token(account_id=row["id"], session_id=uuid.uuid4(), now=now).token,
                  api_key=keys[i], event_ids=tuple(row["event_ids"]), category_id=row["category_id"],
                  workout_plan_id=row["workout_plan_id"])
            for i, row in enumerate(rows)]

