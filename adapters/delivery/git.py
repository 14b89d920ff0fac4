"""A local git repository as a delivery source, read with the `git` CLI.

Tags named like a deployment (the source's patterns) or a version (`v1.2.3`) are production deployments at the
tag's time (tagger date, else the commit's). Every non-merge commit on a branch or tag is a change whose lead
time runs from its author date to the first deployment (by finish time) whose tag reaches it. Commits whose
subject matches `incident_pattern` are incidents created at their author date and resolved when that first
deployment finished.

Git runs as `git -C <real path>` in a subprocess with fixed arguments (no shell), a minimal environment that
stops discovery at the repository's parent, a timeout and a cap on what it may print; parsing runs in a thread.
"""

import asyncio
import hashlib
import os
from collections.abc import AsyncIterator, Sequence
from datetime import datetime
from typing import final

from application.delivery.ports import (
    Page, RecordSource, ResourceState, SourceReader, SourceRejected, SourceUnavailable,
)
from domain.delivery.records import Change, DeployedCommit, Deployment, DeploymentResult, Incident, Record, clip, utc
from domain.delivery.source import Rules, SourceOptions, check_git_path, is_version_tag
from domain.shared.errors import InvalidValue

PAGE_SIZE = 1000
TAG_NAME_MAX = 200
_TAG_FORMAT = "%1f".join((
    "%(refname:strip=2)", "%(objecttype)", "%(objectname)", "%(*objecttype)", "%(*objectname)",
    "%(taggerdate:iso-strict)", "%(*committerdate:iso-strict)", "%(committerdate:iso-strict)",
))
_LOG_FORMAT = "%H%x1f%P%x1f%aI%x1f%cI%x1f%s"


@final
class GitRepository(RecordSource, SourceReader):
    """The `git.history` resource of one repository: a snapshot, re-read only when a branch or tag moved."""

    resource = "git.history"
    snapshot = True

    def __init__(
        self, path: str, *, roots: Sequence[str], options: SourceOptions, timeout: float = 60.0,
        max_commits: int = 100_000, max_tags: int = 10_000, max_output_bytes: int = 64 * 1024 * 1024,
    ) -> None:
        self._path, self._roots, self._rules = path, tuple(roots), options.rules()
        self._timeout, self._max_commits, self._max_tags = timeout, max_commits, max_tags
        self._max_bytes = max_output_bytes

    def readers(self) -> tuple["GitRepository", ...]:
        return (self,)

    async def pages(self, state: ResourceState) -> AsyncIterator[Page]:
        real = self._checked_path()
        git_dir = (await self._git(real, "rev-parse", "--absolute-git-dir")).decode(errors="replace").strip()
        self._confined(git_dir)
        refs = await self._git(real, "for-each-ref", "--format=%(objectname) %(refname)", "refs/heads", "refs/tags")
        fingerprint = hashlib.sha256(refs).hexdigest()
        if fingerprint == state.cursor:
            return
        tags = await self._git(real, "for-each-ref", f"--format={_TAG_FORMAT}", "refs/tags")
        log = await self._git(
            real, "log", "--branches", "--tags", "-z", f"--max-count={self._max_commits}", f"--format={_LOG_FORMAT}",
        )
        records = await asyncio.to_thread(_history, tags, log, self._rules, self._max_tags)
        for start in range(0, len(records), PAGE_SIZE):
            last = start + PAGE_SIZE >= len(records)
            yield Page(records[start:start + PAGE_SIZE], ResourceState(cursor=fingerprint) if last else None)
        if not records:
            yield Page((), ResourceState(cursor=fingerprint))

    def _checked_path(self) -> str:
        """The real path, checked again at every read: a symlink may have been swapped since the source was added."""
        try:
            return check_git_path(self._path, self._roots)
        except InvalidValue:
            raise SourceRejected("the repository path is not under the allowed git roots") from None

    def _confined(self, git_dir: str) -> None:
        try:
            check_git_path(git_dir, self._roots)
        except InvalidValue:
            raise SourceRejected("the repository's git directory is not under the allowed git roots") from None

    async def _git(self, real: str, *args: str) -> bytes:
        environment = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C",
            "GIT_CEILING_DIRECTORIES": os.path.dirname(real), "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_CONFIG_GLOBAL": os.devnull, "GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0",
            "GIT_NO_REPLACE_OBJECTS": "1",
        }
        try:
            process = await asyncio.create_subprocess_exec(
                "git", "--no-pager", "-C", real, "-c", f"safe.directory={real}", "-c", "core.fsmonitor=false",
                "-c", "i18n.logOutputEncoding=UTF-8", *args,
                stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
                env=environment,
            )
        except OSError:
            raise SourceUnavailable("git could not be started on this server") from None
        try:
            async with asyncio.timeout(self._timeout):
                output, _ = await asyncio.gather(_read(process.stdout, self._max_bytes), _drain(process.stderr))
                code = await process.wait()
        except TimeoutError:
            _kill(process)
            await process.wait()
            raise SourceUnavailable(f"git did not finish within {self._timeout:g} s") from None
        except _TooLarge:
            _kill(process)
            await process.wait()
            raise SourceRejected("the repository's history is too large to read") from None
        if code != 0:
            raise SourceRejected("the path is not a readable git repository")
        return output


