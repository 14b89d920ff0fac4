"""What every context's routes share: the base of every body model, dates and instants only as ISO 8601 text, the
page of a list answer, and the answer with no content."""

import re
from datetime import date, datetime
from typing import Annotated, Generic, TypeVar

from fastapi import Query, Response
from pydantic import AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from entrypoints.api.bodies import NUL_MESSAGE

# Published (json_schema_extra) where a domain rule checks the text after trimming it, so the OpenAPI says what
# the API accepts: no control character but around it.
NO_CONTROL_CHARACTERS = r"^\s*[^\u0000-\u001F\u007F]*\s*$"


def trimmed(pattern: str) -> str:
    """`^…$` as the domain applies it, with whitespace around the text allowed (the domain trims it first)."""
    return r"^\s*(" + pattern.removeprefix("^").removesuffix("$") + r")\s*$"

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_INSTANT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}.*)?")


def _iso_date(value: object) -> object:
    """Only YYYY-MM-DD text: pydantic would also read numbers as unix times."""
    if isinstance(value, date) and not isinstance(value, datetime) or isinstance(value, str) and _DATE.fullmatch(value):
        return value
    raise PydanticCustomError("invalid_date", "must be a calendar date like 2026-01-31")


def iso_instant(value: object) -> object:
    """Only ISO 8601 text: pydantic would also read numbers as unix times."""
    if isinstance(value, (datetime, date)) or isinstance(value, str) and _INSTANT.fullmatch(value):
        return value
    raise PydanticCustomError("invalid_datetime",
                              "must be an ISO 8601 date-time with an offset, like 2026-03-16T09:00:00Z")


IsoDate = Annotated[date, BeforeValidator(_iso_date), Field(examples=["2026-01-31"])]
Instant = Annotated[AwareDatetime, BeforeValidator(iso_instant)]


def _json_integer(value: object) -> object:
    """A JSON integer (12 or 12.0) or null, never a boolean or a numeric string."""
    if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
        raise PydanticCustomError("int_type", "must be an integer")
    return value


# Put it after the Field(...) with the bounds, so the OpenAPI keeps minimum and maximum.
JsonInteger = BeforeValidator(_json_integer)


class Strict(BaseModel):
    """The base of every request body: unknown fields are refused, and so is a NUL character in any text (a field's
    or a list's item), before anything else is checked, so the error names the field: PostgreSQL cannot store one."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _no_nul(cls, value: object) -> object:
        if isinstance(value, str):  # most fields: checked without building anything
            if "\x00" in value:
                raise PydanticCustomError("string_nul", NUL_MESSAGE)
        elif isinstance(value, list | tuple | set | frozenset) and any(
                isinstance(text, str) and "\x00" in text for text in value):
            raise PydanticCustomError("string_nul", NUL_MESSAGE)
        return value


Currency = Annotated[str, Field(pattern=r"^[A-Za-z]{3}$", examples=["EUR"], description="ISO 4217 code")]
TimeZone = Annotated[str, Field(min_length=1, max_length=64, examples=["Europe/Oslo"],
                                description="IANA time zone name")]
Cursor = Annotated[str | None, Query(max_length=200)]  # a list's `next_cursor`, passed back for the next page

Item = TypeVar("Item")


class Page(BaseModel, Generic[Item]):
    # Every list answers {"items": [...], "next_cursor": ...}: pass next_cursor back as `cursor` for the next page;
    # it is null on the last one (and on lists answered whole). Each list names its page,
    # `class NotePage(Page[NoteOut])`, so the OpenAPI calls it NotePage, not Page_NoteOut_. (No docstring: it would
    # describe every page.)
    items: list[Item]
    next_cursor: str | None


def no_content() -> Response:
    """The answer of a route with nothing to return: 204 and no body."""
    return Response(status_code=204)
