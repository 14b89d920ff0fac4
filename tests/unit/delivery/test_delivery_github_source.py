"""The GitHub source against a fake GitHub on 127.0.0.1 speaking its REST protocol: Link pages, ETags and 304,
primary and secondary rate limits, Retry-After, malformed JSON, failures mid-pagination, bad tokens."""

import hashlib
import json
import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from adapters.clock import SettableClock
from adapters.delivery.github import GitHubSource
from application.delivery.ports import Page, ResourceState, SourceRejected, SourceReader, SourceUnavailable
from domain.delivery.records import Change, Deployment, DeploymentResult
from domain.delivery.source import SourceOptions

from tests.unit.delivery.support import Answer, FakeServer, RecordingSleep, Request

TOKEN = "ghp_SECRETtoken1234567890"
REPO = "octo/app"
NOW = datetime(2026, 6, 10, 12, tzinfo=UTC)


def iso(day: int, hour: int = 12) -> str:
    return datetime(2026, 6, day, hour, tzinfo=UTC).isoformat().replace("+00:00", "Z")


class FakeGitHub:
    """Serves a repository's lists newest first, `per_page` at a time, with Link headers and ETags."""

    def __init__(self, server: FakeServer) -> None:
        self.server = server
        self.deployments: list[dict[str, Any]] = []
        self.statuses: dict[int, list[dict[str, Any]]] = {}
        self.runs: list[dict[str, Any]] = []
        self.releases: list[dict[str, Any]] = []
        self.tags: dict[str, str] = {}
        self.pulls: list[dict[str, Any]] = []
        self.pull_commits: dict[int, list[dict[str, Any]]] = {}
        self.compare: dict[str, list[str]] = {}
        self.scripts: list[Callable[[Request], Answer | None]] = []
        server.handler = self.handle

    def handle(self, request: Request) -> Answer:
        for script in self.scripts:
            answer = script(request)
            if answer is not None:
                return answer
        if request.headers.get("authorization") != f"Bearer {TOKEN}":
            return Answer(401, {"message": "Bad credentials"})
        base = f"/repos/{REPO}"
        path = request.path
        if not path.startswith(base):
            return Answer(404, {"message": "Not Found"})
        path = path[len(base):]
        if path == "/deployments":
            return self.page(request, self.deployments)
        if path.startswith("/deployments/") and path.endswith("/statuses"):
            return Answer(200, self.statuses.get(int(path.split("/")[2]), []))
        if path == "/actions/runs":
            return self.page(request, self.runs, wrap="workflow_runs")
        if path == "/releases":
            return self.page(request, self.releases)
        if path.startswith("/commits/"):
            tag = path.removeprefix("/commits/")
            if request.headers.get("accept") != "application/vnd.github.sha" or tag not in self.tags:
                return Answer(422, {"message": "No commit found"})
            return Answer(200, raw=self.tags[tag].encode())
        if path == "/pulls":
            return self.page(request, self.pulls)
        if path.startswith("/pulls/") and path.endswith("/commits"):
            return Answer(200, self.pull_commits.get(int(path.split("/")[2]), []))
        if path.startswith("/compare/"):
            shas = self.compare.get(path.removeprefix("/compare/"))
            if shas is None:
                return Answer(404, {"message": "Not Found"})
            return self.page(request, [{"sha": sha} for sha in shas], wrap="commits")
        return Answer(404, {"message": "Not Found"})

    def page(self, request: Request, items: list[dict[str, Any]], wrap: str | None = None) -> Answer:
        per_page, number = int(request.query.get("per_page", "30")), int(request.query.get("page", "1"))
        chunk = items[(number - 1) * per_page: number * per_page]
        body: Any = {"total_count": len(items), wrap: chunk} if wrap else chunk
        etag = '"' + hashlib.sha1(json.dumps(body).encode()).hexdigest() + '"'
        headers = {"ETag": etag}
        if number * per_page < len(items):
            query = "&".join(f"{k}={v}" for k, v in {**request.query, "page": str(number + 1)}.items())
            headers["Link"] = f'<{self.server.url}{request.path}?{query}>; rel="next", <{self.server.url}>; rel="last"'
        if request.headers.get("if-none-match") == etag:
            return Answer(304, headers=headers)
        return Answer(200, body, headers)