class _TooLarge(Exception):
    pass


async def _read(stream: asyncio.StreamReader | None, limit: int) -> bytes:
    """Everything the stream carries, raising _TooLarge past `limit` bytes."""
    chunks, size = [], 0
    while stream is not None and (chunk := await stream.read(65536)):
        size += len(chunk)
        if size > limit:
            raise _TooLarge
        chunks.append(chunk)
    return b"".join(chunks)


async def _drain(stream: asyncio.StreamReader | None) -> None:
    """Read and drop (git's messages may name server paths; they are never shown)."""
    while stream is not None and await stream.read(65536):
        pass


def _kill(process: asyncio.subprocess.Process) -> None:
    if process.returncode is None:
        process.kill()


def _history(tags: bytes, log: bytes, rules: Rules, max_tags: int) -> tuple[Record, ...]:
    """Parse the tags and the log, then give every commit to the first deployment (by finish time) that reaches it."""
    deployments = _deployments(tags.decode(errors="replace"), rules)[:max_tags]
    commits: dict[str, tuple[tuple[str, ...], datetime, datetime, str]] = {}
    for entry in log.decode(errors="replace").split("\0"):
        fields = entry.strip("\n").split("\x1f", 4)
        times = [_time(text) for text in fields[2:4]] if len(fields) == 5 else []
        if len(times) == 2 and times[0] is not None and times[1] is not None:
            commits[fields[0]] = (tuple(fields[1].split()), times[0], times[1], fields[4])
    first: dict[str, Deployment] = {}
    for deployment in sorted(deployments, key=lambda d: (d.finished_at, d.key)):
        stack = [deployment.commit]
        while stack:
            sha = stack.pop()
            if sha in first or sha not in commits:
                continue
            first[sha] = deployment
            stack.extend(commits[sha][0])
    records: list[Record] = list(deployments)
    for sha, (parents, authored, committed, subject) in commits.items():
        shipped = first.get(sha)
        if shipped is not None:
            records.append(DeployedCommit(shipped.key, sha))
        if len(parents) < 2:
            records.append(Change(sha, clip(subject), authored, committed, sha))
        if rules.is_incident_subject(subject):
            records.append(Incident(sha, clip(subject), authored, None if shipped is None else shipped.finished_at))
    return tuple(records)


def _deployments(tags: str, rules: Rules) -> list[Deployment]:
    found = []
    for line in tags.splitlines():
        fields = line.split("\x1f")
        if len(fields) != 8:
            continue
        name, kind, sha, peeled_kind, peeled, tagged, peeled_committed, committed = fields
        if kind == "tag":
            if peeled_kind != "commit":
                continue
            sha, when = peeled, tagged or peeled_committed
        elif kind == "commit":
            when = committed
        else:
            continue
        finished_at = _time(when)
        if finished_at and len(name) <= TAG_NAME_MAX and (rules.is_deployment(name) or is_version_tag(name)):
            found.append(Deployment(f"tag:{name}", name, None, True, DeploymentResult.SUCCESS, sha, finished_at))
    return found


def _time(text: str) -> datetime | None:
    try:
        return utc(datetime.fromisoformat(text))
    except ValueError:
        return None
