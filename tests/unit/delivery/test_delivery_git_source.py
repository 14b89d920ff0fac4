"""The git source against real repositories built in tmp_path with chosen dates."""

import os
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from adapters.delivery.git import GitRepository
from application.delivery.ports import Page, ResourceState, SourceRejected
from domain.delivery.benchmarks import parse_benchmark
from domain.delivery.records import Change, DeployedCommit, Deployment, Incident, Record
from domain.delivery.report import History, dora_report
from domain.delivery.source import SourceOptions
from domain.delivery.window import Granularity, Window


class Repo:
    def __init__(self, path: Path) -> None:
        self.path = path
        path.mkdir(parents=True)
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str, when: str = "2026-06-01T12:00:00+00:00") -> str:
        env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when, "GIT_AUTHOR_NAME": "Ada",
               "GIT_AUTHOR_EMAIL": "ada@example.org", "GIT_COMMITTER_NAME": "Ada",
               "GIT_COMMITTER_EMAIL": "ada@example.org", "GIT_CONFIG_GLOBAL": os.devnull}
        done = subprocess.run(["git", "-C", str(self.path), *args], env=env, check=True, capture_output=True, text=True)
        return done.stdout.strip()

    def commit(self, subject: str, when: str) -> str:
        self.git("commit", "-q", "--allow-empty", "-m", subject, when=when)
        return self.git("rev-parse", "HEAD")

    def tag(self, name: str, when: str, *, annotated: bool = True) -> None:
        if annotated:
            self.git("tag", "-a", name, "-m", name, when=when)
        else:
            self.git("tag", name, when=when)


async def read(source: GitRepository, state: ResourceState | None = None) -> list[Page]:
    return [page async for page in source.pages(state or ResourceState())]


def records(pages: list[Page]) -> list[Record]:
    return [item for page in pages for item in page.items]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return tmp_path / "repos"


@pytest.fixture
def repo(root: Path) -> Repo:
    repo = Repo(root / "app")
    repo.commit("Add login", "2026-06-01T09:00:00+00:00")
    repo.commit("Fix typo", "2026-06-01T10:00:00+00:00")
    repo.tag("v1.0.0", "2026-06-01T12:00:00+00:00")  # annotated: the tagger date counts
    repo.commit("Add search", "2026-06-02T08:00:00+00:00")
    repo.commit('Revert "Add search"', "2026-06-03T09:00:00+00:00")
    repo.commit("Not shipped yet", "2026-06-03T10:00:00+00:00")
    repo.git("tag", "deploy-2", "HEAD~1")  # lightweight: the commit's date counts
    repo.git("tag", "experiment")  # neither a deployment name nor a version
    return repo


def source(repo: Repo, root: Path, **options: object) -> GitRepository:
    return GitRepository(str(repo.path), roots=[str(root)], options=SourceOptions.create(**options), timeout=20)


async def test_tags_are_deployments_commits_changes_and_reverts_incidents(repo: Repo, root: Path) -> None:
    items = records(await read(source(repo, root)))

    deployments = {d.key: d for d in items if isinstance(d, Deployment)}
    assert set(deployments) == {"tag:v1.0.0", "tag:deploy-2"}
    assert deployments["tag:v1.0.0"].finished_at == datetime(2026, 6, 1, 12, tzinfo=UTC)
    assert deployments["tag:deploy-2"].finished_at == datetime(2026, 6, 3, 9, tzinfo=UTC)
    assert all(d.production and d.counts for d in deployments.values())

    shipped = {row.commit: row.deployment_key for row in items if isinstance(row, DeployedCommit)}
    changes = {c.title: c for c in items if isinstance(c, Change)}
    assert shipped[changes["Add login"].merge_commit] == "tag:v1.0.0"
    assert shipped[changes["Add search"].merge_commit] == "tag:deploy-2"
    assert changes["Not shipped yet"].merge_commit not in shipped
    assert changes["Add login"].first_commit_at == datetime(2026, 6, 1, 9, tzinfo=UTC)

    [incident] = [i for i in items if isinstance(i, Incident)]
    assert (incident.title, incident.created_at, incident.resolved_at) == (
        'Revert "Add search"', datetime(2026, 6, 3, 9, tzinfo=UTC), datetime(2026, 6, 3, 9, tzinfo=UTC),
    )


async def test_the_metrics_of_a_git_history(repo: Repo, root: Path) -> None:
    items = records(await read(source(repo, root)))
    history = History(
        [i for i in items if isinstance(i, Deployment)], [i for i in items if isinstance(i, Change)],
        [i for i in items if isinstance(i, Incident)], [i for i in items if isinstance(i, DeployedCommit)],
    )

    result = dora_report(history, Window.create(date(2026, 6, 1), date(2026, 6, 7), "UTC"), Granularity.WEEK,
                         parse_benchmark(None))

    assert (result.deployment_frequency.deployments, result.deployment_frequency.deployment_days) == (2, 2)
    # lead times: login 3 h, typo 2 h (v1.0.0); search 25 h, revert 0 h (deploy-2) -> lower median 2 h
    assert (result.lead_time_for_changes.median_hours, result.lead_time_for_changes.changes) == (2.0, 4)
    # the revert was written after v1.0.0 and before deploy-2 finished: v1.0.0 failed; 1 of 2 deployments
    assert result.change_failure_rate.value == 0.5
    assert result.failed_deployment_recovery_time.median_hours == 45.0


