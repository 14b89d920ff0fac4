"""The query parameters every delivery read shares: which sources, which days, in which time zone."""

from dataclasses import dataclass
from typing import Annotated
from uuid import UUID

from fastapi import Query

from application.delivery.metrics import SOURCES_MAX, PeriodQuery
from entrypoints.api.types import IsoDate, TimeZone


@dataclass
class PeriodParameters:
    """`source` (repeatable; default every source of yours), `from`/`to` (local days, both included; default the 90
    days up to today) and `time_zone` (default your account's)."""

    source: Annotated[list[UUID] | None, Query(max_length=SOURCES_MAX, description="a source id; repeat for more "
                                                                                  "(default: all your sources)")] = None
    first: Annotated[IsoDate | None, Query(alias="from", description="first day (default: 89 days before `to`)")] = None
    last: Annotated[IsoDate | None, Query(alias="to", description="last day, included (default: today)")] = None
    time_zone: Annotated[TimeZone | None, Query(description="IANA time zone of the days and weeks (default: your "
                                                            "account's)")] = None

    def query(self) -> PeriodQuery:
        return PeriodQuery(tuple(self.source or ()), self.first, self.last, self.time_zone)
