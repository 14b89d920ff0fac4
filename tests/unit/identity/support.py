"""API keys and usage as the app wires them, with helpers that stand for a metered product."""

from uuid import UUID, uuid4

from adapters.clock import SettableClock
from application.identity.api_keys import IssuedApiKey
from application.identity.usage import Spent, spend_quota
from entrypoints.container import Container
from tests.composition import UseCases


class ApiKeys(UseCases):
    """The identity use cases by provider name, an `owner`, and what a metered product does with a key."""

    def __init__(self, container: Container, clock: SettableClock) -> None:
        super().__init__(container.identity, uow=container.infrastructure.uow, clock=clock, owner=uuid4())

    async def new_key(self, **fields: object) -> IssuedApiKey:
        return await self.create_api_key(self.owner, **{"name": "ci", **fields})

    async def meter(self, secret: str, units: int = 1) -> Spent:
        """Authenticate the key, then spend `units` of its quota, as a metered operation does (GenerateImage)."""
        caller = await self.authenticate_api_key(secret)
        async with self.uow() as uow:
            spent = await spend_quota(uow.usage, caller, self.clock.now(), units)
            await uow.commit()
        return spent

    async def used_today(self, key_id: UUID) -> int:
        report = await self.get_usage(self.owner, api_key_id=key_id)
        return next((k.used for k in report.today if k.api_key_id == key_id), 0)
