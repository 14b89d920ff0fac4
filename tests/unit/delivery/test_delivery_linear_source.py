"""The Linear source against a fake Linear GraphQL API on 127.0.0.1: cursor pages, resumption, RATELIMITED."""

import json
import logging
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from adapters.clock import SettableClock
from adapters.delivery.linear import LinearSource
from application.delivery.ports import Page, ResourceState, SourceRejected, SourceUnavailable
from domain.delivery.records import Incident
from domain.delivery.source import SourceOptions
from tests.unit.delivery.support import Answer, FakeServer, RecordingSleep, Request

KEY = "lin_api_SECRETkey0987654321"
NOW = datetime(2026, 6, 10, 12, tzinfo=UTC)


def stamp(minute: int) -> str:
    return (datetime(2026, 6, 1, tzinfo=UTC) + timedelta(minutes=minute)).isoformat(timespec="milliseconds")[:-6] + "Z"


class FakeLinear:
    """Answers the two queries the source sends, the way Linear's GraphQL API does."""

    def __init__(self, server: FakeServer) -> None:
        self.issues: list[dict[str, Any]] = []
        self.scripts: list[Any] = []
        server.handler = self.handle

    def handle(self, request: Request) -> Answer:
        for script in self.scripts:
            answer = script(request)
            if answer is not None:
                return answer
        if request.path != "/graphql" or request.method != "POST":
            return Answer(404, {"message": "Not Found"})
        if request.headers.get("authorization") != KEY:
            return Answer(400, {"errors": [{"message": "Authentication required, not authenticated",
                                            "extensions": {"code": "AUTHENTICATION_ERROR"}}]})
        query, variables = request.body["query"], request.body["variables"]
        if "DeliveryTeam" in query:
            nodes = [{"id": "team-1"}] if variables["key"] == "ENG" else []
            return Answer(200, {"data": {"teams": {"nodes": nodes}}})
        issue_filter = variables["filter"]
        assert issue_filter["team"] == {"key": {"eq": "ENG"}}
        since = issue_filter.get("updatedAt", {}).get("gt", "")
        matching = sorted((i for i in self.issues if i["updatedAt"] > since), key=lambda i: i["updatedAt"])
        start = int(variables["after"] or 0)
        chunk = matching[start:start + 50]
        info = {"hasNextPage": start + 50 < len(matching), "endCursor": str(start + len(chunk)) if chunk else None}
        return Answer(200, {"data": {"issues": {"nodes": chunk, "pageInfo": info}}})


def issue(n: int, *, labels: tuple[str, ...] = ("Incident",), canceled: bool = False,
          completed: int | None = None) -> dict[str, Any]:
    return {
        "id": f"uuid-{n}", "identifier": f"ENG-{n}", "title": f"Outage {n}", "createdAt": stamp(n),
        "updatedAt": stamp(n + 1), "completedAt": None if completed is None else stamp(completed),
        "canceledAt": stamp(n + 2) if canceled else None, "labels": {"nodes": [{"name": name} for name in labels]},
    }


@pytest.fixture
def linear(server: FakeServer) -> FakeLinear:
    return FakeLinear(server)


def source_for(server: FakeServer, sleep: RecordingSleep, *, key: str = KEY, team: str = "ENG") -> LinearSource:
    return LinearSource(team, key, SourceOptions.create(incident_labels=["incident", "sev1"]),
                        url=f"{server.url}/graphql", timeout=5, clock=SettableClock(NOW), sleep=sleep)


async def read(source: LinearSource, state: ResourceState | None = None) -> list[Page]:
    return [page async for page in source.pages(state or ResourceState())]


async def test_incidents_are_read_page_by_page_and_others_come_back_removed(linear: FakeLinear, server: FakeServer,
                                                                            sleep: RecordingSleep) -> None:
    for n in range(120):
        labels = ("Incident",) if n % 3 == 0 else ("SEV1", "bug") if n % 3 == 1 else ("bug",)
        linear.issues.append(issue(n, labels=labels, canceled=n == 3, completed=n + 30 if n % 2 else None))

    pages = await read(source_for(server, sleep))

    assert [len(page.items) + len(page.removed) for page in pages] == [50, 50, 20]
    incidents = {i.key: i for page in pages for i in page.items if isinstance(i, Incident)}
    assert len(incidents) == 79  # 80 labelled, one of them cancelled
    assert "uuid-3" in {key for page in pages for key in page.removed}
    assert incidents["uuid-1"].title == "ENG-1 Outage 1"
    assert incidents["uuid-1"].resolved_at == datetime(2026, 6, 1, 0, 31, tzinfo=UTC)
    assert incidents["uuid-0"].resolved_at is None
    assert all(page.state is not None for page in pages)
    assert json.loads(pages[-1].state.cursor or "") == {"since": stamp(120)}