@pytest.fixture
def github(server: FakeServer) -> FakeGitHub:
    return FakeGitHub(server)


def source_for(server: FakeServer, sleep: RecordingSleep, *, token: str = TOKEN, max_wait: float = 300.0,
               timeout: float = 5.0, **options: Any) -> GitHubSource:
    return GitHubSource(REPO, token, SourceOptions.create(**options), base_url=server.url, timeout=timeout,
                        max_wait=max_wait, clock=SettableClock(NOW), sleep=sleep)


def reader(source: GitHubSource, resource: str) -> SourceReader:
    [found] = [r for r in source.readers() if r.resource == resource]
    return found


async def read(source: GitHubSource, resource: str, state: ResourceState | None = None) -> list[Page]:
    return [page async for page in reader(source, resource).pages(state or ResourceState())]


def add_deployments(github: FakeGitHub, count: int) -> None:
    for n in range(count, 0, -1):  # newest first
        github.deployments.append({"id": n, "sha": f"sha{n}", "environment": "production" if n % 2 else "staging",
                                   "task": "deploy", "created_at": iso(1 + n % 9)})
        github.statuses[n] = [{"state": "inactive", "created_at": iso(9)},
                              {"state": "success", "created_at": iso(1 + n % 9, 13)},
                              {"state": "in_progress", "created_at": iso(1 + n % 9, 12)}]


async def test_deployments_are_read_across_link_pages_with_their_statuses(github: FakeGitHub, server: FakeServer,
                                                                          sleep: RecordingSleep) -> None:
    add_deployments(github, 150)
    github.statuses[150] = [{"state": "failure", "created_at": iso(2, 14)}, {"state": "pending", "created_at": iso(2)}]
    github.statuses[149] = [{"state": "queued", "created_at": iso(2)}]

    pages = await read(source_for(server, sleep), "github.deployments")

    assert [len(page.items) for page in pages] == [100, 50]
    assert pages[0].state is None and pages[1].state is not None
    records = {d.key: d for page in pages for d in page.items if isinstance(d, Deployment)}
    assert len(records) == 150
    assert records["deployment:1"].result is DeploymentResult.SUCCESS
    assert records["deployment:1"].finished_at == datetime(2026, 6, 2, 13, tzinfo=UTC)  # first success, not "inactive"
    assert (records["deployment:1"].production, records["deployment:2"].production) == (True, False)
    assert records["deployment:150"].result is DeploymentResult.FAILURE
    assert records["deployment:149"].result is DeploymentResult.IN_PROGRESS
    assert records["deployment:149"].finished_at is None
    assert all(r.headers["authorization"] == f"Bearer {TOKEN}" for r in server.requests)


async def test_an_unchanged_list_costs_one_304_and_yields_nothing(github: FakeGitHub, server: FakeServer,
                                                                  sleep: RecordingSleep) -> None:
    github.releases = [{"id": 1, "tag_name": "v1.0.0", "name": "One", "draft": False, "prerelease": False,
                        "created_at": iso(1), "published_at": iso(1)}]
    github.tags = {"v1.0.0": "abc1"}
    source = source_for(server, sleep)
    state = (await read(source, "github.releases"))[-1].state
    assert state is not None and state.etag and state.cursor
    server.requests.clear()

    assert await read(source, "github.releases", state) == []
    [request] = server.requests
    assert request.headers["if-none-match"] == state.etag


