"""The floor: bare Starlette + asyncpg answering the benchmark's requests, the best way we know to hand-write them.

It does the same essential work as Atrium (verify the token or key, check ownership, rate-limit and meter, render,
write), on a pool of the same size, with none of the layers, so Atrium/baseline measures what the hexagon costs.
"Best" means: one round trip wherever one statement can do the work (Atrium sends two for a list, four for a
generation), and PostgreSQL builds every JSON answer (`json_build_object`, `json_agg`), which the baseline passes
through as bytes. `bench/run.py` checks that both answer the same before it measures.
"""

import argparse
import asyncio
import base64
import hashlib
import json
import secrets
import uuid
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, InvalidOperation

import asyncpg
import jwt
import uvicorn
from argon2 import PasswordHasher
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from adapters.blobs import FilesystemBlobStore
import baseline_delivery  # bench/, next to this script
import baseline_fitness
from adapters.imaging.pillow_generator import render
from adapters.postgres.database import asyncpg_url
from domain.imaging.generation import ImageFormat
from entrypoints.settings import Settings

settings = Settings()
SECRET = settings.resolved_jwt_secret()
BLOBS = FilesystemBlobStore(settings.data_dir / "baseline-blobs")
RATE_INTERVAL = timedelta(seconds=1) / settings.api_key_rate_per_second
RATE_TOLERANCE = RATE_INTERVAL * settings.api_key_rate_burst
LOGIN_INTERVAL = timedelta(minutes=5) / settings.login_attempts_per_ip
LOGIN_TOLERANCE = LOGIN_INTERVAL * settings.login_attempts_per_ip
argon2 = PasswordHasher(time_cost=2, memory_cost=19_456, parallelism=1)
DUMMY_HASH = argon2.hash("no such account")
pool: asyncpg.Pool


def _local(column: str) -> str:
    """SQL for `column` as ISO 8601 in the row's own time zone, with its offset (Z for UTC), as Atrium answers."""
    local = f"({column} AT TIME ZONE time_zone)"
    offset = f"extract(epoch FROM {local} - ({column} AT TIME ZONE 'UTC'))::int"
    return (f"to_char({local}, 'YYYY-MM-DD\"T\"HH24:MI:SS') || CASE WHEN {offset} = 0 THEN 'Z' ELSE "
            f"CASE WHEN {offset} > 0 THEN '+' ELSE '-' END || to_char(make_interval(secs => abs({offset})), "
            f"'HH24:MI') END")


EVENT = f"""
SELECT json_build_object(
    'id', id, 'title', title, 'description', description, 'location', location,
    'start_time', {_local('start_time')}, 'end_time', {_local('end_time')},
    'start_date', CASE WHEN all_day THEN (start_time AT TIME ZONE time_zone)::date END,
    'end_date', CASE WHEN all_day THEN (end_time AT TIME ZONE time_zone)::date - 1 END,
    'time_zone', time_zone, 'all_day', all_day, 'recurrence', recurrence,
    'created_at', created_at, 'updated_at', updated_at)::text
FROM events WHERE id = $1 AND owner_id = $2 AND deleted_at IS NULL"""

# Atrium's window query (adapters/postgres/calendar/events.py) with its plan: live one-off events starting in the
# window (btree on owner, start, id, in order) and those begun before it and still running (GiST on owner and
# span); plus, in the same statement, how many live series may occur in the window (the owner/series/start
# index). $4 is the page size plus one: the extra row only says that another page exists.
EVENTS_PAGE = f"""
WITH singles AS (
    SELECT * FROM (
        (SELECT * FROM events
         WHERE owner_id = $1 AND deleted_at IS NULL AND recurrence IS NULL AND start_time >= $2 AND start_time < $3
         ORDER BY start_time, id LIMIT $4)
        UNION ALL
        SELECT * FROM events
        WHERE owner_id = $1 AND deleted_at IS NULL AND recurrence IS NULL
          AND tstzrange(start_time, end_time, '[]') @> $2::timestamptz AND start_time < $2 AND end_time > $2
    ) found ORDER BY start_time, id LIMIT $4
), page AS (
    SELECT *, row_number() OVER (ORDER BY start_time, id) AS n FROM singles
)
SELECT coalesce(json_agg(json_build_object(
           'event_id', id, 'series_id', NULL, 'title', title, 'description', description, 'location', location,
           'start_time', {_local('start_time')}, 'end_time', {_local('end_time')}, 'time_zone', time_zone,
           'all_day', all_day, 'recurrence', recurrence) ORDER BY n) FILTER (WHERE n < $4), '[]')::text AS items,
       count(*) = $4 AS more,
       max(start_time) FILTER (WHERE n = $4 - 1) AS last_start, max(id::text) FILTER (WHERE n = $4 - 1) AS last_id,
       (SELECT count(*) FROM events
        WHERE owner_id = $1 AND deleted_at IS NULL AND recurrence IS NOT NULL AND start_time < $3
          AND (recurrence_until IS NULL OR recurrence_until >= $2)) AS series
FROM page"""

