"""Routes served without FastAPI's general dependency solver, where nothing needs it: every dependency takes only
the request (the caller's token check, a use case from the container), there is no body, and the answer is the
response model as JSON. Such a route is then one coroutine: the dependencies awaited in order, the path, query,
header and cookie parameters validated by FastAPI's own functions, the endpoint called, its result validated and
serialized as FastAPI does. What the solver costs on every request (walking the dependants, two exit stacks, the
route's own exception wrapper) is a quarter of a one-row GET (docs/performance.md).

Errors are FastAPI's: the same validation errors, raised to the same handlers (the app's exception middleware);
dependencies run before parameters are checked, as in FastAPI. A route that needs more, or an app with
`dependency_overrides`, is served by FastAPI's handler."""

import inspect
from collections.abc import Awaitable, Callable
from typing import Any, cast

from fastapi.datastructures import DefaultPlaceholder
from fastapi.dependencies.models import Dependant
from fastapi.dependencies.utils import request_params_to_args
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
    parameters = [(fields, source) for fields, source in (
        (endpoint.path_params, _path), (endpoint.query_params, _query), (endpoint.header_params, _headers),
        (endpoint.cookie_params, _cookies)) if fields]
    call = cast(Callable[..., Awaitable[Any]], endpoint.call)
    request_name, field, status = endpoint.request_param_name, route.response_field, route.status_code

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["app"].dependency_overrides:
            await fallback(scope, receive, send)
            return
        first(scope)
        request = request_class(scope, receive)
        values: dict[str, Any] = {name: await dependency(request) for name, dependency in dependencies}
        errors: list[Any] = []
        for fields, source in parameters:
            found, wrong = request_params_to_args(fields, source(request))
            values.update(found)
            errors.extend(wrong)
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