async def test_a_deployment_status_that_arrives_later_is_read_on_the_next_run(github: FakeGitHub, server: FakeServer,
                                                                              sleep: RecordingSleep) -> None:
    github.deployments = [{"id": 7, "sha": "s7", "environment": "production", "task": "deploy", "created_at": iso(9)}]
    github.statuses[7] = [{"state": "in_progress", "created_at": iso(9)}]
    source = source_for(server, sleep)
    state = (await read(source, "github.deployments"))[-1].state
    github.statuses[7].insert(0, {"state": "success", "created_at": iso(9, 14)})

    [page] = await read(source, "github.deployments", state)

    [deployment] = page.items
    assert isinstance(deployment, Deployment) and deployment.result is DeploymentResult.SUCCESS
    assert "if-none-match" not in server.requests[-2].headers


async def test_a_later_run_reads_down_to_the_saved_mark_only(github: FakeGitHub, server: FakeServer,
                                                            sleep: RecordingSleep) -> None:
    for n in range(250, 0, -1):
        github.pulls.append({"number": n, "title": f"PR {n}", "updated_at": iso(1) if n < 200 else iso(5),
                             "merged_at": None, "merge_commit_sha": f"m{n}", "created_at": iso(1)})
    source = source_for(server, sleep)
    state = (await read(source, "github.pull_requests"))[-1].state
    assert state is not None and state.cursor == "2026-06-05T12:00:00+00:00"
    github.pulls.insert(0, {"number": 251, "title": "New", "updated_at": iso(7), "merged_at": iso(7),
                            "merge_commit_sha": "m251", "created_at": iso(6)})
    github.pull_commits[251] = [{"commit": {"author": {"date": iso(6, 9)}}}, {"commit": {"author": {"date": iso(6, 8)}}}]
    server.requests.clear()

    pages = await read(source, "github.pull_requests", state)

    [change] = [c for page in pages for c in page.items if isinstance(c, Change)]
    assert (change.key, change.merge_commit) == ("pr:251", "m251")
    assert change.first_commit_at == datetime(2026, 6, 6, 8, tzinfo=UTC)
    assert len([r for r in server.requests if r.path.endswith("/pulls")]) == 1  # stopped at the mark on page one
    assert pages[-1].state == ResourceState(cursor="2026-06-07T12:00:00+00:00", etag=pages[-1].state.etag)


async def test_a_first_run_reads_at_most_max_pages(github: FakeGitHub, server: FakeServer,
                                                   sleep: RecordingSleep) -> None:
    add_deployments(github, 150)
    source = GitHubSource(REPO, TOKEN, SourceOptions(), base_url=server.url, max_pages=1, sleep=sleep)

    pages = [p async for p in reader(source, "github.deployments").pages(ResourceState())]

    assert len(pages) == 1 and len(pages[0].items) == 100 and pages[0].state is not None
    assert pages[0].state.cursor is not None  # older history is left unread (partial history), by design


async def test_workflow_runs_that_match_the_patterns_are_deployments(github: FakeGitHub, server: FakeServer,
                                                                     sleep: RecordingSleep) -> None:
    github.runs = [
        {"id": 3, "name": "Deploy to production", "head_sha": "c3", "conclusion": "success", "created_at": iso(3),
         "updated_at": iso(3, 14)},
        {"id": 2, "name": "Deploy to staging", "head_sha": "c2", "conclusion": "failure", "created_at": iso(2),
         "updated_at": iso(2, 14)},
        {"id": 1, "name": "CI", "head_sha": "c1", "conclusion": "success", "created_at": iso(1), "updated_at": iso(1)},
    ]

    [page] = await read(source_for(server, sleep), "github.workflow_runs")

    assert [(d.key, d.production, d.result, d.commit) for d in page.items if isinstance(d, Deployment)] == [
        ("run:3", True, DeploymentResult.SUCCESS, "c3"), ("run:2", False, DeploymentResult.FAILURE, "c2"),
    ]
    assert server.requests[0].query["status"] == "completed"


