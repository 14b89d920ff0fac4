"""Routes served without FastAPI's general dependency solver, where nothing needs it: every dependency takes only
the request and other such dependencies (the caller's token or API key check, a use case from the container), a
body is JSON (not a form), and the answer is the response model as JSON. Such a route is one coroutine: the body
read as FastAPI reads it, the dependencies awaited in order, the path, query, header and cookie parameters and the
body validated as FastAPI validates them, the endpoint called, its result validated and serialized by FastAPI's own
function. What the solver costs on every request (walking the dependants, per-request typing introspection of every
parameter, two exit stacks, the route's own exception wrapper) was about a quarter of a one-row GET's CPU
(docs/performance.md, round four).

Errors are FastAPI's: the same validation errors, raised to the same handlers (the app's exception middleware), in
the same order (the body parsed first, then dependencies, then parameters). A route that needs more, or one whose
dependencies are overridden (`app.dependency_overrides`, for a route the app included), keeps FastAPI's handler."""

import email.message
import functools
import inspect
import json
from collections.abc import Awaitable, Callable
from copy import deepcopy
from typing import Any, cast

from fastapi import params
from fastapi._compat import ModelField, Undefined, field_annotation_is_sequence, get_missing_field_error
from fastapi.datastructures import DefaultPlaceholder
from fastapi.dependencies.models import Dependant
from fastapi.dependencies.utils import (
    _get_param_model, _is_json_field, request_body_to_args, request_params_to_args,
)
from fastapi.exceptions import HTTPException, RequestValidationError
from fastapi.routing import APIRoute, serialize_response
from fastapi.utils import is_body_allowed_for_status_code
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send


def direct_app(route: APIRoute, request_class: type[Request], first: Callable[[Scope], None]) -> ASGIApp | None:
    """An ASGI app serving `route` as FastAPI's handler would (after `first(scope)`), or None when the route needs
    what only FastAPI's solver does (a form, a dependency with parameters of its own, a custom response...)."""
    endpoint = route.dependant
    if not _served_directly(route):
        return None
    fallback = route.app
    dependencies = [(cast(str, dependency.name), _resolver(dependency)) for dependency in endpoint.dependencies]
    parameters = [_reader(field, location, source) for fields, location, source in (
        (endpoint.path_params, "path", _path), (endpoint.query_params, "query", _query),
        (endpoint.header_params, "header", _headers), (endpoint.cookie_params, "cookie", _cookies))
        for field in fields]
    read_body = _body_reader(route)
    body_fields, embed = endpoint.body_params, bool(getattr(route, "_embed_body_fields", False))
    call = cast(Callable[..., Awaitable[Any]], endpoint.call)
    request_name, response_name = endpoint.request_param_name, endpoint.response_param_name
    field, status = route.response_field, route.status_code
    overrides = route.dependency_overrides_provider

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if overrides is not None and overrides.dependency_overrides:
            await fallback(scope, receive, send)
            return
        first(scope)
        request = request_class(scope, receive)
        body = await read_body(request) if body_fields else Undefined
        values: dict[str, Any] = {name: await dependency(request) for name, dependency in dependencies}
        errors: list[Any] = []
        for read in parameters:
            errors.extend(read(request, values))
        if body_fields:
            found, wrong = await request_body_to_args(body_fields, body, embed)
            values.update(found)
            errors.extend(wrong)
        if errors:
            raise RequestValidationError(errors, body=None if body is Undefined else body)
        if request_name is not None:
            values[request_name] = request
        partial = None if response_name is None else _partial_response()
        if partial is not None:
            values[cast(str, response_name)] = partial
        answer = await call(**values)
        if not isinstance(answer, Response):
            content = await serialize_response(field=field, response_content=answer, dump_json=True)
            answer = Response(content, status_code=(partial and partial.status_code) or status or 200,
                              media_type="application/json")
            if partial is not None:
                answer.headers.raw.extend(partial.headers.raw)
        await answer(scope, receive, send)

    return app


def _partial_response() -> Response:
    """What an endpoint's `Response` parameter is in FastAPI: headers (and a status) to put on the answer."""
    partial = Response()
    del partial.headers["content-length"]
    partial.status_code = None  # type: ignore[assignment]  # unset unless the endpoint sets one
    return partial


def _served_directly(route: APIRoute) -> bool:
    endpoint = route.dependant
    calls = _calls(endpoint.dependencies)
    return (
        isinstance(route.response_class, DefaultPlaceholder) and route.response_field is not None
        and getattr(route, "max_body_size", None) is None and is_body_allowed_for_status_code(route.status_code)
        and route.response_model_by_alias and not any((
            route.response_model_include, route.response_model_exclude, route.response_model_exclude_unset,
            route.response_model_exclude_defaults, route.response_model_exclude_none))
        and inspect.iscoroutinefunction(endpoint.call)
        and (route.body_field is None or not isinstance(route.body_field.field_info, params.Form))
        and _takes_nothing_else(endpoint, but=("request_param_name", "response_param_name"))
        and all(_resolvable(dependency) for dependency in endpoint.dependencies)
        and len({id(call) for call in calls}) == len(calls)  # each called once: no per-request cache to keep
    )


