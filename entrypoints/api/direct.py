"""Routes served without FastAPI's general dependency solver, where nothing needs it: every dependency takes only
the request (the caller's token check, a use case from the container), there is no body, and the answer is the
response model as JSON. Such a route is then one coroutine: the dependencies awaited in order, the path, query,
header and cookie parameters validated by FastAPI's own functions, the endpoint called, its result validated and
serialized as FastAPI does. What the solver costs on every request (walking the dependants, two exit stacks, the
route's own exception wrapper) is a quarter of a one-row GET (docs/performance.md).

Errors are FastAPI's: the same validation errors, raised to the same handlers (the app's exception middleware);
dependencies run before parameters are checked, as in FastAPI. A route that needs more, or one whose
dependencies are overridden (`app.dependency_overrides`, for a route the app included), is served by FastAPI's
handler."""

import inspect
from copy import deepcopy
from collections.abc import Awaitable, Callable
from typing import Any, cast

from fastapi._compat import ModelField, field_annotation_is_sequence, get_missing_field_error
from fastapi.datastructures import DefaultPlaceholder
from fastapi.dependencies.models import Dependant
from fastapi.dependencies.utils import _get_param_model, _is_json_field, request_params_to_args
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute, serialize_response
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send


def direct_app(route: APIRoute, request_class: type[Request], first: Callable[[Scope], None]) -> ASGIApp | None:
    """An ASGI app serving `route` as FastAPI's handler would (after `first(scope)`), or None when the route needs
    what only FastAPI's solver does (a body, a dependency with parameters of its own, a custom response...)."""
    endpoint = route.dependant
    if not _served_directly(route):
        return None
    fallback = route.app
    dependencies: list[tuple[str, Callable[[Request], Awaitable[Any]]]] = [
        (cast(str, dependency.name), cast(Callable[[Request], Awaitable[Any]], dependency.call))
        for dependency in endpoint.dependencies]
    parameters = [_reader(field, location, source) for fields, location, source in (
        (endpoint.path_params, "path", _path), (endpoint.query_params, "query", _query),
        (endpoint.header_params, "header", _headers), (endpoint.cookie_params, "cookie", _cookies))
        for field in fields]
    call = cast(Callable[..., Awaitable[Any]], endpoint.call)
    request_name, field, status = endpoint.request_param_name, route.response_field, route.status_code
    overrides = route.dependency_overrides_provider

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if overrides is not None and overrides.dependency_overrides:
            await fallback(scope, receive, send)
            return
        first(scope)
        request = request_class(scope, receive)
        values: dict[str, Any] = {name: await dependency(request) for name, dependency in dependencies}
        errors: list[Any] = []
        for read in parameters:
            errors.extend(read(request, values))
        if errors:
            raise RequestValidationError(errors)
        if request_name is not None:
            values[request_name] = request
        answer = await call(**values)
        if not isinstance(answer, Response):
            answer = Response(await serialize_response(field=field, response_content=answer, dump_json=True),
                              status_code=status or 200, media_type="application/json")
        await answer(scope, receive, send)

    return app


def _served_directly(route: APIRoute) -> bool:
    endpoint = route.dependant
    return (
        isinstance(route.response_class, DefaultPlaceholder) and route.response_field is not None
        and getattr(route, "max_body_size", None) is None
        and route.response_model_by_alias and not any((
            route.response_model_include, route.response_model_exclude, route.response_model_exclude_unset,
            route.response_model_exclude_defaults, route.response_model_exclude_none))
        and inspect.iscoroutinefunction(endpoint.call) and not endpoint.body_params
        and _takes_nothing_else(endpoint, but=("request_param_name",))
        and all(_needs_only_the_request(dependency) for dependency in endpoint.dependencies)
        and len({id(dependency.call) for dependency in endpoint.dependencies}) == len(endpoint.dependencies)
    )


_Reader = Callable[[Request, dict[str, Any]], list[Any]]


def _reader(field: ModelField, location: str, source: Callable[[Request], Any]) -> _Reader:
    """Puts the parameter's validated value into `values` and returns its errors. A plain path or query parameter
    (no model, no JSON, no alias choices) is read as FastAPI reads it, with what FastAPI works out on every request
    (is it a sequence, under which name) worked out here, once; any other goes to FastAPI's request_params_to_args."""
    if location not in ("path", "query") or field.field_info.validation_alias is not None or _is_json_field(field) \
            or _get_param_model(field) is not None:
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


def _needs_only_the_request(dependency: Dependant) -> bool:
    """An async dependency of one `Request` parameter, passed to the endpoint under its name."""
    call = dependency.call
    asynchronous = inspect.iscoroutinefunction(call) or (
        not inspect.isroutine(call) and not inspect.isclass(call)
        and inspect.iscoroutinefunction(getattr(call, "__call__", None)))
    return (asynchronous and dependency.name is not None and dependency.request_param_name is not None
            and dependency.use_cache and not dependency.own_oauth_scopes and not dependency.dependencies
            and not any((dependency.path_params, dependency.query_params, dependency.header_params,
                         dependency.cookie_params, dependency.body_params))
            and _takes_nothing_else(dependency, but=("request_param_name",)))


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
