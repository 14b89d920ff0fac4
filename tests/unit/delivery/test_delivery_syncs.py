"""Running syncs: pages committed one by one, the cursor never ahead of committed data, failures shown on the sync
(never a token), a re-run that changes nothing."""

from datetime import UTC, datetime, timedelta

import pytest
from dependency_injector import providers

from adapters.delivery.connector import ProviderConnector
from application.delivery.metrics import PeriodQuery
from application.delivery.ports import Page, ResourceState, SourceUnavailable
from domain.delivery.records import Deployment, DeploymentResult, Incident
from tests.composition import UseCases
from tests.fakes_delivery import ScriptedConnector, ScriptedReader
from tests.unit.delivery.support import Answer

AT = datetime(2026, 6, 1, 12, tzinfo=UTC)


def deployment(n: int) -> Deployment:
    return Deployment(f"release:{n}", f"v{n}", None, True, DeploymentResult.SUCCESS, f"sha{n}", AT + timedelta(n))


@pytest.fixture
async def owner(container) -> object:
    return await container.identity.register_account()(email="ada@example.com", username="ada", password="x" * 12)


def delivery(container, connector=None) -> UseCases:
    if connector is not None:
        container.delivery.connector.override(providers.Object(connector))
    return UseCases(container.delivery)


async def test_a_failure_keeps_the_committed_pages_and_the_next_run_resumes_after_them(container, owner):
    reader = ScriptedReader("github.releases", [
        Page((deployment(1),), ResourceState("p1")), Page((deployment(2),), None), Page((deployment(3),),
                                                                                           ResourceState("p3"))],
        fail_at=1, fail=SourceUnavailable("GitHub answered HTTP 502"))
    use = delivery(container, ScriptedConnector([reader]))
    source = await use.create_source(owner.id, kind="github", repository="o/app", token="ghp_secret")

    first = await use.request_sync(owner.id, source.id)
    report = await use.run_syncs()
    failed = await use.get_sync(owner.id, first.id)
    reader.fail = None
    second = await use.request_sync(owner.id, source.id)
    await use.run_syncs()
    done = await use.get_sync(owner.id, second.id)
    listed = await use.list_deployments(owner.id, PeriodQuery(first=AT.date(), last=AT.date() + timedelta(10)))

    assert report.failed == 1 and failed.status == "failed" and failed.error == "GitHub answered HTTP 502"
    assert failed.counts.deployments == 1  # the first page was committed before the failure
    assert reader.states == [ResourceState(), ResourceState("p1")]  # resumed after the committed page only
    assert done.status == "succeeded" and done.counts.deployments == 2
    assert [row.deployment.key for row in listed.items] == ["release:3", "release:2", "release:1"]


async def test_the_provider_error_shows_on_the_sync_without_the_token(container, owner, server):
    server.handler = lambda request: Answer(401, {"message": "Bad credentials"})
    use = delivery(container, ProviderConnector(git_roots=(), clock=container.infrastructure.clock(),
                                                github_url=server.url, max_wait=0))
    source = await use.create_source(owner.id, kind="github", repository="o/app", token="ghp_s3cret_t0ken")

    sync = await use.request_sync(owner.id, source.id)
    await use.run_syncs()
    failed = await use.get_sync(owner.id, sync.id)

    assert failed.status == "failed" and "refused the token (401)" in failed.error
    assert "ghp_s3cret_t0ken" not in failed.error
    assert server.requests[0].headers["authorization"] == "Bearer ghp_s3cret_t0ken"  # sealed, then opened to send


async def test_the_servers_default_token_serves_sources_without_one_and_none_at_all_is_a_clear_failure(
        container, owner):
    reader = ScriptedReader("linear.issues", [Page((Incident("i", "down", AT, None),), ResourceState("x"))])
    connector = ScriptedConnector([reader])
    use = delivery(container, connector)
    source = await use.create_source(owner.id, kind="linear", team_key="eng")
    await use.request_sync(owner.id, source.id)
    await use.run_syncs()

    container.delivery.connector.reset_override()
    bare = await use.request_sync(owner.id, source.id)
    await use.run_syncs()

    assert source.target == "ENG" and connector.tokens == [None]
    assert (await use.get_sync(owner.id, bare.id)).error == (
        "Linear needs an API key: set one on the source, or ATRIUM_LINEAR_API_KEY on the server")


async def test_a_scheduled_pass_queues_each_source_once_per_interval(container, owner, clock):
    use = delivery(container, ScriptedConnector([ScriptedReader("git.history", [], snapshot=True)]))
    a = await use.create_source(owner.id, kind="linear", team_key="A", token="k")
    await use.create_source(owner.id, kind="linear", team_key="B", token="k")

    first = await use.queue_due_syncs()
    again = await use.queue_due_syncs()
    await use.run_syncs()
    clock.advance(minutes=59)
    early = await use.queue_due_syncs()
    clock.advance(minutes=2)
    due = await use.queue_due_syncs(source_id=a.id)

    assert (first, again, early, due) == (2, 0, 0, 1)
