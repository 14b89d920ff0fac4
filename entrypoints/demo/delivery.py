"""Demo data for delivery: a local git repository with six months of history (commits on weekdays, release tags
twice a week or so, a few reverts and a hotfix), registered as a git source and synced, so the metrics show real
numbers offline. Built with the git CLI at fixed times of day, the same for a given day."""

import asyncio
import os
import subprocess
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from domain.delivery.sync import SyncTrigger
from domain.identity.account import Account
from entrypoints.container import Container

REPOSITORY = "demo-app"
WEEKS = 26
FEATURES = ("search", "login", "billing", "export", "dark mode", "onboarding", "alerts", "reports", "API keys", "audit")
REVERTED_WEEKS = (3, 8, 13, 17, 22)  # the Tuesday release of these weeks is followed by a revert
HOTFIX_WEEK = 19


def build_repository(path: Path, today: date) -> None:
    """The demo history ending before `today`: weekdays with two or three commits; tags on Tuesdays and Fridays
    (and every day in the last two weeks); reverts a few hours after some releases."""
    path.mkdir(parents=True)
    _git(path, "init", "-q", "-b", "main")
    first = today - timedelta(weeks=WEEKS, days=today.weekday())
    version = 0
    for week in range(WEEKS):
        for weekday in range(5):
            day = first + timedelta(weeks=week, days=weekday)
            if day >= today:
                return
            for n in range(2 + (week + weekday) % 2):
                feature = FEATURES[(week * 5 + weekday + n) % len(FEATURES)]
                verb = ("Add", "Improve", "Fix")[(week + n) % 3]
                _commit(path, f"{verb} {feature}", day, time(9 + 2 * n, 15))
            if weekday in (1, 4) or week >= WEEKS - 2:
                version += 1
                _git(path, "tag", "-a", f"v1.{version}.0", "-m", f"Release 1.{version}.0",
                     when=_at(day, time(16, 0)))
                if weekday == 1 and week in REVERTED_WEEKS:
                    _commit(path, f'Revert "Improve {FEATURES[week % len(FEATURES)]}"', day, time(18, 30))
                if weekday == 1 and week == HOTFIX_WEEK:
                    _commit(path, "hotfix: null pointer in checkout", day, time(20, 0))


async def seed_delivery(container: Container, account: Account) -> None:
    """Build the demo repository under the first git root (once), add it as a source (once), and sync it."""
    today = container.infrastructure.clock().now().astimezone(UTC).date()
    path = Path(container.delivery.git_roots()[0]) / REPOSITORY
    if not (path / ".git").exists():
        await asyncio.to_thread(build_repository, path, today)
    real = os.path.realpath(path)
    sources = await container.delivery.list_sources()(account.id, limit=200)
    source = next((s for s in sources.items if s.target == real), None)
    if source is None:
        source = await container.delivery.create_source()(account.id, kind="git", path=str(path))
    await container.delivery.queue_due_syncs()(trigger=SyncTrigger.COMMAND, source_id=source.id, every=timedelta(0))
    await container.delivery.run_syncs()()


def _at(day: date, at: time) -> str:
    return datetime.combine(day, at, UTC).isoformat()


def _commit(path: Path, subject: str, day: date, at: time) -> None:
    _git(path, "commit", "-q", "--allow-empty", "-m", subject, when=_at(day, at))


def _git(path: Path, *args: str, when: str = "2026-01-01T00:00:00+00:00") -> None:
    environment = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(path), "GIT_CONFIG_GLOBAL": os.devnull,
                   "GIT_CONFIG_NOSYSTEM": "1", "GIT_AUTHOR_NAME": "Demo", "GIT_AUTHOR_EMAIL": "demo@example.com",
                   "GIT_COMMITTER_NAME": "Demo", "GIT_COMMITTER_EMAIL": "demo@example.com",
                   "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    subprocess.run(["git", "-C", str(path), *args], env=environment, check=True, capture_output=True, timeout=30)
