"""The baseline: bare Starlette + asyncpg answering the benchmark's requests with hand-written SQL.

It does the same essential work as Atrium (verify the token or key, check ownership, meter, render,
write) with none of the layers, so Atrium/baseline measures what the hexagon costs.
"""

import argparse
import asyncio
import hashlib
import json
import os
import secrets
import uuid
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import asyncpg
import jwt
import uvicorn
from argon2 import PasswordHasher
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from adapters.imaging.pillow_generator import render
from domain.imaging.generation import ImageFormat

SECRET = os.environ["ATRIUM_JWT_SECRET"]
BLOBS = Path(os.environ.get("ATRIUM_DATA_DIR", "/tmp")) / "baseline-blobs"
argon2 = PasswordHasher(time_cost=2, memory_cost=19_456, parallelism=1)
pool: asyncpg.Pool


def problem(status: int, code: str) -> JSONResponse:
    return JSONResponse({"status": status, "code": code}, status_code=status, media_type="application/problem+json")


def owner_of(request: Request) -> uuid.UUID | None:
    header = request.headers.get("authorization", "")
    try:
        claims = jwt.decode(header.removeprefix("Bearer "), SECRET, algorithms=["HS256"], audience="atrium")
        return uuid.UUID(claims["sub"])
    except (jwt.PyJWTError, KeyError, ValueError):
        return None


def event_json(row) -> dict:
    return {"id": str(row["id"]), "series_id": str(row["id"]), "title": row["title"],
            "description": row["description"], "location": row["location"],
            "start_time": row["start_time"].isoformat(), "end_time": row["end_time"].isoformat(),
            "time_zone": row["time_zone"], "all_day": row["all_day"], "recurrence": row["recurrence"]}


async def get_event(request: Request) -> Response:
    owner = owner_of(request)
    if owner is None:
        return problem(401, "unauthorized")
    row = await pool.fetchrow("SELECT * FROM events WHERE id = $1 AND owner_id = $2 AND deleted_at IS NULL",
                              uuid.UUID(request.path_params["id"]), owner)
    return problem(404, "not_found") if row is None else JSONResponse(event_json(row))


async def list_events(request: Request) -> Response:
    owner = owner_of(request)
    if owner is None:
        return problem(401, "unauthorized")
    start = datetime.fromisoformat(request.query_params["from"])
    end = datetime.fromisoformat(request.query_params["to"])
    limit = int(request.query_params.get("limit", 50))
    rows = await pool.fetch(
        "SELECT * FROM events WHERE owner_id = $1 AND deleted_at IS NULL AND start_time < $3 AND end_time > $2 "
        "ORDER BY start_time, id LIMIT $4", owner, start, end, limit + 1)
    return JSONResponse({"items": [event_json(r) for r in rows[:limit]],
                         "next_cursor": "more" if len(rows) > limit else None})


async def create_expense(request: Request) -> Response:
    owner = owner_of(request)
    if owner is None:
        return problem(401, "unauthorized")
    body = json.loads(await request.body(), parse_float=Decimal)
    now = datetime.now(UTC)
    try:
        row = await pool.fetchrow(
            "INSERT INTO expenses (id, owner_id, category_id, amount, currency, spent_on, description, "
            "payment_method, tags, tag_keys, notes, receipt_url, fingerprint, created_at, updated_at) "
            "VALUES ($1, $2, $3, $4, 'EUR', $5, $6, $7, '{}', '{}', NULL, NULL, $8, $9, $9) RETURNING *",
            uuid.uuid4(), owner, uuid.UUID(body["category_id"]), Decimal(str(body["amount"])),
            date.fromisoformat(body["date"]), body.get("description"), body.get("payment_method", "other"),
            secrets.token_hex(16), now)
    except asyncpg.ForeignKeyViolationError:
        return problem(422, "unknown_category")
    return JSONResponse({"id": str(row["id"]), "amount": str(row["amount"]), "currency": row["currency"],
                         "date": row["spent_on"].isoformat(), "category_id": str(row["category_id"]),
                         "description": row["description"], "payment_method": row["payment_method"],
                         "tags": [], "notes": None, "receipt_url": None,
                         "created_at": row["created_at"].isoformat()}, status_code=201)


