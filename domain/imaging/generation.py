"""Image generations: a validated request and the record of its rendered image."""

import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from domain.shared.errors import InvalidValue, NotFound
from domain.shared.text import normalize_text

PROMPT_MAX = 1000
SIZE_MIN, SIZE_MAX, SIZE_STEP = 64, 2048, 8
SEED_MAX = 2**32 - 1


class ImageFormat(StrEnum):
    PNG = "png"
    WEBP = "webp"

    @property
    def content_type(self) -> str:
        return f"image/{self.value}"


def _check_side(field: str, value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not (
        SIZE_MIN <= value <= SIZE_MAX and value % SIZE_STEP == 0
    ):
        raise InvalidValue(field, f"must be a multiple of {SIZE_STEP} from {SIZE_MIN} to {SIZE_MAX}")
    return value


@dataclass(frozen=True, slots=True)
class ImageRequest:
    """What to render; `seed` None means one is picked per generation."""

    prompt: str
    width: int
    height: int
    format: ImageFormat
    seed: int | None = None

    @classmethod
    def parse(
        cls, *, prompt: str, width: int, height: int, format: str = "png", seed: int | None = None
    ) -> "ImageRequest":
        prompt = normalize_text(prompt, "prompt", PROMPT_MAX, multiline=True) or ""
        if not 1 <= len(prompt) <= PROMPT_MAX:
            raise InvalidValue("prompt", f"must be 1-{PROMPT_MAX} characters")
        if format not in set(ImageFormat):
            raise InvalidValue("format", "must be one of: " + ", ".join(ImageFormat))
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= SEED_MAX):
            raise InvalidValue("seed", f"must be a whole number from 0 to {SEED_MAX}")
        return cls(prompt, _check_side("width", width), _check_side("height", height), ImageFormat(format), seed)

    def fingerprint(self) -> str:
        """A digest that is equal for equal requests (for idempotent retries)."""
        return hashlib.sha256(json.dumps(asdict(self), sort_keys=True).encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Generation:
    """One rendered image, owned by the API key's owner."""

    id: UUID
    owner_id: UUID
    api_key_id: UUID
    prompt: str
    width: int
    height: int
    seed: int
    format: ImageFormat
    blob_key: str
    created_at: datetime

    @classmethod
    def start(cls, *, id: UUID, owner_id: UUID, api_key_id: UUID, request: ImageRequest, now: datetime) -> "Generation":
        """The record to store once its image is rendered; without a seed, the id picks one."""
        return cls(
            id=id, owner_id=owner_id, api_key_id=api_key_id, prompt=request.prompt,
            width=request.width, height=request.height,
            seed=request.seed if request.seed is not None else id.int & SEED_MAX,
            format=request.format, blob_key=f"images/{owner_id}/{id}.{request.format}", created_at=now,
        )


class GenerationNotFound(NotFound):
    code = "image_not_found"

    def __init__(self) -> None:
        super().__init__("the image does not exist")