async def test_an_unchanged_repository_is_not_read_again(repo: Repo, root: Path) -> None:
    git = source(repo, root)
    pages = await read(git)
    state = pages[-1].state
    assert state is not None and all(page.state is None for page in pages[:-1])

    assert await read(git, state) == []
    repo.commit("More", "2026-06-04T10:00:00+00:00")
    assert records(await read(git, state))


async def test_a_large_history_comes_in_pages_and_only_the_last_one_may_be_saved(root: Path) -> None:
    repo = Repo(root / "big")
    for n in range(3):
        repo.commit(f"c{n}", f"2026-06-0{n + 1}T10:00:00+00:00")
    repo.tag("v1.0", "2026-06-05T10:00:00+00:00")
    from adapters.delivery import git as module

    original, module.PAGE_SIZE = module.PAGE_SIZE, 2
    try:
        pages = await read(source(repo, root))
    finally:
        module.PAGE_SIZE = original
    assert [len(page.items) for page in pages] == [2, 2, 2, 1]
    assert [page.state is not None for page in pages] == [False, False, False, True]


async def test_options_decide_which_tags_deploy_and_which_subjects_are_incidents(repo: Repo, root: Path) -> None:
    items = records(await read(source(repo, root, deployment_patterns=["^ship"], incident_pattern="(?i)typo")))

    assert {d.key for d in items if isinstance(d, Deployment)} == {"tag:v1.0.0"}  # versions always count
    assert [i.key for i in items if isinstance(i, Incident)] == [repo.git("rev-parse", "v1.0.0^{commit}")]


async def test_a_merge_commit_is_not_a_change_of_its_own_but_ships_its_branch(root: Path) -> None:
    repo = Repo(root / "merges")
    repo.commit("Start", "2026-06-01T08:00:00+00:00")
    repo.git("checkout", "-q", "-b", "feature")
    feature = repo.commit("Feature work", "2026-06-01T09:00:00+00:00")
    repo.git("checkout", "-q", "main")
    repo.commit("Main work", "2026-06-01T10:00:00+00:00")
    repo.git("merge", "-q", "--no-ff", "-m", "Merge feature", "feature", when="2026-06-01T11:00:00+00:00")
    repo.tag("v1.0", "2026-06-01T12:00:00+00:00")

    items = records(await read(source(repo, root)))

    assert sorted(c.title for c in items if isinstance(c, Change)) == ["Feature work", "Main work", "Start"]
    assert DeployedCommit("tag:v1.0", feature) in items


async def test_an_empty_repository_yields_an_empty_snapshot(root: Path) -> None:
    repo = Repo(root / "empty")
    pages = await read(source(repo, root))
    assert [page.items for page in pages] == [()]


async def test_a_directory_that_is_not_a_repository_is_rejected_even_inside_one(root: Path, tmp_path: Path) -> None:
    outer = Repo(tmp_path / "outer")
    outer.commit("secret", "2026-06-01T10:00:00+00:00")
    (outer.path / "repos" / "plain").mkdir(parents=True)

    with pytest.raises(SourceRejected, match="not a readable git repository"):
        await read(GitRepository(str(outer.path / "repos" / "plain"), roots=[str(outer.path / "repos")],
                                 options=SourceOptions()))


async def test_a_path_swapped_for_a_symlink_out_of_the_roots_is_rejected_at_read_time(root: Path, tmp_path: Path) -> None:
    outside = Repo(tmp_path / "outside")
    outside.commit("secret", "2026-06-01T10:00:00+00:00")
    root.mkdir()
    (root / "app").symlink_to(outside.path)

    with pytest.raises(SourceRejected, match="repository path is not under the allowed git roots") as error:
        await read(GitRepository(str(root / "app"), roots=[str(root)], options=SourceOptions()))
    assert str(tmp_path) not in str(error.value)


async def test_a_git_file_pointing_out_of_the_roots_is_rejected(root: Path, tmp_path: Path) -> None:
    outside = Repo(tmp_path / "outside")
    outside.commit("secret", "2026-06-01T10:00:00+00:00")
    (root / "app").mkdir(parents=True)
    (root / "app" / ".git").write_text(f"gitdir: {outside.path / '.git'}\n")

    with pytest.raises(SourceRejected, match="git directory is not under the allowed git roots"):
        await read(GitRepository(str(root / "app"), roots=[str(root)], options=SourceOptions()))


async def test_a_history_larger_than_the_cap_is_rejected(repo: Repo, root: Path) -> None:
    with pytest.raises(SourceRejected, match="too large"):
        await read(GitRepository(str(repo.path), roots=[str(root)], options=SourceOptions(), max_output_bytes=100))


async def test_a_git_that_does_not_finish_in_time_is_unavailable(repo: Repo, root: Path) -> None:
    from application.delivery.ports import SourceUnavailable

    with pytest.raises(SourceUnavailable, match="did not finish within"):
        await read(GitRepository(str(repo.path), roots=[str(root)], options=SourceOptions(), timeout=0.000001))
