"""Entities read by position from a row are built only where their fields are the table's columns in order."""

from dataclasses import dataclass
from datetime import datetime

import pytest
from sqlalchemy import Column, DateTime, MetaData, Table, Text, Uuid

from adapters.postgres.prepared import by_position

_notes = Table("notes", MetaData(), Column("id", Uuid), Column("title", Text), Column("body", Text),
               Column("created_at", DateTime(timezone=True)))


@dataclass(frozen=True, slots=True)
class Note:
    id: object
    title: str
    body: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Swapped:
    id: object
    body: str
    title: str
    created_at: datetime


def test_a_row_in_table_order_becomes_the_entity_field_for_field() -> None:
    when = datetime(2026, 12, 5)
    assert by_position(Note, _notes)(("n1", "a title", "a body", when)) == Note("n1", "a title", "a body", when)


def test_an_entity_whose_fields_are_not_the_columns_in_order_is_refused_when_defined() -> None:
    with pytest.raises(TypeError, match="Swapped's fields are not notes's columns in order"):
        by_position(Swapped, _notes)
