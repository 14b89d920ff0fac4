"""GitHub as a delivery source (REST, plain httpx): deployments and their statuses, workflow runs, releases,
merged pull requests with their first commit, and the commits between two deployments.

Lists GitHub serves newest first are read from the top down to the newest item of the last completed run (the
cursor), minus a settling margin for records that change after they are created; the cursor is only handed
out with the last page of a run. The first page is asked for with its last ETag, so an unchanged list costs a
304 (which GitHub does not count against the rate limit). A first run reads at most `max_pages` pages per list.
"""

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta
from typing import Any, final
from urllib.parse import quote

from adapters.delivery.http import ProviderClient, Sleep, dig, json_body, parse_time
from application.delivery.ports import Page, ResourceState, SourceControl, SourceReader
from application.shared.clock import Clock
from domain.delivery.records import Change, Deployment, DeploymentResult, Record, clip
from domain.delivery.source import SourceOptions, check_repository, is_version_tag

API = "https://api.github.com"
PER_PAGE = "100"
RANGE_MAX = 5000
SETTLE = timedelta(days=1)
_FAILED = frozenset({"failure", "error"})
_RUN_FAILED = frozenset({"failure", "cancelled", "timed_out", "startup_failure", "action_required", "stale"})

Item = dict[str, Any]


