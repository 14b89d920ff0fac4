"""The route index picks, for every path, the route the full walk of the route list would pick."""

import re
import uuid

from starlette.routing import Match

from entrypoints.api.app import create_app
from entrypoints.api.routing import RouteIndex
from entrypoints.container import build_container
from tests.composition import settings_for

METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"]
SAMPLES = {"uuid": str(uuid.UUID(int=7)), "int": "7", "path": "a/b", "str": "x"}


def sample_paths(path: str) -> list[str]:
    """The route's own path with each parameter filled in, and the same with a trailing segment added."""
    filled = re.sub(r"{[^}:]+(?::(\w+))?}", lambda m: SAMPLES[m.group(1) or "str"], path)
    return [filled, filled + "/reminders", filled + "/x"]


def walk(routes, scope) -> object:
    partial = None
    for route in routes:
        match, child = route.matches(scope)
        if match is Match.FULL:
            return route
        if match is Match.PARTIAL and partial is None:
            partial = route
    return partial


def test_the_index_picks_the_route_the_full_walk_would():
    routes = create_app(build_container(settings_for("memory"))).router.routes
    index, rest = routes[0], routes[1:]
    assert isinstance(index, RouteIndex)
    paths = {p for route in rest if hasattr(route, "path") for p in sample_paths(route.path)}
    indexed = 0
    for method, path in [(method, path) for method in METHODS for path in sorted(paths)]:
        scope = {"type": "http", "path": path, "root_path": "", "method": method}
        match, child = index.matches(scope)
        indexed += match is Match.FULL
        chosen = child["route"] if match is Match.FULL else walk(rest, scope)  # the router: index, then walk
        assert chosen is walk(rest, scope), path
    assert indexed > 50, "the index answered almost nothing: the test proves little"
