"""The request boundary every route shares (`PrefixRoute`): JSON bodies parsed with a depth limit, and no NUL
character in a query or path parameter. Body fields are refused a NUL by `types.Strict`: PostgreSQL cannot store
one, so it would otherwise fail as a 500 deep inside a use case."""

import json
from typing import Any

from fastapi.exceptions import RequestValidationError
from starlette.requests import Request
from starlette.types import Scope

MAX_JSON_DEPTH = 32  # no body Atrium takes nests deeper than 3; 32 leaves room and stops a parser-exhausting one
NUL_MESSAGE = "must not contain NUL characters"


def parse_json(body: bytes, **options: Any) -> Any:
    """`json.loads(body, **options)`; a document nested deeper than MAX_JSON_DEPTH raises JSONDecodeError (which
    the routes answer as invalid JSON, 422), before anything recurses through it."""
    try:
        value = json.loads(body, **options)
    except RecursionError:
        raise _too_deep() from None
    if body.count(b"[") + body.count(b"{") > MAX_JSON_DEPTH and _deeper_than(value, MAX_JSON_DEPTH):
        raise _too_deep()
    return value


def _too_deep() -> json.JSONDecodeError:
    return json.JSONDecodeError(f"nested deeper than {MAX_JSON_DEPTH} levels", "", 0)


def _deeper_than(value: Any, limit: int) -> bool:
    """Whether arrays and objects nest more than `limit` deep; iterative, and it stops at the first too deep."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > limit:
                return True
            stack.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return False


class GuardedRequest(Request):
    """A request whose `json()` is `parse_json` with the class's `json_options`."""

    json_options: dict[str, Any] = {}

    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            self._json = self.decoded(parse_json(await self.body(), **self.json_options))
        return self._json

    def decoded(self, value: Any) -> Any:
        """The parsed body as the route reads it."""
        return value


def refuse_nul_parameters(scope: Scope) -> None:
    """Raise a validation error naming each query or path parameter whose value holds a NUL character (two
    substring checks when none does)."""
    if b"%00" not in scope.get("query_string", b"") and "\x00" not in scope["path"]:
        return
    request = Request(scope)
    named = [("query", name, value) for name, value in request.query_params.multi_items()]
    named += [("path", name, value) for name, value in request.path_params.items()]
    errors = [{"loc": (location, name), "msg": NUL_MESSAGE, "type": "string_nul"}
              for location, name, value in named if "\x00" in str(value)]
    if errors:
        raise RequestValidationError(errors)
