"""Query parameters shared by the calendar's lists."""

from typing import Annotated

from fastapi import Query

from application.shared.pages import MAX_LIMIT as LIMIT_MAX

Limit = Annotated[int, Query(ge=1, le=LIMIT_MAX)]
