"""Random sequences of account operations give identical results on memory and PostgreSQL."""

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from sqlalchemy import text

from adapters.memory.store import MemoryStore
from adapters.memory.unit_of_work import MemoryUnitOfWork
from adapters.postgres.unit_of_work import PostgresUnitOfWork
from domain.shared.errors import DomainError
from tests.factories import NOW, account, new_id

emails = st.sampled_from(["ada@example.com", "grace@example.com", "alan@example.com"])
usernames = st.sampled_from(["ada", "grace", "alan", "edsger"])


@pytest.fixture
def machine(session_loop, engine):
    class IdentityMachine(RuleBasedStateMachine):
        """Apply each operation to both storages; outcomes and reads must agree."""

        @initialize()
        def fresh(self):
            session_loop.run_until_complete(self._truncate())
            self.memory = MemoryStore()
            self.ids = []

        async def _truncate(self):
            async with engine.begin() as conn:
                await conn.execute(text("TRUNCATE accounts CASCADE"))

        def both(self, operation):
            outcomes = []
            for factory in (lambda: MemoryUnitOfWork(self.memory), lambda: PostgresUnitOfWork(engine)):
                async def run(factory=factory):
                    async with factory() as uow:
                        result = await operation(uow)
                        await uow.commit()
                        return result
                try:
                    outcomes.append(("ok", session_loop.run_until_complete(run())))
                except DomainError as error:
                    outcomes.append(("error", error.code))
            assert outcomes[0] == outcomes[1], outcomes
            return outcomes[0]

        @rule(email=emails, username=usernames)
        def register(self, email, username):
            new = account(email, username)
            outcome = self.both(lambda uow: uow.accounts.add(new))
            if outcome[0] == "ok":
                self.ids.append(new.id)

        @rule(data=st.data(), username=usernames)
        def rename(self, data, username):
            if not self.ids:
                return
            account_id = data.draw(st.sampled_from(self.ids))

            async def rename(uow):
                current = await uow.accounts.get(account_id)
                await uow.accounts.save(current.update_profile(now=NOW, username=username))
            self.both(rename)

        @rule(username=usernames)
        def lookup(self, username):
            self.both(lambda uow: uow.accounts.get_by_username(username))

        @rule()
        def unknown_id(self):
            missing = new_id()
            assert self.both(lambda uow: uow.accounts.get(missing)) == ("ok", None)

        @invariant()
        def same_accounts(self):
            if hasattr(self, "ids"):
                for account_id in self.ids:
                    self.both(lambda uow, account_id=account_id: uow.accounts.get(account_id))

    return IdentityMachine


def test_memory_and_postgres_agree(machine):
    test = machine.TestCase
    test.settings = settings(max_examples=25, stateful_step_count=15, deadline=None,
                             suppress_health_check=[HealthCheck.function_scoped_fixture])
    test().runTest()