# The expense takes the account's currency, and its fingerprint is computed, in the insert itself.
EXPENSE = """
INSERT INTO expenses (id, owner_id, category_id, amount, currency, spent_on, description, payment_method, tags,
                      tag_keys, notes, receipt_url, fingerprint, created_at, updated_at)
SELECT $1, a.id, $3, $4, a.currency, $5, $6, $7, '{}', '{}', NULL, NULL,
       encode(sha256(convert_to(concat_ws('|', $5::date, $4::numeric, a.currency, $3::uuid, $6::text, $7::text),
                                'UTF8')), 'hex'), $8, $8
FROM accounts a WHERE a.id = $2
RETURNING json_build_object(
    'id', id, 'amount', amount::text, 'currency', currency, 'date', spent_on, 'category_id', category_id,
    'description', description, 'payment_method', payment_method, 'tags', tags, 'notes', notes,
    'receipt_url', receipt_url, 'created_at', created_at, 'updated_at', updated_at)::text"""

# One round trip: the key by its hash, its GCRA rate limit (as adapters/postgres/rate_limiter.py), and one unit of
# its daily quota, spent only when the rate limit let the request through.
METER = """
WITH k AS (
    SELECT id, owner_id, daily_quota FROM api_keys
    WHERE key_hash = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $2)
), hit AS (
    INSERT INTO rate_limits AS r (key, tat) SELECT 'api_key:' || k.id, $2 + $3::interval FROM k
    ON CONFLICT (key) DO UPDATE SET tat = greatest(r.tat, $2) + $3::interval
    WHERE greatest(r.tat, $2) + $3::interval - $4::interval <= $2
    RETURNING tat
), spent AS (
    INSERT INTO api_key_usage AS u (owner_id, api_key_id, usage_date, used, quota)
    SELECT k.owner_id, k.id, $5, 1, k.daily_quota FROM k WHERE EXISTS (SELECT FROM hit)
    ON CONFLICT (api_key_id, usage_date) DO UPDATE SET used = u.used + 1, quota = EXCLUDED.quota
    WHERE u.used + 1 <= EXCLUDED.quota
    RETURNING used
)
SELECT k.id, k.owner_id, EXISTS (SELECT FROM hit) AS allowed, (SELECT used FROM spent) AS used FROM k"""

GENERATION = """
INSERT INTO image_generations (id, owner_id, api_key_id, prompt, width, height, seed, format, blob_key, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
RETURNING json_build_object('id', id, 'url', '/api/v1/images/' || id, 'prompt', prompt, 'width', width,
                            'height', height, 'seed', seed, 'format', format, 'created_at', created_at)::text"""


# Login: the client address's attempt is counted (GCRA), its failure counts read and the account found in one round
# trip; after the password, the session and its first refresh token are written in another.
LOGIN_CHECKS = """
WITH hit AS (
    INSERT INTO rate_limits AS r (key, tat) VALUES ($1, $2::timestamptz + $3::interval)
    ON CONFLICT (key) DO UPDATE SET tat = greatest(r.tat, $2::timestamptz) + $3::interval
    WHERE greatest(r.tat, $2::timestamptz) + $3::interval - $4::interval <= $2::timestamptz
    RETURNING tat
)
SELECT EXISTS (SELECT FROM hit) AS allowed,
       (SELECT array_agg(tat) FROM rate_limits WHERE key = ANY($5::text[])) AS failures,
       a.id, a.password_hash
FROM (SELECT) one LEFT JOIN accounts a ON a.email = $6 AND a.is_active"""