async def generate_image(request: Request) -> Response:
    key = request.headers.get("x-api-key", "")
    api_key = await pool.fetchrow(
        "SELECT id, owner_id, daily_quota FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL",
        hashlib.sha256(key.encode()).hexdigest())
    if api_key is None:
        return problem(401, "key_invalid")
    body = json.loads(await request.body())
    today = datetime.now(UTC).date()
    used = await pool.fetchval(
        "INSERT INTO api_key_usage (owner_id, api_key_id, usage_date, used, quota) VALUES ($1, $2, $3, 1, $4) "
        "ON CONFLICT (api_key_id, usage_date) DO UPDATE SET used = api_key_usage.used + 1 "
        "WHERE api_key_usage.used + 1 <= EXCLUDED.quota RETURNING used",
        api_key["owner_id"], api_key["id"], today, api_key["daily_quota"])
    if used is None:
        return problem(429, "quota_exceeded")
    generation_id = uuid.uuid4()
    fmt = ImageFormat(body.get("format", "png"))
    data = await asyncio.to_thread(render, body["prompt"], body["width"], body["height"], 0, fmt)
    blob = BLOBS / f"{generation_id}.{fmt.value}"
    await asyncio.to_thread(blob.write_bytes, data)
    now = datetime.now(UTC)
    await pool.execute(
        "INSERT INTO image_generations (id, owner_id, api_key_id, prompt, width, height, seed, format, blob_key, "
        "created_at) VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $8, $9)",
        generation_id, api_key["owner_id"], api_key["id"], body["prompt"], body["width"], body["height"],
        fmt.value, blob.name, now)
    return JSONResponse({"id": str(generation_id), "url": f"/api/v1/images/{generation_id}",
                         "width": body["width"], "height": body["height"], "format": fmt.value,
                         "created_at": now.isoformat()}, status_code=201)


async def login(request: Request) -> Response:
    body = json.loads(await request.body())
    row = await pool.fetchrow("SELECT id, password_hash FROM accounts WHERE email = $1", body["email"].lower())
    try:
        await asyncio.to_thread(argon2.verify, row["password_hash"] if row else "", body["password"])
    except Exception:
        return problem(401, "invalid_credentials")
    now = datetime.now(UTC)
    refresh = secrets.token_urlsafe(32)
    family = uuid.uuid4()
    await pool.execute(
        "INSERT INTO refresh_tokens (id, owner_id, family_id, token_hash, issued_at, expires_at) "
        "VALUES ($1, $2, $3, $4, $5, $6)", uuid.uuid4(), row["id"], family,
        hashlib.sha256(refresh.encode()).hexdigest(), now, now + timedelta(days=30))
    issued = int(now.timestamp())
    access = jwt.encode({"sub": str(row["id"]), "sid": str(family), "aud": "atrium", "iat": issued,
                         "exp": issued + 900, "jti": uuid.uuid4().hex}, SECRET, algorithm="HS256")
    return JSONResponse({"access_token": access, "refresh_token": refresh, "token_type": "bearer", "expires_in": 900})


async def health(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


@asynccontextmanager
async def lifespan(app: Starlette):
    global pool
    from adapters.postgres.database import asyncpg_url

    BLOBS.mkdir(parents=True, exist_ok=True)
    url = asyncpg_url(os.environ["ATRIUM_DATABASE_URL"]).replace("postgresql+asyncpg", "postgresql")
    pool = await asyncpg.create_pool(url, min_size=10, max_size=20)
    yield
    await pool.close()


app = Starlette(lifespan=lifespan, routes=[
    Route("/health", health),
    Route("/api/v1/events/{id}", get_event),
    Route("/api/v1/events", list_events),
    Route("/api/v1/expenses", create_expense, methods=["POST"]),
    Route("/api/v1/images/generations", generate_image, methods=["POST"]),
    Route("/api/v1/auth/login", login, methods=["POST"]),
])

if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    uvicorn.run(app, host="127.0.0.1", port=parser.parse_args().port, log_level="warning",
                loop="uvloop", http="httptools", access_log=False)
