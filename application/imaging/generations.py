"""Use cases for generating images with an API key and reading them back."""

from contextlib import suppress
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from uuid import UUID

from application.identity.ports import ApiKeyCaller, QuotaMeter
from application.identity.usage import Spent, spend_quota
from application.imaging.ports import BlobStore, ImageGenerator, ImagingUnitOfWork
from application.shared.clock import Clock
from application.shared.ids import IdGenerator
from application.shared.pages import Page, check_limit, decode_cursor, page_of
from application.shared.unit_of_work import Purpose, UowFactory
from domain.imaging.generation import Generation, GenerationNotFound, ImageRequest
from domain.imaging.idempotency import IDEMPOTENCY_TTL, IdempotencyRecord, check_idempotency_key

PAGE_MAX = 100  # images are large: smaller pages than other lists


@dataclass(frozen=True, slots=True)
class _Claim:
    spent: Spent
    record: IdempotencyRecord | None


@dataclass(frozen=True, slots=True)
class Generated:
    """The image a call answers, and whether it replayed an earlier call (then it spent nothing)."""

    generation: Generation
    replayed: bool = False


@dataclass
class GenerateImage:
    """Spend one unit of the caller's quota, render outside any transaction, store and record the image;
    any failure before the record is committed refunds the unit. With an idempotency key, a retry with
    the same body answers the first image and spends nothing; a different body is rejected (422)."""

    uow: UowFactory[ImagingUnitOfWork]
    clock: Clock
    ids: IdGenerator
    generator: ImageGenerator
    blobs: BlobStore
    meter: QuotaMeter  # spends alone where no idempotency key asks for a record beside the unit

    async def __call__(
        self, caller: ApiKeyCaller, request: ImageRequest, *, idempotency_key: str | None = None
    ) -> Generated:
        now = self.clock.now()
        key = None if idempotency_key is None else check_idempotency_key(idempotency_key)
        claim = await self._claim(caller, request, key, now)
        if isinstance(claim, Generation):
            return Generated(claim, replayed=True)
        generation = Generation.start(
            id=self.ids.new_id(), owner_id=caller.owner_id, api_key_id=caller.api_key_id,
            request=request, now=now,
        )
        try:
            data = await self.generator.generate(
                prompt=generation.prompt, width=generation.width, height=generation.height,
                seed=generation.seed, format=generation.format,
            )
            await self.blobs.put(generation.blob_key, data)
            async with self.uow(account=caller.owner_id) as uow:
                await uow.generations.add(generation)
                if claim.record is not None:
                    await uow.image_idempotency_keys.save(replace(claim.record, generation_id=generation.id))
                await uow.commit()
        except BaseException:
            await self._undo(claim, generation)
            raise
        return Generated(generation)

    async def _claim(
        self, caller: ApiKeyCaller, request: ImageRequest, key: str | None, now: datetime
    ) -> Generation | _Claim:
        if key is None:  # nothing to record with the unit: one statement, no transaction around it
            return _Claim(await spend_quota(self.meter, caller, now), None)
        async with self.uow(account=caller.owner_id) as uow:
            first = await uow.image_idempotency_keys.get(caller.owner_id, key)
            if first is not None:
                generation_id = first.replay(request.fingerprint(), now)
                if generation_id is not None:
                    generation = await uow.generations.get(caller.owner_id, generation_id)
                    if generation is None:
                        raise GenerationNotFound()
                    return generation
                if first.generation_id is None:  # its request died holding a unit
                    await uow.usage.refund(first.owner_id, first.api_key_id, first.usage_date, 1)
            spent = await spend_quota(uow.usage, caller, now)
            record = IdempotencyRecord(
                owner_id=caller.owner_id, key=key, fingerprint=request.fingerprint(),
                api_key_id=caller.api_key_id, usage_date=spent.day, created_at=now,
            )
            await (uow.image_idempotency_keys.add if first is None else uow.image_idempotency_keys.save)(record)
            await uow.commit()
        return _Claim(spent, record)

    async def _undo(self, claim: _Claim, generation: Generation) -> None:
        spent = claim.spent
        async with self.uow(account=spent.owner_id) as uow:
            await uow.usage.refund(spent.owner_id, spent.api_key_id, spent.day, spent.units)
            if claim.record is not None:
                await uow.image_idempotency_keys.remove(claim.record.owner_id, claim.record.key)
            await uow.commit()
        with suppress(Exception):
            await self.blobs.delete(generation.blob_key)


@dataclass(frozen=True, slots=True)
class ImageFile:
    generation: Generation
    data: bytes

    @property
    def content_type(self) -> str:
        return self.generation.format.content_type


@dataclass
class GetImage:
    """The bytes and content type of one of the owner's images."""

    uow: UowFactory[ImagingUnitOfWork]
    blobs: BlobStore

    async def __call__(self, owner_id: UUID, generation_id: UUID) -> ImageFile:
        async with self.uow(account=owner_id) as uow:
            generation = await uow.generations.get(owner_id, generation_id)
        data = None if generation is None else await self.blobs.get(generation.blob_key)
        if generation is None or data is None:
            raise GenerationNotFound()
        return ImageFile(generation, data)


@dataclass
class ListGenerations:
    """The owner's generations, newest first, `limit` (1-100) at a time; `next_cursor` fetches the next page."""

    uow: UowFactory[ImagingUnitOfWork]

    async def __call__(self, owner_id: UUID, *, limit: int = 20, cursor: str | None = None) -> Page[Generation]:
        check_limit(limit, PAGE_MAX)
        before = None if cursor is None else decode_cursor(cursor, _position)
        async with self.uow(account=owner_id) as uow:
            items = await uow.generations.list(owner_id, limit=limit + 1, before=before)
        return page_of(items, limit, lambda generation: (generation.created_at, generation.id))


@dataclass
class PurgeIdempotencyKeys:
    """Delete idempotency keys older than 24 hours (a periodic job); return how many went."""

    uow: UowFactory[ImagingUnitOfWork]
    clock: Clock

    async def __call__(self) -> int:
        async with self.uow(purpose=Purpose.PURGE) as uow:
            removed = await uow.image_idempotency_keys.remove_created_before(self.clock.now() - IDEMPOTENCY_TTL)
            await uow.commit()
        return removed


def _position(created_at: str, generation_id: str) -> tuple[datetime, UUID]:
    """The (created_at, id) a generations cursor holds."""
    at = datetime.fromisoformat(created_at)
    if at.tzinfo is None:
        raise ValueError("naive")
    return at.astimezone(UTC), UUID(generation_id)
