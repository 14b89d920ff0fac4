"""Route matching that costs little per route: FastAPI tries every route in turn on every request."""

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute, APIRouter
from starlette._utils import get_route_path
from starlette.datastructures import URLPath
from starlette.routing import BaseRoute, Match, NoMatchFound
from starlette.types import Receive, Scope, Send

from entrypoints.api.bodies import GuardedRequest, refuse_nul_parameters
from entrypoints.api.direct import direct_app

_INDEXED_SEGMENTS = 3  # "/api/v1/events": the first three path segments pick a route's bucket


class PrefixRoute(APIRoute):
    """An APIRoute that rules itself out by its literal path prefix before running the full match, hands its
    endpoint a `request_class` request (JSON parsed with a depth limit) once no parameter holds a NUL, and is
    served without FastAPI's dependency solver where nothing needs it (`direct_app`)."""

    request_class: type[GuardedRequest] = GuardedRequest

    def __init__(self, path: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(path, *args, **kwargs)
        self.literal_prefix = path.split("{", 1)[0]
        self.app = direct_app(self, self.request_class, refuse_nul_parameters) or self.app

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        request_class = self.request_class

        async def guarded(request: Request) -> Response:
            refuse_nul_parameters(request.scope)
            return await handler(request_class(request.scope, request.receive))

        return guarded

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] != "http" or not get_route_path(scope).startswith(self.literal_prefix):
            return Match.NONE, {}
        return super().matches(scope)


class RouteIndex(BaseRoute):
    """First in the route list: tries only the routes of the request's method that can match a path's first three
    segments, in list order, so a request costs a dict lookup and a few matches whatever the number of routes. It
    answers only full matches; anything else (404, 405, paths it has no bucket for) falls through to the ordinary
    walk."""

    def __init__(self, routes: list[BaseRoute]) -> None:
        prefixes = [route.literal_prefix if isinstance(route, PrefixRoute) else getattr(route, "path", "")
                    for route in routes]
        keys = {_key(prefix) for prefix in prefixes if prefix.count("/") > _INDEXED_SEGMENTS}
        self._buckets: dict[str, list[PrefixRoute]] = {}
        for key in keys:
            candidates = [route for route, prefix in zip(routes, prefixes)
                          if prefix.startswith(key) or key.startswith(prefix.split("{", 1)[0])]
            prefixed = [route for route in candidates if isinstance(route, PrefixRoute)]
            if len(prefixed) == len(candidates):  # else: leave it to the walk
                self._buckets[key] = prefixed

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] == "http":
            method = scope["method"]
            for route in self._buckets.get(_key(get_route_path(scope)), ()):
                if route.methods is not None and method not in route.methods:  # never a full match here
                    continue
                match, child_scope = route.matches(scope)
                if match is Match.FULL:
                    return match, child_scope  # child_scope["route"] is the matched APIRoute
        return Match.NONE, {}

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        await scope["route"].handle(scope, receive, send)

    def url_path_for(self, name: str, /, **path_params: Any) -> URLPath:
        raise NoMatchFound(name, path_params)


def _key(path: str) -> str:
    return "/".join(path.split("/", _INDEXED_SEGMENTS + 1)[:_INDEXED_SEGMENTS + 1])


def add_routes(target: APIRouter, *routers: APIRouter) -> None:
    """Put the routers' routes straight into `target`, in order, behind a `RouteIndex`: unlike include_router,
    matching a request then neither re-enters each included router (twice) per candidate nor walks them all."""
    for router in routers:
        target.routes.extend(router.routes)
    target.routes.insert(0, RouteIndex(list(target.routes)))
