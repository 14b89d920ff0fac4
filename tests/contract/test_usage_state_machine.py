"""Any sequence of spends, refunds and quota changes: memory and PostgreSQL agree, and 0 <= used <= quota."""

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from sqlalchemy import text

from adapters.memory.store import MemoryStore
from adapters.memory.unit_of_work import MemoryUnitOfWork
from adapters.postgres.unit_of_work import PostgresUnitOfWork
from tests.contract.test_api_access_repositories import api_key
from tests.factories import account

DAYS = [date(2026, 1, 5), date(2026, 1, 6)]


@pytest.fixture
def machine(session_loop, clean_postgres):
    engine = clean_postgres
    class UsageMachine(RuleBasedStateMachine):
        @initialize()
        def fresh(self):
            self.memory = MemoryStore()
            owner = account()
            self.key = api_key(owner.id)
            self.quota = {day: 1 for day in DAYS}

            async def setup(uow):
                await uow.accounts.add(owner)
                await uow.api_keys.add(self.key)
            session_loop.run_until_complete(self._truncate())
            self.both(setup)

        async def _truncate(self):
            async with engine.begin() as conn:
                await conn.execute(text("TRUNCATE accounts CASCADE"))

        def both(self, operation):
            results = []
            for factory in (lambda: MemoryUnitOfWork(self.memory), lambda: PostgresUnitOfWork(engine)):
                async def run(factory=factory):
                    async with factory() as uow:
                        result = await operation(uow)
                        await uow.commit()
                        return result
                results.append(session_loop.run_until_complete(run()))
            assert results[0] == results[1], results
            return results[0]

        @rule(day=st.sampled_from(DAYS), units=st.integers(1, 4), quota=st.integers(1, 8))
        def spend(self, day, units, quota):
            self.quota[day] = quota
            self.both(lambda uow: uow.usage.spend(self.key.owner_id, self.key.id, day, units, quota))

        @rule(day=st.sampled_from(DAYS), units=st.integers(1, 4))
        def refund(self, day, units):
            self.both(lambda uow: uow.usage.refund(self.key.owner_id, self.key.id, day, units))

        @invariant()
        def within_the_quota(self):
            if not hasattr(self, "key"):
                return
            rows = self.both(lambda uow: uow.usage.list(
                self.key.owner_id, start=DAYS[0], end=DAYS[-1] + timedelta(days=1)))
            for row in rows:
                assert 0 <= row.used <= row.quota

    return UsageMachine


def test_memory_and_postgres_agree_and_stay_within_the_quota(machine):
    test = machine.TestCase
    test.settings = settings(max_examples=25, stateful_step_count=20, deadline=None,
                             suppress_health_check=[HealthCheck.function_scoped_fixture])
    test().runTest()
