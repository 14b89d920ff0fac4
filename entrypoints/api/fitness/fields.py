"""Query parameters and answers the fitness routes share: page limits, catalogue ids, an LLM's usage."""

from typing import Annotated

from fastapi import Path, Query
from pydantic import BaseModel

from application.shared.pages import MAX_LIMIT
from domain.fitness.plans import Provenance

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT)]
CatalogueId = Annotated[str, Path(max_length=100, examples=["Barbell_Squat"])]


class UsageOut(BaseModel):
    requests: int
    input_tokens: int
    output_tokens: int


def usage_out(provenance: Provenance) -> UsageOut | None:
    """The LLM's requests and tokens for a plan, None when no LLM was asked."""
    usage = provenance.usage
    return None if usage is None else UsageOut(requests=usage.requests, input_tokens=usage.input_tokens,
                                               output_tokens=usage.output_tokens)
