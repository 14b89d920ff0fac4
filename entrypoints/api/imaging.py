"""Routes for metered image generation (API key) and reading images back (API key or user token)."""

from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from pydantic import BaseModel, Field

from application.identity.ports import ApiKeyCaller
from application.imaging.generations import PAGE_MAX, GenerateImage, GetImage, ListGenerations
from domain.imaging.generation import (
    PROMPT_MAX, SEED_MAX, SIZE_MAX, SIZE_MIN, SIZE_STEP, Generation, ImageFormat, ImageRequest,
)
from domain.imaging.idempotency import KEY_MAX
from entrypoints.api.dependencies import api_key_caller, api_key_or_user, use
from entrypoints.api.problems import responses
from entrypoints.api.types import Cursor, JsonInteger, Page, Strict
from entrypoints.api.routing import PrefixRoute
from entrypoints.container.imaging import Imaging

router = APIRouter(prefix="/api/v1", tags=["images"], route_class=PrefixRoute)

Side = Annotated[int, Field(ge=SIZE_MIN, le=SIZE_MAX, multiple_of=SIZE_STEP, examples=[512])]


class GenerationIn(Strict):
    prompt: Annotated[str, Field(min_length=1, max_length=PROMPT_MAX, examples=["a lighthouse at dusk"])]
    width: Side
    height: Side
    seed: Annotated[int | None, Field(ge=0, le=SEED_MAX, description="same seed and prompt, same image"),
                    JsonInteger] = None
    format: ImageFormat = ImageFormat.PNG


class GenerationOut(BaseModel):
    id: UUID
    url: str = Field(description="where to GET the image bytes (relative to this API)")
    prompt: str
    width: int
    height: int
    seed: int
    format: ImageFormat
    created_at: datetime


class GenerationList(Page[GenerationOut]):
    pass


def _generation(generation: Generation) -> GenerationOut:
    return GenerationOut(id=generation.id, url=f"{router.prefix}/images/{generation.id}", prompt=generation.prompt,
                         width=generation.width, height=generation.height, seed=generation.seed,
                         format=generation.format, created_at=generation.created_at)


REPLAYED = {"Idempotent-Replayed": {"description": "`true` when this answers an earlier call with the same "
                                                    "Idempotency-Key (nothing was spent)",
                                     "schema": {"type": "string", "enum": ["true"]}}}


@router.post("/images/generations", status_code=201, response_model=GenerationOut,
             responses={201: {"headers": REPLAYED}, **responses(401, 409, 422, 429, 502)})
async def generate(
    body: GenerationIn, request: Request, response: Response, caller: ApiKeyCaller = Depends(api_key_caller),
    idempotency_key: Annotated[str | None, Header(max_length=KEY_MAX, description=(
        "retries with the same key and body answer the first image and spend nothing (kept 24 h)"))] = None,
    generate_image: GenerateImage = use(Imaging.generate_image),
) -> GenerationOut:
    """Render an image for 1 unit of the key's daily quota (429 quota_exceeded until 00:00 UTC when used up);
    a provider failure answers 502 and gives the unit back."""
    wanted = ImageRequest.parse(prompt=body.prompt, width=body.width, height=body.height,
                                format=body.format.value, seed=body.seed)
    outcome = await generate_image(caller, wanted, idempotency_key=idempotency_key)
    if outcome.replayed:
        response.headers["Idempotent-Replayed"] = "true"
    else:
        request.app.state.metrics.units_spent.inc()
    return _generation(outcome.generation)


@router.get("/images", response_model=GenerationList, responses=responses(401, 422, 429))
async def list_images(
    limit: Annotated[int, Query(ge=1, le=PAGE_MAX)] = 20, cursor: Cursor = None,
    owner_id: UUID = Depends(api_key_or_user), list_generations: ListGenerations = use(Imaging.list_generations),
) -> GenerationList:
    """The owner's images, newest first; pass `next_cursor` back as `cursor` for the next page."""
    page = await list_generations(owner_id, limit=limit, cursor=cursor)
    return GenerationList(items=[_generation(g) for g in page.items], next_cursor=page.next_cursor)


@router.get("/images/{image_id:uuid}", response_class=Response, responses={
    200: {"content": {ImageFormat.PNG.content_type: {}, ImageFormat.WEBP.content_type: {}},
          "description": "The image bytes"},
    **responses(401, 404, 429),
})
async def get_image(image_id: UUID, owner_id: UUID = Depends(api_key_or_user),
                    read: GetImage = use(Imaging.get_image)) -> Response:
    """The image's bytes with its content type (with an API key or the owner's user token)."""
    image = await read(owner_id, image_id)
    return Response(image.data, media_type=image.content_type,
                    headers={"Cache-Control": "private, max-age=31536000, immutable"})
