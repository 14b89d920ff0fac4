"""A Hypothesis state machine base that applies every operation to the memory adapters and to PostgreSQL."""

from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize
from sqlalchemy import text

from adapters.memory.store import MemoryStore
from adapters.memory.unit_of_work import MemoryUnitOfWork
from adapters.postgres.tables import metadata
from adapters.postgres.unit_of_work import PostgresUnitOfWork
from domain.shared.errors import DomainError
from tests.factories import account

OWNERS = st.integers(0, 1)
# Derandomized: every run tries the same sequences, so a failure is reproducible. No shrinking: on PostgreSQL it
# can take minutes; to minimise a failure, add Phase.shrink here while debugging.
MACHINE_SETTINGS = settings(max_examples=20, stateful_step_count=20, deadline=None, derandomize=True,
                            phases=[Phase.explicit, Phase.reuse, Phase.generate],
                            suppress_health_check=[HealthCheck.function_scoped_fixture])


class DualStorageMachine(RuleBasedStateMachine):
    """Two owners; `both(operation)` runs it in a unit of work on each storage and requires the same outcome.

    Subclasses get `loop` and `engine` from `bind()`; `setup()` runs after the owners exist."""

    loop = None
    engine = None

    @classmethod
    def bind(cls, loop, engine) -> type["DualStorageMachine"]:
        return type(cls.__name__, (cls,), {"loop": loop, "engine": engine})

    @initialize()
    def fresh(self) -> None:
        self.loop.run_until_complete(self._truncate())
        self.memory = MemoryStore()
        people = [account(f"owner{n}@example.com", f"owner{n}") for n in range(2)]
        self.owners = [person.id for person in people]

        async def add_owners(uow):
            for person in people:
                await uow.accounts.add(person)
        self.both(add_owners)
        self.setup()

    def setup(self) -> None:
        pass

    async def _truncate(self) -> None:
        async with self.engine.begin() as conn:
            await conn.execute(text(f"TRUNCATE {', '.join(t.name for t in metadata.sorted_tables)} CASCADE"))

    def both(self, operation):
        """("ok", result) or ("error", code), the same on both storages."""
        outcomes = []
        for factory in (lambda **scope: MemoryUnitOfWork(self.memory, **scope), lambda **scope: PostgresUnitOfWork(self.engine, **scope)):
            async def run(factory=factory):
                async with factory() as uow:
                    result = await operation(uow)
                    await uow.commit()
                    return result
            try:
                outcomes.append(("ok", self.loop.run_until_complete(run())))
            except DomainError as error:
                outcomes.append(("error", error.code))
        assert outcomes[0] == outcomes[1], outcomes
        return outcomes[0]


def run_machine(machine: type[RuleBasedStateMachine]) -> None:
    test = machine.TestCase
    test.settings = MACHINE_SETTINGS
    test().runTest()
