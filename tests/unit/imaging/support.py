"""Imaging use cases on the in-memory adapters, with API keys to call them."""

from dataclasses import dataclass

from adapters.blobs import MemoryBlobStore
from adapters.clock import SettableClock
from adapters.ids import Uuid7Generator
from adapters.imaging.pillow_generator import PillowImageGenerator
from adapters.memory.store import MemoryStore
from adapters.memory.unit_of_work import MemoryUnitOfWork
from application.identity.api_key_ports import ApiKeyCaller
from application.imaging.generations import GenerateImage, GetImage, ListGenerations
from application.imaging.ports import ImageGenerator
from domain.imaging.generation import Generation, ImageRequest
from tests.unit.identity.support import ApiAccess, build_api_access


class SwitchableGenerator:
    """The Pillow generator, unless a test makes it fail or wait."""

    def __init__(self) -> None:
        self.inner: ImageGenerator = PillowImageGenerator()
        self.failure: BaseException | None = None
        self.calls = 0

    async def generate(self, **request: object) -> bytes:
        self.calls += 1
        if self.failure is not None:
            raise self.failure
        return await self.inner.generate(**request)


@dataclass
class Imaging:
    access: ApiAccess
    store: MemoryStore
    generator: SwitchableGenerator
    blobs: MemoryBlobStore
    generate_image: GenerateImage
    get_image: GetImage
    list_generations: ListGenerations

    @property
    def clock(self) -> SettableClock:
        return self.access.clock

    async def caller(self, **key_fields: object) -> ApiKeyCaller:
        issued = await self.access.new_key(**key_fields)
        return await self.access.authenticate(issued.secret)

    async def generate(
        self, caller: ApiKeyCaller, prompt: str = "a red fox", *, idempotency_key: str | None = None, **fields: object
    ) -> Generation:
        request = ImageRequest.parse(prompt=prompt, **{"width": 64, "height": 64, **fields})
        return (await self.generate_image(caller, request, idempotency_key=idempotency_key)).generation


def build_imaging(clock: SettableClock) -> Imaging:
    store = MemoryStore()
    uow = lambda: MemoryUnitOfWork(store)  # noqa: E731
    generator, blobs = SwitchableGenerator(), MemoryBlobStore()
    return Imaging(
        access=build_api_access(clock, store=store), store=store, generator=generator, blobs=blobs,
        generate_image=GenerateImage(uow, clock, Uuid7Generator(), generator, blobs),
        get_image=GetImage(uow, blobs), list_generations=ListGenerations(uow),
    )
