"""A route class whose JSON bodies keep numbers exact: every JSON number arrives as a Decimal, never a float."""

import json
from decimal import Decimal
from typing import Any

from fastapi import Request, Response

from entrypoints.api.routing import PrefixRoute


class NotANumber:
    """What a JSON NaN or Infinity parses to: a value no field accepts."""

    def __init__(self, token: str) -> None:
        self.token = token

    def __str__(self) -> str:
        return self.token


class ExactJsonRequest(Request):
    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            value = json.loads(await self.body(), parse_float=Decimal, parse_int=Decimal, parse_constant=NotANumber)
            # A bare number as the whole body stays text: FastAPI reads models from attributes too, and would
            # take a Decimal for an empty object.
            self._json = str(value) if isinstance(value, Decimal | NotANumber) else value
        return self._json


class ExactJsonRoute(PrefixRoute):
    """Use as `APIRouter(route_class=ExactJsonRoute)`; a `1.0000000000000001` stays itself, not 1.0."""

    def get_route_handler(self):
        handler = super().get_route_handler()

        async def exact(request: Request) -> Response:
            return await handler(ExactJsonRequest(request.scope, request.receive))

        return exact
