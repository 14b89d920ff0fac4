"""Any sequence of spends, refunds and quota changes: memory and PostgreSQL agree, and 0 <= used <= quota."""

from datetime import date, timedelta

from hypothesis import strategies as st
from hypothesis.stateful import invariant, rule

from tests.contract.test_identity_api_key_repositories import api_key
from tests.reliability.dual import DualStorageMachine, run_machine

DAYS = [date(2026, 1, 5), date(2026, 1, 6)]


class UsageMachine(DualStorageMachine):
    """Spend and refund units of one key on two days, with changing quotas."""

    def setup(self) -> None:
        self.key = api_key(self.owners[0])
        self.both(lambda uow: uow.api_keys.add(self.key))

    @rule(day=st.sampled_from(DAYS), units=st.integers(1, 4), quota=st.integers(1, 8))
    def spend(self, day, units, quota):
        self.both(lambda uow: uow.usage.spend(self.key.owner_id, self.key.id, day, units, quota))

    @rule(day=st.sampled_from(DAYS), units=st.integers(1, 4))
    def refund(self, day, units):
        self.both(lambda uow: uow.usage.refund(self.key.owner_id, self.key.id, day, units))

    @invariant()
    def within_the_quota(self):
        if not hasattr(self, "key"):
            return
        _, rows = self.both(lambda uow: uow.usage.list(
            self.key.owner_id, start=DAYS[0], end=DAYS[-1] + timedelta(days=1)))
        for row in rows:
            assert 0 <= row.used <= row.quota


def test_memory_and_postgres_agree_and_stay_within_the_quota(session_loop, clean_postgres):
    run_machine(UsageMachine.bind(session_loop, clean_postgres))