def _body_reader(route: APIRoute) -> Callable[[Request], Awaitable[Any]]:
    """The body as FastAPI reads it before solving anything: JSON when the content type says so (or says nothing
    and the route is not strict about it), else the bytes; invalid JSON a validation error; Undefined if empty."""
    strict = route.strict_content_type
    strict = strict.value if isinstance(strict, DefaultPlaceholder) else strict

    async def read(request: Request) -> Any:
        try:
            data = await request.body()
            if not data:
                return Undefined
            content_type = request.headers.get("content-type")
            if not content_type:
                return data if strict else await request.json()
            return await request.json() if _says_json(content_type) else data
        except json.JSONDecodeError as error:
            invalid = {"type": "json_invalid", "loc": ("body", error.pos), "msg": "JSON decode error", "input": {},
                       "ctx": {"error": error.msg}}
            raise RequestValidationError([invalid], body=error.doc) from error
        except HTTPException:
            raise
        except Exception as error:
            raise HTTPException(status_code=400, detail="There was an error parsing the body") from error

    return read


@functools.lru_cache(maxsize=64)  # a client sends the same few; any others only cost the parse again
def _says_json(content_type: str) -> bool:
    """Whether FastAPI takes a body of this content type for JSON: application/json or application/*+json."""
    message = email.message.Message()
    message["content-type"] = content_type
    subtype = message.get_content_subtype()
    return message.get_content_maintype() == "application" and (subtype == "json" or subtype.endswith("+json"))


_Reader = Callable[[Request, dict[str, Any]], list[Any]]


def _reader(field: ModelField, location: str, source: Callable[[Request], Any]) -> _Reader:
    """Puts the parameter's validated value into `values` and returns its errors. A plain path or query parameter
    (no model, no JSON, at most one name for it: its alias) is read as FastAPI reads it, with what FastAPI works out
    on every request (is it a sequence, under which name) worked out here, once; any other goes to FastAPI's
    request_params_to_args."""
    named = field.field_info.validation_alias
    if location not in ("path", "query") or named not in (None, field.alias) or field.config \
            or _is_json_field(field) or _get_param_model(field) is not None:
        def general(request: Request, values: dict[str, Any]) -> list[Any]:
            found, errors = request_params_to_args([field], source(request))
            values.update(found)
            return errors

        return general
    name, alias, info, loc = field.name, field.alias, field.field_info, (location, field.alias)
    many = location == "query" and field_annotation_is_sequence(info.annotation)

    def plain(request: Request, values: dict[str, Any]) -> list[Any]:
        given = source(request)
        value = given.getlist(alias) if many else given.get(alias)
        if value is None or (many and not value):
            if info.is_required():
                return [get_missing_field_error(loc=loc)]
            values[name] = deepcopy(field.default)
            if not info.validate_default:
                return []
            value = values[name]
        values[name], errors = field.validate(value, values, loc=loc)
        return list(errors)

    return plain


def _resolvable(dependency: Dependant) -> bool:
    """An async dependency that takes the request (as a `Request` or an `HTTPConnection`) and/or dependencies like
    itself, and no parameter of its own."""
    call = dependency.call
    asynchronous = inspect.iscoroutinefunction(call) or (
        not inspect.isroutine(call) and not inspect.isclass(call)
        and inspect.iscoroutinefunction(getattr(call, "__call__", None)))
    return (asynchronous and dependency.name is not None and dependency.use_cache and not dependency.own_oauth_scopes
            and not any((dependency.path_params, dependency.query_params, dependency.header_params,
                         dependency.cookie_params, dependency.body_params))
            and _takes_nothing_else(dependency, but=("request_param_name", "http_connection_param_name"))
            and all(_resolvable(child) for child in dependency.dependencies))


def _resolver(dependency: Dependant) -> Callable[[Request], Awaitable[Any]]:
    """The dependency's value for a request: its own dependencies first, in order, then the call."""
    call = cast(Callable[..., Awaitable[Any]], dependency.call)
    children = [(cast(str, child.name), _resolver(child)) for child in dependency.dependencies]
    request_names = [name for name in (dependency.request_param_name, dependency.http_connection_param_name) if name]

    async def resolve(request: Request) -> Any:
        values = {name: await child(request) for name, child in children}
        for name in request_names:
            values[name] = request
        return await call(**values)

    return resolve


def _calls(dependencies: list[Dependant]) -> list[Any]:
    """Every call in the dependency trees."""
    return [call for dependency in dependencies for call in (dependency.call, *_calls(dependency.dependencies))]


def _takes_nothing_else(dependant: Dependant, *, but: tuple[str, ...]) -> bool:
    special = ("request_param_name", "websocket_param_name", "http_connection_param_name", "response_param_name",
               "background_tasks_param_name", "security_scopes_param_name")
    return all(getattr(dependant, name) is None for name in special if name not in but)


def _path(request: Request) -> Any:
    return request.path_params


def _query(request: Request) -> Any:
    return request.query_params


def _headers(request: Request) -> Any:
    return request.headers


def _cookies(request: Request) -> Any:
    return request.cookies