async def test_releases_resolve_their_tag_to_a_commit(github: FakeGitHub, server: FakeServer,
                                                      sleep: RecordingSleep) -> None:
    github.tags = {"v2.0.0": "abc2", "v2.1.0-rc1": "abc3", "nightly": "abc4"}
    github.releases = [
        {"id": 5, "tag_name": "v3.0.0", "name": "v3", "draft": True, "prerelease": False, "created_at": iso(6),
         "published_at": None},
        {"id": 4, "tag_name": "nightly", "name": "Nightly build", "draft": False, "prerelease": False,
         "created_at": iso(5), "published_at": iso(5)},
        {"id": 3, "tag_name": "v2.1.0-rc1", "name": "Release candidate", "draft": False, "prerelease": True,
         "created_at": iso(4), "published_at": iso(4)},
        {"id": 2, "tag_name": "v2.0.0", "name": "Two", "draft": False, "prerelease": False, "created_at": iso(3),
         "published_at": iso(3, 15)},
        {"id": 1, "tag_name": "gone", "name": "release gone", "draft": False, "prerelease": False,
         "created_at": iso(2), "published_at": iso(2)},
    ]

    [page] = await read(source_for(server, sleep), "github.releases")

    assert [(d.key, d.production, d.commit, d.finished_at) for d in page.items if isinstance(d, Deployment)] == [
        ("release:3", False, "abc3", datetime(2026, 6, 4, 12, tzinfo=UTC)),
        ("release:2", True, "abc2", datetime(2026, 6, 3, 15, tzinfo=UTC)),
    ]


async def test_the_commits_between_two_deployments_come_from_compare(github: FakeGitHub, server: FakeServer,
                                                                     sleep: RecordingSleep) -> None:
    github.compare["aaa...bbb"] = [f"c{n}" for n in range(130)]
    source = source_for(server, sleep)

    assert await source.commits_between("aaa", "bbb") == tuple(f"c{n}" for n in range(130))
    assert await source.commits_between(None, "bbb") == ()
    assert await source.commits_between("zzz", "bbb") == ()  # unknown to GitHub: no range, not an error


