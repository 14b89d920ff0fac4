"""Helpers for delivery API tests: git repositories built with chosen dates, sources, syncs run in-process."""

import os
import subprocess
from pathlib import Path

import pytest
from dependency_injector import providers

SOURCES = "/api/v1/delivery/sources"
METRICS = "/api/v1/delivery/metrics"


class Repo:
    """A git repository in a folder, with commits and tags at chosen instants (git CLI, no global config)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.mkdir(parents=True)
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str, when: str = "2026-06-01T12:00:00+00:00") -> str:
        env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when, "GIT_AUTHOR_NAME": "Ada",
               "GIT_AUTHOR_EMAIL": "ada@example.org", "GIT_COMMITTER_NAME": "Ada",
               "GIT_COMMITTER_EMAIL": "ada@example.org", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
        done = subprocess.run(["git", "-C", str(self.path), *args], env=env, check=True, capture_output=True, text=True)
        return done.stdout.strip()

    def commit(self, subject: str, when: str) -> str:
        self.git("commit", "-q", "--allow-empty", "-m", subject, when=when)
        return self.git("rev-parse", "HEAD")

    def tag(self, name: str, when: str) -> None:
        self.git("tag", "-a", name, "-m", name, when=when)


@pytest.fixture
def roots(tmp_path: Path) -> Path:
    return tmp_path / "repos"


@pytest.fixture
def container(container, roots):
    """The shared container, reading git sources under tmp_path/repos."""
    container.delivery.git_roots.override(providers.Object((str(roots),)))
    yield container
    container.delivery.git_roots.reset_override()


def devlake_repo(path: Path) -> Repo:
    """DevLake's example as a git history: five tagged deployments three days apart; reverts after v2 and after v4
    (twice) are incidents, so two deployments of five failed (40 %). Each incident is resolved by the next tag."""
    repo = Repo(path)
    for n in range(1, 6):
        day = 3 * n
        repo.commit(f"Feature {n}", f"2026-06-{day - 1:02}T09:00:00+00:00")
        if n in (3, 5):
            repo.commit(f'Revert "Feature {n - 1}"', f"2026-06-{day - 1:02}T15:00:00+00:00")
        if n == 5:
            repo.commit("hotfix: again", f"2026-06-{day - 1:02}T16:00:00+00:00")
        repo.tag(f"v1.{n}.0", f"2026-06-{day:02}T12:00:00+00:00")
    return repo


async def add_git_source(api, headers: dict[str, str], path: Path, **options) -> dict:
    response = await api.post(SOURCES, json={"kind": "git", "path": str(path), **options}, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


async def synced(api, container, headers: dict[str, str], source: dict) -> dict:
    """Ask for a sync, run the queued syncs as the scheduler would, and return the sync as the API shows it."""
    queued = await api.post(f"{SOURCES}/{source['id']}/syncs", headers=headers)
    assert queued.status_code == 202, queued.text
    assert queued.json()["status"] == "queued"
    await container.delivery.run_syncs()()
    response = await api.get(f"/api/v1/delivery/syncs/{queued.json()['id']}", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()