SESSION = """
WITH s AS (INSERT INTO sessions (id, owner_id, started_at, client_address) VALUES ($1, $2, $3, $4))
INSERT INTO refresh_tokens (id, owner_id, family_id, token_hash, issued_at, expires_at)
VALUES ($5, $2, $1, $6, $3, $7)"""


def problem(status: int, code: str) -> JSONResponse:
    return JSONResponse({"status": status, "code": code}, status_code=status, media_type="application/problem+json")


def json_bytes(text: str, status: int = 200) -> Response:
    return Response(text, status_code=status, media_type="application/json")


def owner_of(request: Request) -> uuid.UUID | None:
    header = request.headers.get("authorization", "")
    try:
        claims = jwt.decode(header.removeprefix("Bearer "), SECRET, algorithms=["HS256"], audience="atrium")
        return uuid.UUID(claims["sub"])
    except (jwt.PyJWTError, KeyError, ValueError):
        return None


async def get_event(request: Request) -> Response:
    owner = owner_of(request)
    if owner is None:
        return problem(401, "unauthorized")
    text = await pool.fetchval(EVENT, request.path_params["id"], owner)
    return problem(404, "not_found") if text is None else json_bytes(text)


def cursor(start: datetime, event_id: str) -> str:
    """Atrium's cursor (application/shared/pages.py): URL-safe base64, unpadded, of the position as JSON."""
    return base64.urlsafe_b64encode(json.dumps([start.isoformat(), event_id], separators=(",", ":")).encode()
                                    ).decode().rstrip("=")


async def list_events(request: Request) -> Response:
    owner = owner_of(request)
    if owner is None:
        return problem(401, "unauthorized")
    try:
        start = datetime.fromisoformat(request.query_params["from"])
        end = datetime.fromisoformat(request.query_params["to"])
        limit = int(request.query_params.get("limit", 50))
    except (KeyError, ValueError):
        return problem(422, "validation_failed")
    if not 1 <= limit <= 200 or start.tzinfo is None or end.tzinfo is None:
        return problem(422, "validation_failed")
    row = await pool.fetchrow(EVENTS_PAGE, owner, start, end, limit + 1)
    if row["series"]:  # expanding recurrence rules is Atrium's work the benchmark's seed never asks for
        return problem(501, "series_not_supported_by_the_baseline")
    next_cursor = json.dumps(cursor(row["last_start"], row["last_id"])) if row["more"] else "null"
    return json_bytes(f'{{"items":{row["items"]},"next_cursor":{next_cursor}}}')


async def create_expense(request: Request) -> Response:
    owner = owner_of(request)
    if owner is None:
        return problem(401, "unauthorized")
    try:
        body = json.loads(await request.body(), parse_float=Decimal, parse_int=Decimal)
        amount = Decimal(body["amount"])
        category = uuid.UUID(body["category_id"])
        spent_on = date.fromisoformat(body["date"])
    except (ValueError, KeyError, TypeError, InvalidOperation):
        return problem(422, "validation_failed")
    if not amount > 0 or amount.as_tuple().exponent < -2:
        return problem(422, "validation_failed")
    try:
        text = await pool.fetchval(EXPENSE, uuid.uuid4(), owner, category, amount, spent_on, body.get("description"),
                                   body.get("payment_method", "other"), datetime.now(UTC))
    except asyncpg.ForeignKeyViolationError:
        return problem(422, "unknown_category")
    return problem(401, "unauthorized") if text is None else json_bytes(text, 201)