@final
class GitHubSource(SourceControl):
    """One repository, read with one token; a fresh HTTP session per reader run."""

    def __init__(
        self, repository: str, token: str, options: SourceOptions, *, base_url: str = API, timeout: float = 30.0,
        max_wait: float = 300.0, max_pages: int = 10, clock: Clock | None = None, sleep: Sleep | None = None,
    ) -> None:
        self._repo = check_repository(repository)
        self._rules = options.rules()
        self._max_pages = max_pages
        headers = {
            "Authorization": f"Bearer {token}", "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": "2022-11-28", "User-Agent": "Atrium-Delivery",
        }
        not_found = f"GitHub has no repository {self._repo}, or the token cannot see it (404)"
        extra = {} if sleep is None else {"sleep": sleep}

        def client() -> ProviderClient:
            return ProviderClient(provider="GitHub", base_url=base_url, headers=headers, timeout=timeout,
                                  max_wait=max_wait, clock=clock, not_found=not_found, **extra)

        self.client = client

    def __repr__(self) -> str:
        return f"GitHubSource({self._repo!r})"

    def readers(self) -> tuple[SourceReader, ...]:
        return (
            # no ETag for deployments: a status that arrives later does not change the list, only the statuses
            _Reader(self, "github.deployments", "/deployments", {}, "created_at", SETTLE, self._deployment,
                    conditional=False),
            _Reader(self, "github.workflow_runs", "/actions/runs", {"status": "completed"}, "created_at", SETTLE,
                    self._run, lambda body: body.get("workflow_runs") if isinstance(body, dict) else None),
            _Reader(self, "github.releases", "/releases", {}, "created_at", SETTLE, self._release),
            _Reader(self, "github.pull_requests", "/pulls", {"state": "closed", "sort": "updated", "direction": "desc"},
                    "updated_at", timedelta(), self._pull_request),
        )

    async def commits_between(self, base: str | None, head: str) -> tuple[str, ...]:
        if base is None:
            return ()
        shas: list[str] = []
        url: str | None = f"/repos/{self._repo}/compare/{quote(base, safe='')}...{quote(head, safe='')}"
        params: dict[str, str] | None = {"per_page": PER_PAGE}
        async with self.client() as client:
            while url is not None and len(shas) < RANGE_MAX:
                response = await client.request("GET", url, params=params, ok=(200, 404))
                if response is None or response.status_code == 404:
                    return ()  # a commit GitHub no longer knows (force-pushed away): no range
                body = json_body(response, "GitHub")
                commits = body.get("commits") if isinstance(body, dict) else None
                if not isinstance(commits, list):
                    break
                shas.extend(c["sha"] for c in commits if isinstance(c, dict) and isinstance(c.get("sha"), str))
                url, params = response.links.get("next", {}).get("url"), None
        return tuple(shas[:RANGE_MAX])

    async def _deployment(self, client: ProviderClient, item: Item) -> Deployment | None:
        environment, sha, ident = item.get("environment"), item.get("sha"), item.get("id")
        if not isinstance(environment, str) or not isinstance(sha, str) or not isinstance(ident, int):
            return None
        response = await client.request("GET", f"/repos/{self._repo}/deployments/{ident}/statuses",
                                        params={"per_page": PER_PAGE})
        statuses = _list(json_body(response, "GitHub")) if response is not None else []
        result, finished = DeploymentResult.IN_PROGRESS, None
        successes = [t for s in statuses if s.get("state") == "success" and (t := parse_time(s.get("created_at")))]
        if successes:
            result, finished = DeploymentResult.SUCCESS, min(successes)
        elif statuses and statuses[0].get("state") in _FAILED:  # GitHub lists statuses newest first
            result, finished = DeploymentResult.FAILURE, parse_time(statuses[0].get("created_at"))
        name = clip(str(item.get("description") or item.get("task") or "deploy"))
        return Deployment(f"deployment:{ident}", name, clip(environment), self._rules.is_production(environment),
                          result, sha, finished)

    async def _run(self, client: ProviderClient, item: Item) -> Deployment | None:
        name, sha, ident = item.get("name"), item.get("head_sha"), item.get("id")
        if not isinstance(name, str) or not isinstance(sha, str) or not isinstance(ident, int):
            return None
        if not self._rules.is_deployment(name):
            return None
        conclusion = item.get("conclusion")
        result = (DeploymentResult.SUCCESS if conclusion == "success" else DeploymentResult.FAILURE
                  if conclusion in _RUN_FAILED else DeploymentResult.IN_PROGRESS)
        return Deployment(f"run:{ident}", clip(name), None, self._rules.is_production(name), result, sha,
                          parse_time(item.get("updated_at")))

    async def _release(self, client: ProviderClient, item: Item) -> Deployment | None:
        tag, name, ident = item.get("tag_name"), item.get("name"), item.get("id")
        published = parse_time(item.get("published_at"))
        if item.get("draft") or not isinstance(tag, str) or not isinstance(ident, int) or published is None:
            return None
        title = name if isinstance(name, str) else None
        if not (self._rules.is_deployment(title, tag) or is_version_tag(tag)):
            return None
        response = await client.request("GET", f"/repos/{self._repo}/commits/{quote(tag, safe='')}",
                                        accept="application/vnd.github.sha", ok=(200, 404, 422))
        sha = response.text.strip() if response is not None and response.status_code == 200 else ""
        if not sha or len(sha) > 64:
            return None
        return Deployment(f"release:{ident}", clip(title or tag), None, not item.get("prerelease"),
                          DeploymentResult.SUCCESS, sha, published)

    async def _pull_request(self, client: ProviderClient, item: Item) -> Change | None:
        number, merged, sha = item.get("number"), parse_time(item.get("merged_at")), item.get("merge_commit_sha")
        if not isinstance(number, int) or merged is None or not isinstance(sha, str):
            return None
        response = await client.request("GET", f"/repos/{self._repo}/pulls/{number}/commits",
                                        params={"per_page": PER_PAGE})
        commits = _list(json_body(response, "GitHub")) if response is not None else []
        authored = [t for c in commits if (t := parse_time(dig(c, "commit", "author", "date")))]
        first = min(authored, default=None) or parse_time(item.get("created_at")) or merged
        return Change(f"pr:{number}", clip(f"#{number} {item.get('title') or ''}"), first, merged, sha)

    async def newest_first(
        self, client: ProviderClient, path: str, params: dict[str, str], state: ResourceState, field: str,
        settle: timedelta, items_of: Callable[[Any], Any],
    ) -> AsyncIterator[tuple[list[Item], ResourceState | None]]:
        """Pages of a newest-first list down to the saved mark; only the last one carries the new state."""
        mark = parse_time(state.cursor)
        stop = None if mark is None else mark - settle
        url: str | None = f"/repos/{self._repo}{path}"
        query: dict[str, str] | None = {**params, "per_page": PER_PAGE}
        etag, newest = None, mark
        for number in range(self._max_pages):
            if url is None:
                return
            response = await client.request("GET", url, params=query, etag=state.etag if number == 0 else None)
            if response is None:
                return  # 304: nothing changed since the saved state
            if number == 0:
                etag = response.headers.get("etag")
            items = _list(items_of(json_body(response, "GitHub")))
            times = [t for item in items if (t := parse_time(item.get(field)))]
            newest = max([*times, *([newest] if newest else [])], default=None)
            fresh = [item for item in items if stop is None or (parse_time(item.get(field)) or stop) >= stop]
            url, query = response.links.get("next", {}).get("url"), None
            last = url is None or len(fresh) < len(items) or number + 1 == self._max_pages
            if last:
                yield fresh, ResourceState(cursor=newest.isoformat() if newest else state.cursor, etag=etag)
                return
            yield fresh, None


Convert = Callable[[ProviderClient, Item], Awaitable[Record | None]]


@final
class _Reader(SourceReader):
    """A SourceReader over one of the repository's newest-first lists, each item converted to a record (or none)."""

    snapshot = False

    def __init__(
        self, source: GitHubSource, resource: str, path: str, params: dict[str, str], field: str, settle: timedelta,
        convert: Convert, items_of: Callable[[Any], Any] = lambda body: body, *, conditional: bool = True,
    ) -> None:
        self._resource, self._source, self._path, self._params = resource, source, path, params
        self._field, self._settle, self._convert, self._items_of = field, settle, convert, items_of
        self._conditional = conditional

    @property
    def resource(self) -> str:
        return self._resource

    async def pages(self, state: ResourceState) -> AsyncIterator[Page]:
        async with self._source.client() as client:
            saved = state if self._conditional else ResourceState(cursor=state.cursor)
            async for items, next_state in self._source.newest_first(
                client, self._path, self._params, saved, self._field, self._settle, self._items_of,
            ):
                records = [record for item in items if (record := await self._convert(client, item)) is not None]
                yield Page(tuple(records), next_state)


def _list(value: Any) -> list[Item]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []
