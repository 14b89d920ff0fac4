"""The delivery repositories' contract, on memory and on PostgreSQL: the same records, syncs and claims, and the
metrics and lists equal to the pure domain functions (`dora_report`, `domain/delivery/listing.py`) on the same
histories, DevLake's example included."""

import random
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from uuid import UUID

import pytest

from adapters.ids import Uuid7Generator
from application.delivery.ports import Period, RecordKeys, ResourceState
from domain.delivery.benchmarks import parse_benchmark
from domain.delivery.listing import change_rows, combined, deployment_rows, incident_rows
from domain.delivery.records import Change, DeployedCommit, Deployment, DeploymentResult, Incident
from domain.delivery.report import History, dora_report
from domain.delivery.source import Source, SourceKind, SourceOptions
from domain.delivery.sync import Sync, SyncCounts, SyncStatus, SyncTrigger
from domain.delivery.window import Granularity, Window
from tests.contract.test_ledger_repositories import owners
from tests.factories import NOW, new_id

START = datetime(2026, 3, 2, tzinfo=UTC)


def source(owner_id: UUID, kind: SourceKind = SourceKind.GIT, target: str = "/srv/repos/app") -> Source:
    return Source(new_id(), owner_id, kind, target, SourceOptions(), None, NOW, NOW)


async def store(uow_factory, *sources: Source, histories: dict[UUID, History] | None = None) -> None:
    async with uow_factory() as uow:
        for s in sources:
            await uow.delivery_sources.add(s)
        for source_id, history in (histories or {}).items():
            owner = next(s.owner_id for s in sources if s.id == source_id)
            await uow.delivery_records.upsert(owner, source_id, [
                *history.deployments, *history.changes, *history.incidents, *history.deployed_commits])
        await uow.commit()


def random_history(rng: random.Random, deployments: int, *, incidents: bool) -> History:
    """Deployments every few hours over ten weeks (some failed, staging, re-deploys of a commit, exact ties), changes
    shipped by them (some never), incidents (some open)."""
    made, changes, shipped, found = [], [], [], []
    at = START - timedelta(days=3)
    for n in range(deployments):
        at += timedelta(hours=rng.choice([0, 5, 13, 26, 49, 100]), seconds=rng.choice([0, 1, 59]))
        commit = f"c{n}" if rng.random() > 0.15 or not made else made[-1].commit  # a re-deploy of the last commit
        result = rng.choice([DeploymentResult.SUCCESS] * 6 + [DeploymentResult.FAILURE, DeploymentResult.IN_PROGRESS])
        production = rng.random() > 0.1
        finished = None if result is DeploymentResult.IN_PROGRESS else at
        made.append(Deployment(f"d{n:03}", f"deploy {n}", "production" if production else "staging", production,
                               result, commit, finished))
        for k in range(rng.choice([0, 1, 1, 2, 3])):
            sha = f"m{n}-{k}"
            first = at - timedelta(hours=rng.choice([1, 3, 30, 200]), minutes=rng.randrange(60))
            changes.append(Change(f"pr:{n}-{k}", f"change {n}-{k}", first, first + timedelta(hours=1), sha))
            if rng.random() > 0.1:
                shipped.append(DeployedCommit(f"d{n:03}", sha))
        if incidents and rng.random() < 0.3:
            created = at + timedelta(hours=rng.choice([0, 1, 7]))
            resolved = None if rng.random() < 0.2 else created + timedelta(hours=rng.choice([1, 3, 40]))
            found.append(Incident(f"i{n}", f"incident {n}", created, resolved))
    return History(made, changes, found, shipped)


@pytest.mark.parametrize("seed", range(6))
async def test_metrics_and_lists_equal_the_domain_functions_on_random_histories(uow_factory, seed):
    rng = random.Random(seed)
    owner, other = await owners(uow_factory)
    github, linear, foreign = source(owner, SourceKind.GITHUB, "o/app"), source(owner, SourceKind.LINEAR, "ENG"), \
        source(other)
    histories = {github.id: random_history(rng, 60, incidents=False),
                 linear.id: History(incidents=random_history(rng, 60, incidents=True).incidents),
                 foreign.id: random_history(rng, 30, incidents=True)}
    await store(uow_factory, github, linear, foreign, histories=histories)
    zone = rng.choice(["UTC", "Europe/Oslo", "America/New_York", "Asia/Kolkata"])
    window = Window.create(date(2026, 3, 9), date(2026, 4, 26), zone)  # DST begins in both halves of the world
    mine = {github.id: histories[github.id], linear.id: histories[linear.id]}
    period = Period(owner, (github.id, linear.id), window)

    for granularity in Granularity:
        for year in ("2021", "2023", "2024"):
            async with uow_factory() as uow:
                got = await uow.delivery_metrics.report(period, granularity, parse_benchmark(year))
            assert got == dora_report(combined(mine), window, granularity, parse_benchmark(year))
    async with uow_factory() as uow:
        assert await uow.delivery_metrics.deployments(period, after=None, limit=1000) == deployment_rows(mine, window)
        assert await uow.delivery_metrics.changes(period, after=None, limit=1000) == change_rows(mine, window)
        assert await uow.delivery_metrics.incidents(period, after=None, limit=1000) == incident_rows(mine, window)
        alone = await uow.delivery_metrics.report(replace(period, source_ids=(github.id,)), Granularity.WEEK,
                                                  parse_benchmark(None))
    assert alone == dora_report(combined({github.id: mine[github.id]}), window, Granularity.WEEK, parse_benchmark(None))


class Kept:
    """What a source holds after each write, to compare the store with the domain on."""

    def __init__(self) -> None:
        self.records: dict[tuple[str, str], object] = {}

    def write(self, records) -> None:
        for r in records:
            self.records[(type(r).__name__, f"{r.deployment_key}\n{r.commit}" if isinstance(r, DeployedCommit)
                          else r.key)] = r

    def remove(self, keys) -> None:
        self.records = {k: r for k, r in self.records.items() if k[0] == "DeployedCommit" or k[1] not in keys}

    def retain(self, keys: RecordKeys) -> None:
        kept = {"Deployment": keys.deployments, "Change": keys.changes, "Incident": keys.incidents,
                "DeployedCommit": keys.deployed_commits}
        self.records = {k: r for k, r in self.records.items() if k[1] in kept[k[0]]}

    def history(self) -> History:
        of = lambda kind: [r for (k, _), r in self.records.items() if k == kind]  # noqa: E731
        return History(of("Deployment"), of("Change"), of("Incident"), of("DeployedCommit"))


@pytest.mark.parametrize("seed", range(4))
async def test_lead_times_follow_records_written_in_any_order_page_by_page_and_changed_later(uow_factory, seed):
    """Each change's deployment is kept as records are written (PostgreSQL stores it): records arriving shuffled
    in pages, ranges added later, deployments that fail, move or change commit, changes re-merged, records removed
    and retained must all leave the lead times equal to the domain's on what is stored."""
    rng = random.Random(seed)
    owner, = await owners(uow_factory, 1)
    app = source(owner, SourceKind.GITHUB, "o/app")
    await store(uow_factory, app)
    history, kept = random_history(rng, 40, incidents=True), Kept()
    window = Window.create(date(2026, 2, 1), date(2026, 7, 31), "Europe/Oslo")
    period = Period(owner, (app.id,), window)
    ranged = [d for d in history.deployed_commits if rng.random() < 0.3]
    records = [*history.deployments, *history.changes, *history.incidents,
               *(d for d in history.deployed_commits if d not in ranged)]
    rng.shuffle(records)

    async def write(step):
        async with uow_factory() as uow:
            await step(uow.delivery_records)
            await uow.commit()
        async with uow_factory() as uow:
            assert await uow.delivery_metrics.changes(period, after=None, limit=1000) == change_rows(
                {app.id: kept.history()}, window)
            assert await uow.delivery_metrics.report(period, Granularity.WEEK, parse_benchmark(None)) == dora_report(
                combined({app.id: kept.history()}), window, Granularity.WEEK, parse_benchmark(None))

    while records:
        size = rng.randint(1, 25)
        page, records = records[:size], records[size:]
        kept.write(page)
        await write(lambda repo, page=page: repo.upsert(owner, app.id, page))
    for deployment_key in sorted({d.deployment_key for d in ranged}):
        commits = [d.commit for d in ranged if d.deployment_key == deployment_key]
        kept.write(d for d in ranged if d.deployment_key == deployment_key)
        await write(lambda repo, k=deployment_key, c=commits: repo.add_range(owner, app.id, k, c))
    deployments = [r for r in kept.history().deployments if r.result is DeploymentResult.SUCCESS]
    moved = [replace(rng.choice(deployments), result=DeploymentResult.FAILURE),
             replace(rng.choice(deployments), finished_at=START - timedelta(days=2)),
             replace(rng.choice(deployments), commit=rng.choice(deployments).commit)]
    changes = list(kept.history().changes)
    remerged = [replace(c, merge_commit=rng.choice(changes).merge_commit) for c in rng.sample(changes, 3)]
    for page in ([moved[0]], [moved[1]], [moved[2]], remerged):
        kept.write(page)
        await write(lambda repo, page=page: repo.upsert(owner, app.id, page))
    gone = {d.key for d in rng.sample(deployments, 3)}
    kept.remove(gone)
    await write(lambda repo: repo.remove(owner, app.id, gone))
    now = kept.history()
    keys = RecordKeys(frozenset(d.key for d in now.deployments if rng.random() < 0.8),
                      frozenset(c.key for c in now.changes), frozenset(i.key for i in now.incidents),
                      frozenset(f"{d.deployment_key}\n{d.commit}" for d in now.deployed_commits if rng.random() < 0.8))
    kept.retain(keys)
    await write(lambda repo: repo.retain(owner, app.id, keys))


async def test_devlake_example_and_pages_that_resume_after_their_cursor(uow_factory):
    owner, = await owners(uow_factory, 1)
    app = source(owner)
    at = [START + timedelta(days=3 * n) for n in range(1, 6)]
    history = History(
        [Deployment(f"tag:v{n}", f"v{n}", None, True, DeploymentResult.SUCCESS, f"sha{n}", at[n]) for n in range(5)],
        incidents=[Incident("i1", "down", at[1] + timedelta(hours=1), at[1] + timedelta(hours=3)),
                   Incident("i2", "slow", at[3] + timedelta(hours=2), None),
                   Incident("i3", "again", at[3] + timedelta(hours=5), at[3] + timedelta(hours=9))])
    await store(uow_factory, app, histories={app.id: history})
    period = Period(owner, (app.id,), Window.create(date(2026, 3, 1), date(2026, 3, 31), "UTC"))

    async with uow_factory() as uow:
        report = await uow.delivery_metrics.report(period, Granularity.WEEK, parse_benchmark(None))
        first = await uow.delivery_metrics.deployments(period, after=None, limit=2)
        rest = await uow.delivery_metrics.deployments(period, after=first[-1].position, limit=10)
    cfr = report.change_failure_rate
    assert (cfr.value, cfr.failed_deployments, cfr.deployments) == (0.4, 2, 5)
    assert report.failed_deployment_recovery_time.median_hours == 3.0  # 3 h and 9 h after the deployment: the lower
    assert [row.deployment.key for row in first + rest] == ["tag:v4", "tag:v3", "tag:v2", "tag:v1", "tag:v0"]


async def test_records_upsert_by_key_and_a_rerun_writes_nothing(uow_factory):
    owner, = await owners(uow_factory, 1)
    app = source(owner)
    await store(uow_factory, app)
    records = [Deployment("tag:v1", "v1", None, True, DeploymentResult.SUCCESS, "a", NOW),
               Change("a", "Add", NOW, NOW, "a"), Incident("a", "Revert", NOW, None), DeployedCommit("tag:v1", "a")]
    async with uow_factory() as uow:
        first = await uow.delivery_records.upsert(owner, app.id, records)
        again = await uow.delivery_records.upsert(owner, app.id, records)
        changed = await uow.delivery_records.upsert(owner, app.id, [Incident("a", "Revert", NOW, NOW)])
        await uow.commit()
    assert first == SyncCounts(1, 1, 1, 1) and again == SyncCounts() and changed == SyncCounts(incidents=1)

    async with uow_factory() as uow:
        assert await uow.delivery_records.add_range(owner, app.id, "tag:v1", ["a", "b"]) == 1
        assert await uow.delivery_records.ranged(owner, app.id) == {"tag:v1"}
        assert [s.key for s in await uow.delivery_records.production(owner, app.id)] == ["tag:v1"]
        kept = RecordKeys(deployments=frozenset({"tag:v1"}), changes=frozenset(), incidents=frozenset({"a"}),
                          deployed_commits=frozenset({"tag:v1\na"}))
        assert await uow.delivery_records.retain(owner, app.id, kept) == 2  # the change and the deployed commit b
        assert await uow.delivery_records.remove(owner, app.id, ["a"]) == 1  # the incident
        await uow.commit()
    period = Period(owner, (app.id,), Window.create(date(2026, 1, 1), date(2026, 1, 31), "UTC"))
    async with uow_factory() as uow:
        assert [r.deployment.key for r in await uow.delivery_metrics.deployments(period, after=None, limit=5)] == [
            "tag:v1"]
        assert await uow.delivery_metrics.changes(period, after=None, limit=5) == []
        await uow.delivery_records.clear(owner, app.id)
        assert await uow.delivery_records.production(owner, app.id) == []


async def test_the_latest_sync_of_each_source_is_its_owners_alone(uow_factory):
    ada, eve = await owners(uow_factory, 2)
    a, b, never, foreign = source(ada), source(ada), source(ada), source(eve)
    await store(uow_factory, a, b, never, foreign)
    ids = Uuid7Generator()

    def queued(src: Source, hours: int) -> Sync:
        return Sync.queue(id=ids.new_id(), owner_id=src.owner_id, source_id=src.id, trigger=SyncTrigger.SCHEDULED,
                          now=NOW + timedelta(hours=hours))

    async with uow_factory() as uow:
        old = await uow.delivery_syncs.add(queued(a, 0))
        await uow.delivery_syncs.save(old.start(NOW).succeed(NOW + timedelta(minutes=1)))
        newer = await uow.delivery_syncs.add(queued(a, 2))  # the first is done: a second may queue
        only_b = await uow.delivery_syncs.add(queued(b, 1))
        await uow.delivery_syncs.add(queued(foreign, 3))
        await uow.commit()
    async with uow_factory() as uow:
        latest = await uow.delivery_syncs.latest(ada, [a.id, b.id, never.id, foreign.id])
        assert await uow.delivery_syncs.latest(ada, []) == {}
    assert {key: sync.id for key, sync in latest.items()} == {a.id: newer.id, b.id: only_b.id}


async def test_syncs_queue_once_per_source_and_claims_take_the_oldest(uow_factory):
    owner, = await owners(uow_factory, 1)
    a, b = source(owner), source(owner)
    await store(uow_factory, a, b)
    ids = Uuid7Generator()
    async with uow_factory() as uow:
        first = await uow.delivery_syncs.add(Sync.queue(id=ids.new_id(), owner_id=owner, source_id=a.id,
                                                        trigger=SyncTrigger.REQUESTED, now=NOW))
        again = await uow.delivery_syncs.add(Sync.queue(id=ids.new_id(), owner_id=owner, source_id=a.id,
                                                        trigger=SyncTrigger.REQUESTED, now=NOW + timedelta(1)))
        queued = await uow.delivery_syncs.queue_due(NOW + timedelta(hours=1), timedelta(hours=1), ids,
                                                    SyncTrigger.SCHEDULED)
        await uow.commit()
    assert again == first and queued == 1  # b only: a has a queued sync

    async with uow_factory() as uow:
        claimed = await uow.delivery_syncs.claim(NOW + timedelta(hours=2))
        other = await uow.delivery_syncs.claim(NOW + timedelta(hours=2), skip={claimed.id})
        none = await uow.delivery_syncs.claim(NOW + timedelta(hours=2))
        await uow.commit()
    assert claimed.id == first.id and claimed.status is SyncStatus.RUNNING and other.source_id == b.id
    assert none is None
    async with uow_factory() as uow:  # a dead process's claim is taken again once its lease ran out
        stolen = await uow.delivery_syncs.claim(NOW + timedelta(hours=3))
        await uow.delivery_states.save(owner, a.id, "git.history", ResourceState("c1", None))
        await uow.commit()
    assert stolen.id in {first.id, other.id}
    async with uow_factory() as uow:
        assert await uow.delivery_states.get(owner, a.id, "git.history") == ResourceState("c1", None)
        assert await uow.delivery_syncs.queue_due(NOW + timedelta(hours=5), timedelta(hours=1), ids,
                                                  SyncTrigger.SCHEDULED) == 0  # both still running
        assert await uow.delivery_sources.remove(owner, a.id)
        assert await uow.delivery_syncs.get(owner, first.id) is None
        assert await uow.delivery_states.get(owner, a.id, "git.history") is None
        await uow.commit()
