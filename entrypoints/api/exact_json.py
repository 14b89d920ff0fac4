"""A route class whose JSON bodies keep numbers exact: every JSON number arrives as a Decimal, never a float."""

from decimal import Decimal
from typing import Any

from entrypoints.api.bodies import GuardedRequest
from entrypoints.api.routing import PrefixRoute


class NotANumber:
    """What a JSON NaN or Infinity parses to: a value no field accepts."""

    def __init__(self, token: str) -> None:
        self.token = token

    def __str__(self) -> str:
        return self.token


class ExactJsonRequest(GuardedRequest):
    json_options = {"parse_float": Decimal, "parse_int": Decimal, "parse_constant": NotANumber}

    def decoded(self, value: Any) -> Any:
        # A bare number as the whole body stays text: FastAPI reads models from attributes too, and would take a
        # Decimal for an empty object.
        return str(value) if isinstance(value, Decimal | NotANumber) else value


class ExactJsonRoute(PrefixRoute):
    """Use as `APIRouter(route_class=ExactJsonRoute)`; a `1.0000000000000001` stays itself, not 1.0."""

    request_class = ExactJsonRequest
