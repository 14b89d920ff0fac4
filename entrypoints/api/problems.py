"""RFC 9457 problem details for every error the API returns."""

import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, TypeVar, cast

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from application.shared.errors import StorageUnavailable, UpstreamFailed
from domain.shared.errors import (
    AuthenticationFailed, Conflict, DomainError, InvalidValue, NotFound, PermissionDenied,
    TooManyRequests,
)

E = TypeVar("E", bound=Exception)
PROBLEM_JSON = "application/problem+json"
_STATUS: tuple[tuple[type[DomainError], int], ...] = (
    (NotFound, 404), (Conflict, 409), (InvalidValue, 422), (AuthenticationFailed, 401),
    (PermissionDenied, 403), (TooManyRequests, 429),
)


class FieldError(BaseModel):
    location: str
    field: str
    message: str


class Problem(BaseModel):
    """An RFC 9457 problem; `code` is stable and meant for programs."""

    type: str
    title: str
    status: int
    detail: str
    code: str
    errors: list[FieldError] | None = None


def problem(status: int, code: str, title: str, detail: str, *,
            errors: Sequence[Mapping[str, object]] | None = None,
            headers: dict[str, str] | None = None) -> JSONResponse:
    body: dict[str, Any] = {"type": f"urn:atrium:problem:{code}", "title": title,
                            "status": status, "detail": detail, "code": code}
    if errors is not None:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM_JSON)


def status_of(error: DomainError) -> int:
    return next((status for kind, status in _STATUS if isinstance(error, kind)), 400)


async def _domain_error(request: Request, error: DomainError) -> JSONResponse:
    status = status_of(error)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    if isinstance(error, TooManyRequests):
        headers = {"Retry-After": str(error.retry_after)}
    errors = None
    if isinstance(error, InvalidValue):
        location = getattr(error, "location", None) or _location(request, error.field)
        errors = [{"location": location, "field": error.field, "message": error.detail}]
    return problem(status, error.code, error.title, error.detail, errors=errors, headers=headers)


def _location(request: Request, field: str) -> str:
    """Where the request carried the field a domain rule rejected: its query, its path, else its body (or where the
    error says the field lives, as a plan's profile)."""
    if field in request.query_params:
        return "query"
    return "path" if field in request.path_params else "body"


async def _validation_error(request: Request, error: RequestValidationError) -> JSONResponse:
    errors = []
    for item in error.errors():
        location, *path = item.get("loc") or ("body",)
        message = item.get("msg", "is invalid")
        if item.get("type") == "json_invalid":  # the whole body, and what was wrong with it
            path, error_text = [], (item.get("ctx") or {}).get("error")
            message = f"{message}: {error_text}" if error_text else message
        errors.append({"location": str(location),
                       "field": ".".join(str(part) for part in path) or str(location),
                       "message": message})
    return problem(422, "validation_failed", "Invalid request",
                   "; ".join(f"{e['field']}: {e['message']}" for e in errors), errors=errors)


async def _http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
    code = {404: "not_found", 405: "method_not_allowed", 413: "payload_too_large"}.get(
        error.status_code, "http_error")
    title = "Not found" if error.status_code == 404 else str(error.detail)
    detail = "no such route" if error.status_code == 404 and error.detail == "Not Found" else str(error.detail)
    headers = getattr(error, "headers", None)
    if error.status_code == 405:
        headers = {**(headers or {}), **_documented_allow(request)}
    return problem(error.status_code, code, title, detail, headers=headers)


def _documented_allow(request: Request) -> dict[str, str]:
    """Allow: the methods the OpenAPI documents for this path (Starlette names only the first route's), from its
    literal path if there is one (`/expenses/export.csv`), else from the templates it fits (`/expenses/{id}`)."""
    paths = request.app.openapi()["paths"]
    templates = [request.url.path] if request.url.path in paths else [
        template for template in paths if "{" in template and re.fullmatch("".join(
            "[^/]+" if part.startswith("{") else re.escape(part) for part in re.split(r"(\{[^}]+\})", template)),
            request.url.path)]
    methods = {method.upper() for template in templates for method in paths[template] if method in _METHODS}
    return {"Allow": ", ".join(sorted(methods))} if methods else {}


_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


async def _storage_unavailable(request: Request, error: StorageUnavailable) -> JSONResponse:
    return problem(503, "service_unavailable", "Service unavailable",
                   f"{error or 'the database is unavailable'}; retry shortly", headers={"Retry-After": "2"})


async def _upstream_failed(request: Request, error: UpstreamFailed) -> JSONResponse:
    return problem(502, "upstream_failed", "Bad gateway", str(error) or "an upstream service failed")


def install_problem_handlers(app: FastAPI) -> None:
    _on(app, DomainError, _domain_error)
    _on(app, RequestValidationError, _validation_error)
    _on(app, StarletteHTTPException, _http_error)
    _on(app, StorageUnavailable, _storage_unavailable)
    _on(app, UpstreamFailed, _upstream_failed)


def _on(app: FastAPI, kind: type[E], handler: Callable[[Request, E], Awaitable[JSONResponse]]) -> None:
    """Starlette types a handler as taking any exception; here mypy checks that it takes the kind it handles."""
    app.add_exception_handler(kind, cast(Callable[[Request, Exception], Awaitable[JSONResponse]], handler))


def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries documenting `statuses` as problem+json responses."""
    return {status: {"model": Problem, "content": {PROBLEM_JSON: {}}, "description": _DESCRIPTIONS[status]}
            for status in statuses}


_DESCRIPTIONS = {
    400: "Bad request", 401: "Missing, invalid or expired credentials", 403: "Forbidden",
    404: "Not found (or not yours)", 409: "Conflict with existing state", 413: "Payload too large",
    422: "Invalid input; `errors` lists each field", 429: "Rate limit or quota exceeded",
    502: "An upstream provider failed", 503: "The database is unavailable; retry after `Retry-After`",
}
