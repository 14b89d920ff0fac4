"""Imaging use cases as the app wires them, with API keys to call them and a generator a test can break."""

from dependency_injector import providers

from adapters.clock import SettableClock
from adapters.imaging.pillow_generator import PillowImageGenerator
from application.identity.ports import ApiKeyCaller
from application.imaging.ports import ImageGenerator
from domain.imaging.generation import Generation, ImageRequest
from entrypoints.container import Container
from tests.composition import UseCases
from tests.unit.identity.support import ApiKeys


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


class Imaging(UseCases):
    """The imaging use cases by provider name, the identity ones as `access`, the store, blobs and generator."""

    def __init__(self, container: Container, clock: SettableClock) -> None:
        generator = SwitchableGenerator()
        container.imaging.image_generator.override(providers.Object(generator))
        super().__init__(container.imaging, access=ApiKeys(container, clock), clock=clock, generator=generator,
                         store=container.infrastructure.memory_store(), blobs=container.imaging.blobs())

    async def caller(self, **key_fields: object) -> ApiKeyCaller:
        issued = await self.access.new_key(**key_fields)
        return await self.access.authenticate_api_key(issued.secret)

    async def generate(
        self, caller: ApiKeyCaller, prompt: str = "a red fox", *, idempotency_key: str | None = None, **fields: object
    ) -> Generation:
        request = ImageRequest.parse(prompt=prompt, **{"width": 64, "height": 64, **fields})
        return (await self.generate_image(caller, request, idempotency_key=idempotency_key)).generation
