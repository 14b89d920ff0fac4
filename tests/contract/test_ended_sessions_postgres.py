"""Every process reads the session ends of every other from PostgreSQL, none skipped however transactions
commit."""

from datetime import timedelta

from adapters.postgres.ended_sessions import PostgresEndedSessionFeed
from adapters.postgres.unit_of_work import PostgresUnitOfWork
from tests.factories import NOW, account, session

LONG_AGO = NOW - timedelta(hours=1)


async def _sessions(engine, owner, count):
    started = [session(owner.id) for _ in range(count)]
    async with PostgresUnitOfWork(engine) as uow:
        await uow.accounts.add(owner)
        for row in started:
            await uow.sessions.add(row)
        await uow.commit()
    return started


async def test_an_end_committed_after_a_later_one_is_still_seen(clean_postgres):
    first, second = await _sessions(clean_postgres, account(), 2)
    feed = PostgresEndedSessionFeed(clean_postgres)
    _, watermark = await feed.since(0, LONG_AGO)
    slow = PostgresUnitOfWork(clean_postgres)
    async with slow:
        await slow.sessions.end(first.owner_id, first.id, NOW)  # this transaction's id comes first, commits last
        async with PostgresUnitOfWork(clean_postgres) as quick:
            await quick.sessions.end(second.owner_id, second.id, NOW)
            await quick.commit()
        ended, watermark = await feed.since(watermark, LONG_AGO)
        assert ended == [second.id]
        await slow.commit()
    ended, watermark = await feed.since(watermark, LONG_AGO)
    assert first.id in ended
    ended, _ = await feed.since(watermark, LONG_AGO)
    assert first.id not in ended and second.id not in ended  # the watermark moved past both


async def test_a_new_process_reads_the_ends_recent_enough_to_matter(clean_postgres):
    ada = account()
    old, recent, live = await _sessions(clean_postgres, ada, 3)
    async with PostgresUnitOfWork(clean_postgres) as uow:
        await uow.sessions.end(ada.id, old.id, NOW - timedelta(minutes=20))
        await uow.sessions.end(ada.id, recent.id, NOW)
        await uow.commit()
    ended, _ = await PostgresEndedSessionFeed(clean_postgres).since(0, NOW - timedelta(minutes=16))
    assert ended == [recent.id]