async def test_an_exhausted_rate_limit_is_waited_out_until_its_reset(github: FakeGitHub, server: FakeServer,
                                                                     sleep: RecordingSleep) -> None:
    add_deployments(github, 1)
    limited = [True]

    def rate_limit(request: Request) -> Answer | None:
        if limited and request.path.endswith("/deployments"):
            limited.clear()
            reset = int((NOW + timedelta(seconds=40)).timestamp())
            return Answer(403, {"message": "API rate limit exceeded"},
                          {"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(reset)})
        return None

    github.scripts.append(rate_limit)

    pages = await read(source_for(server, sleep), "github.deployments")

    assert sleep.waits == [41.0] and len(pages[0].items) == 1


async def test_a_reset_beyond_the_wait_budget_fails_the_run_with_the_retry_time(github: FakeGitHub, server: FakeServer,
                                                                               sleep: RecordingSleep) -> None:
    reset = int((NOW + timedelta(hours=1)).timestamp())
    github.scripts.append(lambda r: Answer(403, {"message": "API rate limit exceeded"},
                                           {"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(reset)}))

    with pytest.raises(SourceUnavailable, match="rate limit") as error:
        await read(source_for(server, sleep, max_wait=120), "github.deployments")

    assert error.value.retry_at == NOW + timedelta(seconds=3601)
    assert sleep.waits == []


async def test_429_with_retry_after_waits_as_told(github: FakeGitHub, server: FakeServer,
                                                  sleep: RecordingSleep) -> None:
    answers = [Answer(429, {"message": "slow down"}, {"Retry-After": "7"})]
    github.scripts.append(lambda r: answers.pop() if answers else None)

    pages = await read(source_for(server, sleep), "github.deployments")

    assert sleep.waits == [7.0] and pages[-1].state is not None


async def test_a_secondary_rate_limit_backs_off_at_least_a_minute(github: FakeGitHub, server: FakeServer,
                                                                  sleep: RecordingSleep) -> None:
    answers = [Answer(403, {"message": "You have exceeded a secondary rate limit. Please wait a few minutes."})]
    github.scripts.append(lambda r: answers.pop() if answers else None)

    await read(source_for(server, sleep), "github.releases")

    assert sleep.waits == [60.0]


async def test_waits_never_exceed_the_total_budget(github: FakeGitHub, server: FakeServer,
                                                   sleep: RecordingSleep) -> None:
    github.scripts.append(lambda r: Answer(429, {"message": "slow down"}, {"Retry-After": "50"}))

    with pytest.raises(SourceUnavailable):
        await read(source_for(server, sleep, max_wait=120), "github.deployments")

    assert sum(sleep.waits) <= 120 and sleep.waits == [50.0, 50.0]


async def test_malformed_json_fails_the_run_as_unavailable(github: FakeGitHub, server: FakeServer,
                                                           sleep: RecordingSleep) -> None:
    github.scripts.append(lambda r: Answer(200, raw=b"{not json"))

    with pytest.raises(SourceUnavailable, match="malformed JSON"):
        await read(source_for(server, sleep), "github.pull_requests")


async def test_a_500_mid_pagination_keeps_the_first_page_and_never_advances_the_cursor(
    github: FakeGitHub, server: FakeServer, sleep: RecordingSleep,
) -> None:
    add_deployments(github, 150)
    github.scripts.append(lambda r: Answer(500, {"message": "boom"}) if r.query.get("page") == "2" else None)
    pages: list[Page] = []

    with pytest.raises(SourceUnavailable, match="HTTP 500"):
        async for page in reader(source_for(server, sleep), "github.deployments").pages(ResourceState()):
            pages.append(page)

    assert [len(page.items) for page in pages] == [100]
    assert pages[0].state is None  # nothing to save: the next run starts over and loses nothing
    assert sleep.waits == [2.0, 4.0, 8.0]


async def test_a_slow_answer_times_out(github: FakeGitHub, server: FakeServer, sleep: RecordingSleep) -> None:
    github.scripts.append(lambda r: Answer(200, [], delay=3))

    with pytest.raises(SourceUnavailable, match="did not answer within 0.2 s"):
        await read(source_for(server, sleep, timeout=0.2), "github.deployments")


@pytest.mark.parametrize(("status", "message"), [
    (401, "refused the token"), (403, "refused access"), (404, f"has no repository {REPO}"),
])
async def test_refusals_say_why_and_never_hold_the_token(github: FakeGitHub, server: FakeServer,
                                                         sleep: RecordingSleep, caplog: pytest.LogCaptureFixture,
                                                         status: int, message: str) -> None:
    caplog.set_level(logging.DEBUG)
    github.scripts.append(lambda r: Answer(status, {"message": f"nope {TOKEN}"}))
    source = source_for(server, sleep)

    with pytest.raises(SourceRejected, match=message) as error:
        await read(source, "github.deployments")

    assert TOKEN not in str(error.value) and TOKEN not in repr(error.value) and TOKEN not in repr(source)
    assert TOKEN not in caplog.text


async def test_a_wrong_token_is_rejected_by_the_fake_as_by_github(github: FakeGitHub, server: FakeServer,
                                                                   sleep: RecordingSleep) -> None:
    with pytest.raises(SourceRejected, match="401"):
        await read(source_for(server, sleep, token="ghp_wrong"), "github.pull_requests")


async def test_an_unreachable_github_is_unavailable(sleep: RecordingSleep) -> None:
    source = GitHubSource(REPO, TOKEN, SourceOptions(), base_url="http://127.0.0.1:9", sleep=sleep)

    with pytest.raises(SourceUnavailable, match="could not be reached"):
        await read(source, "github.deployments")
