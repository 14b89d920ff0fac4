"""Ports of the imaging context."""

from datetime import datetime
from typing import Protocol
from uuid import UUID

from application.identity.ports import UsageRepository
from application.shared.unit_of_work import UnitOfWork
from domain.imaging.generation import Generation, ImageFormat
from domain.imaging.idempotency import IdempotencyRecord


class ImageGenerator(Protocol):
    """Renders an image; raises application.shared.errors.UpstreamFailed when the provider fails or times out."""

    async def generate(
        self, *, prompt: str, width: int, height: int, seed: int, format: ImageFormat
    ) -> bytes:
        """The encoded image, exactly width x height in the given format."""
        ...


class BlobStore(Protocol):
    """Bytes by key (a relative path like `images/<owner>/<id>.png`)."""

    async def put(self, key: str, data: bytes) -> None:
        """Store the bytes under the key, replacing any; all or nothing."""
        ...

    async def get(self, key: str) -> bytes | None: ...

    async def delete(self, key: str) -> None:
        """Remove the key if present."""
        ...


class GenerationRepository(Protocol):
    """Generated images' records."""

    async def add(self, generation: Generation) -> None: ...

    async def get(self, owner_id: UUID, generation_id: UUID) -> Generation | None: ...

    async def list(
        self, owner_id: UUID, *, limit: int, before: tuple[datetime, UUID] | None = None
    ) -> list[Generation]:
        """Up to `limit` of the owner's generations older than `before` (created_at, id), newest first."""
        ...


class IdempotencyRepository(Protocol):
    """Idempotency keys per owner, (owner_id, key) unique (uq_image_idempotency_keys_owner_id_key)."""

    async def get(self, owner_id: UUID, key: str) -> IdempotencyRecord | None: ...

    async def add(self, record: IdempotencyRecord) -> None:
        """Claim a new key; IdempotencyKeyInProgress if another request holds it."""
        ...

    async def save(self, record: IdempotencyRecord) -> None:
        """Replace the record of the same owner and key."""
        ...

    async def remove(self, owner_id: UUID, key: str) -> None: ...

    async def remove_created_before(self, before: datetime) -> int:
        """Delete every owner's records created before `before`; return how many."""
        ...


class ImagingUnitOfWork(UnitOfWork, Protocol):
    generations: GenerationRepository
    image_idempotency_keys: IdempotencyRepository
    usage: UsageRepository