async def generate_image(request: Request) -> Response:
    key = request.headers.get("x-api-key", "")
    now = datetime.now(UTC)
    metered = await pool.fetchrow(METER, hashlib.sha256(key.encode()).hexdigest(), now, RATE_INTERVAL,
                                  RATE_TOLERANCE, now.date())
    if metered is None:
        return problem(401, "key_invalid")
    if not metered["allowed"]:
        return problem(429, "rate_limited")
    if metered["used"] is None:
        return problem(429, "quota_exceeded")
    try:
        body = json.loads(await request.body())
        prompt, width, height = body["prompt"], int(body["width"]), int(body["height"])
        fmt = ImageFormat(body.get("format", "png"))
    except (ValueError, KeyError, TypeError):
        return problem(422, "validation_failed")
    generation_id = uuid.uuid4()
    seed = generation_id.int & 0xFFFFFFFF
    data = await asyncio.to_thread(render, prompt, width, height, seed, fmt)
    blob_key = f"images/{metered['owner_id']}/{generation_id}.{fmt.value}"
    await BLOBS.put(blob_key, data)
    text = await pool.fetchval(GENERATION, generation_id, metered["owner_id"], metered["id"], prompt, width, height,
                               seed, fmt.value, blob_key, now)
    return json_bytes(text, 201)


async def login(request: Request) -> Response:
    body = json.loads(await request.body())
    email = body["email"].strip().lower()
    now = datetime.now(UTC)
    address = request.client.host if request.client else ""
    row = await pool.fetchrow(LOGIN_CHECKS, f"login:ip:{address}", now, LOGIN_INTERVAL, LOGIN_TOLERANCE,
                              [f"login_failures:{email}:{address}", f"login_failures:{email}:hour",
                               f"login_failures:{email}:day"], email)
    if not row["allowed"] or any(tat is not None and tat > now + LOGIN_TOLERANCE for tat in row["failures"] or ()):
        return problem(429, "too_many_logins")
    try:
        await asyncio.to_thread(argon2.verify, row["password_hash"] or DUMMY_HASH, body["password"])
    except Exception:
        return problem(401, "invalid_credentials")
    refresh = secrets.token_urlsafe(32)
    session = uuid.uuid4()
    await pool.execute(SESSION, session, row["id"], now, address, uuid.uuid4(),
                       hashlib.sha256(refresh.encode()).hexdigest(), now + timedelta(days=30))
    issued = int(now.timestamp())
    ttl = settings.access_token_ttl_seconds
    access = jwt.encode({"sub": str(row["id"]), "sid": str(session), "aud": "atrium", "iat": issued,
                         "exp": issued + ttl, "jti": uuid.uuid4().hex}, SECRET, algorithm="HS256")
    return JSONResponse({"access_token": access, "refresh_token": refresh, "token_type": "bearer", "expires_in": ttl})


async def delivery_metrics(request: Request) -> Response:
    owner = owner_of(request)
    if owner is None:
        return problem(401, "unauthorized")
    return Response(await baseline_delivery.metrics(pool, owner, request.query_params), media_type="application/json")


async def workout_plan(request: Request) -> Response:
    owner = owner_of(request)
    if owner is None:
        return problem(401, "unauthorized")
    body = await baseline_fitness.workout_plan(pool, owner, request.path_params["id"])
    return problem(404, "not_found") if body is None else Response(body, media_type="application/json")


async def health(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


async def _keep(connection: asyncpg.Connection) -> None:
    """No reset when a connection goes back to the pool: nothing here leaves session state behind (no LISTEN,
    no advisory lock, no SET), so asyncpg's default reset would only cost a round trip per request."""


@asynccontextmanager
async def lifespan(app: Starlette):
    global pool
    url = asyncpg_url(settings.database_url).replace("postgresql+asyncpg", "postgresql")
    size = settings.db_pool_size + settings.db_max_overflow  # as many connections as Atrium may hold
    pool = await asyncpg.create_pool(url, min_size=size, max_size=size, reset=_keep,
                                     server_settings={"timezone": "UTC"})
    yield
    await pool.close()


app = Starlette(lifespan=lifespan, routes=[
    Route("/health", health),
    Route("/api/v1/events/{id:uuid}", get_event),
    Route("/api/v1/events", list_events),
    Route("/api/v1/expenses", create_expense, methods=["POST"]),
    Route("/api/v1/images/generations", generate_image, methods=["POST"]),
    Route("/api/v1/auth/login", login, methods=["POST"]),
    Route("/api/v1/delivery/metrics", delivery_metrics),
    Route("/api/v1/workout-plans/{id:uuid}", workout_plan),
])

if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    uvicorn.run(app, host="127.0.0.1", port=parser.parse_args().port, log_level="warning",
                loop="uvloop", http="httptools", access_log=False)
