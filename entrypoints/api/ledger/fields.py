"""Request field types of the ledger's routes: exact amounts, money filters, payment methods, and sent fields."""

from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, Field, PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from domain.ledger.expense import DESCRIPTION_MAX, NOTES_MAX, TAG_MAX, TAGS_MAX, URL_MAX, PaymentMethod
from domain.ledger.money import MAX_INTEGER_DIGITS, AmountInput
from domain.ledger.periods import Period
from domain.ledger.query import TagMatch


def _text_or_number(value: object) -> AmountInput:
    """A JSON string or number, left for the domain's amount rule (422 `invalid_value` naming the field)."""
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        raise PydanticCustomError("amount_type", "must be a decimal number like 12.50, as a string or a JSON number")
    return value


AMOUNT_PATTERN = rf"^[0-9]{{1,{MAX_INTEGER_DIGITS}}}(\.[0-9]{{1,2}})?$"
Amount = Annotated[AmountInput, PlainValidator(_text_or_number), WithJsonSchema({
    "anyOf": [{"type": "string", "pattern": AMOUNT_PATTERN},
              {"type": "number", "exclusiveMinimum": 0, "maximum": float("9" * MAX_INTEGER_DIGITS + ".99"),
               "multipleOf": 0.01}],
    "description": f"> 0, at most 2 decimal places and {MAX_INTEGER_DIGITS} integer digits; "
                   "a JSON string or number, kept exact", "examples": ["12.50"],
})]
if TYPE_CHECKING:  # a Literal built at run time is no type to mypy: to it these are what they hold, text
    Method = str
    PeriodName = str
    TagMatchName = str
else:  # to pydantic and the OpenAPI, the enums' values inline
    Method = Literal[tuple(m.value for m in PaymentMethod)]
    PeriodName = Literal[tuple(p.value for p in Period)]
    TagMatchName = Literal[tuple(TagMatch)]
Tags = Annotated[list[Annotated[str, Field(max_length=TAG_MAX)]], Field(max_length=TAGS_MAX)]
Description = Annotated[str | None, Field(max_length=DESCRIPTION_MAX)]
Notes = Annotated[str | None, Field(max_length=NOTES_MAX)]
ReceiptUrl = Annotated[str | None, Field(max_length=URL_MAX, examples=["https://example.com/receipt.png"])]


def sent(body: BaseModel, renames: dict[str, str] | None = None) -> dict[str, Any]:
    """The fields the client sent, under the domain's names."""
    renames = renames or {}
    return {renames.get(name, name): getattr(body, name) for name in body.model_fields_set}