async def test_a_failed_run_resumes_after_the_last_committed_page(linear: FakeLinear, server: FakeServer,
                                                                  sleep: RecordingSleep) -> None:
    linear.issues = [issue(n) for n in range(120)]
    linear.scripts.append(lambda r: Answer(500, {"message": "boom"}) if r.body and r.body["variables"].get("after") == "50"
                          else None)
    committed: list[Page] = []

    with pytest.raises(SourceUnavailable, match="HTTP 500"):
        async for page in source_for(server, sleep).pages(ResourceState()):
            committed.append(page)
    linear.scripts.clear()
    server.requests.clear()
    resumed = await read(source_for(server, sleep), committed[-1].state)

    keys = [i.key for page in committed + resumed for i in page.items]
    assert len(committed) == 1 and len(keys) == len(set(keys)) == 120
    assert server.requests[1].body["variables"]["after"] == "50"


async def test_a_later_run_asks_only_for_issues_updated_since(linear: FakeLinear, server: FakeServer,
                                                              sleep: RecordingSleep) -> None:
    linear.issues = [issue(n) for n in range(3)]
    state = (await read(source_for(server, sleep)))[-1].state
    linear.issues.append(issue(10))
    server.requests.clear()

    pages = await read(source_for(server, sleep), state)

    assert [i.key for page in pages for i in page.items] == ["uuid-10"]
    assert server.requests[1].body["variables"]["filter"]["updatedAt"] == {"gt": stamp(3)}


async def test_ratelimited_errors_wait_until_linears_reset(linear: FakeLinear, server: FakeServer,
                                                           sleep: RecordingSleep) -> None:
    linear.issues = [issue(1)]
    reset_ms = str(int((NOW + timedelta(seconds=20)).timestamp() * 1000))
    answers = [Answer(400, {"errors": [{"message": "Rate limit exceeded", "extensions": {"code": "RATELIMITED"}}]},
                      {"X-RateLimit-Requests-Reset": reset_ms})]
    linear.scripts.append(lambda r: answers.pop() if answers else None)

    pages = await read(source_for(server, sleep))

    assert sleep.waits == [21.0] and [i.key for i in pages[0].items] == ["uuid-1"]


async def test_an_unknown_team_is_rejected(linear: FakeLinear, server: FakeServer, sleep: RecordingSleep) -> None:
    with pytest.raises(SourceRejected, match="no team OPS"):
        await read(source_for(server, sleep, team="ops"))


async def test_malformed_json_is_unavailable(linear: FakeLinear, server: FakeServer, sleep: RecordingSleep) -> None:
    linear.scripts.append(lambda r: Answer(200, raw=b"<html>oops"))
    with pytest.raises(SourceUnavailable, match="malformed JSON"):
        await read(source_for(server, sleep))


async def test_an_oauth_token_is_sent_as_bearer(linear: FakeLinear, server: FakeServer, sleep: RecordingSleep) -> None:
    with pytest.raises(SourceRejected):
        await read(source_for(server, sleep, key="oauth-token-123"))
    assert server.requests[0].headers["authorization"] == "Bearer oauth-token-123"


@pytest.mark.parametrize("answer", [
    Answer(400, {"errors": [{"message": f"bad {KEY}", "extensions": {"code": "AUTHENTICATION_ERROR"}}]}),
    Answer(401, {"message": f"bad {KEY}"}),
    Answer(200, {"errors": [{"message": "no", "extensions": {"code": "FORBIDDEN"}}]}),
])
async def test_a_refused_key_never_appears_in_the_error(linear: FakeLinear, server: FakeServer, sleep: RecordingSleep,
                                                        caplog: pytest.LogCaptureFixture, answer: Answer) -> None:
    caplog.set_level(logging.DEBUG)
    linear.scripts.append(lambda r: answer)
    source = source_for(server, sleep)

    with pytest.raises(SourceRejected, match="refused") as error:
        await read(source)

    assert KEY not in str(error.value) and KEY not in repr(source) and KEY not in caplog.text
