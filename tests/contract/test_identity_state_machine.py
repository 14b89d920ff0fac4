"""Random sequences of account operations give identical results on memory and PostgreSQL."""

from hypothesis import strategies as st
from hypothesis.stateful import invariant, rule

from tests.factories import NOW, account, new_id
from tests.reliability.dual import DualStorageMachine, run_machine

emails = st.sampled_from(["ada@example.com", "grace@example.com", "alan@example.com"])
usernames = st.sampled_from(["ada", "grace", "alan", "edsger"])


class IdentityMachine(DualStorageMachine):
    """Register, rename and look up accounts; outcomes, errors and reads must agree."""

    def setup(self) -> None:
        self.ids = []

    @rule(email=emails, username=usernames)
    def register(self, email, username):
        new = account(email, username)
        if self.both(lambda uow: uow.accounts.add(new))[0] == "ok":
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
        for account_id in getattr(self, "ids", []):
            self.both(lambda uow, account_id=account_id: uow.accounts.get(account_id))


def test_memory_and_postgres_agree(session_loop, clean_postgres):
    run_machine(IdentityMachine.bind(session_loop, clean_postgres))
