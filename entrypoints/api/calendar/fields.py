"""Query parameters shared by the calendar's lists."""

from typing import Annotated

from fastapi import Query

from application.calendar.pages import LIMIT_MAX

Limit = Annotated[int, Query(ge=1, le=LIMIT_MAX)]
