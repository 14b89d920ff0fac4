"""Two workers (two containers, two engines: two processes as far as PostgreSQL can tell) run the queued syncs at
once: a source is read by one of them at a time, the other puts its claim back, and every sync runs once."""

import asyncio

from dependency_injector import providers

from application.delivery.ports import Page, ResourceState
from domain.delivery.records import Incident
from tests.composition import UseCases, compose
from tests.factories import NOW
from tests.fakes_delivery import ScriptedConnector, ScriptedReader


async def test_two_workers_never_sync_one_source_at_once(postgres_url, clean_postgres, clock):
    gate = asyncio.Event()
    reader = ScriptedReader("linear.issues", [Page((Incident("i1", "down", NOW, None),), ResourceState("c"))],
                            gate=gate)
    workers = [compose("postgres", clock, database_url=postgres_url) for _ in range(2)]
    for worker in workers:
        worker.delivery.connector.override(providers.Object(ScriptedConnector([reader])))
    first, second = (UseCases(worker.delivery) for worker in workers)
    try:
        owner = await workers[0].identity.register_account()(email="ada@example.com", username="ada",
                                                              password="x" * 12)
        source = await first.create_source(owner.id, kind="linear", team_key="ENG", token="lin_api_x")
        one = await first.request_sync(owner.id, source.id)
        running = asyncio.create_task(first.run_syncs())
        await asyncio.wait_for(reader.started.wait(), 10)  # the first worker holds the source and reads it
        two = await second.request_sync(owner.id, source.id)  # queued: the first sync is running, not queued

        postponed = await asyncio.wait_for(second.run_syncs(), 10)  # finds the source busy, puts its claim back
        gate.set()
        report = await asyncio.wait_for(running, 10)  # finishes the first, then claims and runs the second

        assert postponed.postponed == 1 and postponed.succeeded == 0
        assert report.succeeded == 2 and reader.most == 1
        assert [(await first.get_sync(owner.id, s.id)).status for s in (one, two)] == ["succeeded", "succeeded"]
    finally:
        for worker in workers:
            await worker.infrastructure.engine().dispose()
